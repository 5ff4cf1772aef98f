import { type FileHandle, open, stat } from 'node:fs/promises';
import { InputError, UsageError } from '../src/errors.ts';
import atom from './atom.ts';
import blogger from './blogger.ts';
import roller from './roller.ts';
import rss from './rss.ts';
import { NotThisFormat, type Format, type Importer } from './importer.ts';
import mbox from './mbox.ts';
import pipermail from './pipermail.ts';
import wordpress, { refuseWordPress } from './wordpress.ts';

/** Every input format, in the order sniffing tries them (most specific first). */
export const importers: readonly Importer[] = [blogger, roller, atom, wordpress, rss, pipermail, mbox];

export function importerFor(format: string): Importer {
  const importer = importers.find((candidate) => candidate.name === format);
  if (!importer) {
    throw new UsageError(
      `unknown format "${format}"; expected auto or one of: ${importers.map((candidate) => candidate.name).join(', ')}`,
    );
  }
  return importer;
}

/** The first 64 KiB of a file, decoded leniently: enough to recognise every format. */
export async function readHead(file: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new InputError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  try {
    const buffer = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await handle.close();
  }
}

/** The format of an input, from its content, never its file name alone. */
export async function sniffFormat(file: string): Promise<Format> {
  if (await isFolder(file))
    throw new InputError(file, 'this is a folder; name its format with --format (a Maildir folder: --format mbox)');
  const head = await readHead(file);
  if (head.length === 0) throw new InputError(file, 'the file is empty');
  const format = importers.find((candidate) => candidate.sniff(head, file))?.name;
  if (format === undefined)
    throw new InputError(
      file,
      `cannot tell the format of this file; name it with --format (${importers.map((candidate) => candidate.name).join(', ')})`,
    );
  return format;
}

/** The format a file's content looks like, or undefined when none recognises it (an empty month of a list, say: its importer decides). */
async function looksLike(file: string): Promise<Format | undefined> {
  if (await isFolder(file)) return undefined;
  const head = await readHead(file);
  return importers.find((candidate) => candidate.sniff(head, file))?.name;
}

/** Each format as a message names it. */
const DESCRIPTIONS: Record<Format, string> = {
  blogger: 'a Blogger export',
  roller: 'an Apache Roller feed',
  wordpress: 'a WordPress export (WXR)',
  atom: 'an Atom feed',
  rss: 'an RSS feed',
  mbox: 'an mbox',
  pipermail: 'a Pipermail archive',
};

/** Formats one source may mix and one importer may be forced onto: Roller's later pages and Blogger's public feed sniff as plain Atom; a Pipermail month as mbox. */
const FAMILIES: Record<Format, string> = {
  blogger: 'atom',
  roller: 'atom',
  atom: 'atom',
  rss: 'rss',
  wordpress: 'wordpress',
  mbox: 'mail',
  pipermail: 'mail',
};

/**
 * The importer for one source's inputs: `format` when given (`auto` sniffs the first input), after
 * checking that every input is of one family of formats and none is a WordPress export. An importer
 * that finds a file is not its format (NotThisFormat) gets the format the file looks like added.
 */
export async function chooseImporter(
  inputs: readonly string[],
  format: string | undefined,
): Promise<{ format: Format; importer: Importer }> {
  const forced = format && format !== 'auto' ? importerFor(format) : undefined;
  const sniffed = new Map<string, Format | undefined>();
  for (const input of inputs) sniffed.set(input, await looksLike(input));
  for (const [input, looks] of sniffed) if (looks === 'wordpress') refuseWordPress(input);
  const chosen = forced ?? importerFor(await sniffFormat(inputs[0]));
  const known = [...sniffed].filter((pair): pair is [string, Format] => pair[1] !== undefined);
  if (new Set(known.map(([, looks]) => FAMILIES[looks])).size > 1) {
    throw new UsageError(
      `inputs of different formats in one source: ${known.map(([input, looks]) => `${input} (${looks})`).join(', ')}; import them as separate sources`,
    );
  }
  // A Blogger backup read as any other format would publish its settings and template entries as posts.
  const backup = known.find(([, looks]) => looks === 'blogger' && chosen.name !== 'blogger');
  if (backup)
    throw new InputError(
      backup[0],
      `this is a Blogger export, not ${DESCRIPTIONS[chosen.name]}: read as one, its settings and template entries would become posts; use --format blogger`,
    );
  const mismatch = known.find(([, looks]) => FAMILIES[looks] !== FAMILIES[chosen.name]);
  if (mismatch)
    throw new InputError(
      mismatch[0],
      `this is not ${DESCRIPTIONS[chosen.name]}; it looks like ${DESCRIPTIONS[mismatch[1]]} (--format ${mismatch[1]})`,
    );
  const importer: Importer = {
    ...chosen,
    async *entries(files, context) {
      try {
        yield* chosen.entries(files, context);
      } catch (error) {
        const looks = error instanceof NotThisFormat ? sniffed.get(error.file) : undefined;
        if (error instanceof NotThisFormat && looks !== undefined && looks !== chosen.name) {
          throw new InputError(
            error.file,
            `this is not ${error.expected}; it looks like ${DESCRIPTIONS[looks]} (--format ${looks})`,
            { line: error.line, column: error.column },
          );
        }
        throw error;
      }
    },
  };
  return { format: chosen.name, importer };
}

async function isFolder(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isDirectory() ?? false;
}
