import { open } from 'node:fs/promises';
import { InputError, UsageError } from '../src/errors.ts';
import atom from './atom.ts';
import blogger from './blogger.ts';
import roller from './roller.ts';
import rss from './rss.ts';
import type { Format, Importer } from './importer.ts';
import mbox from './mbox.ts';
import pipermail from './pipermail.ts';

/** Every input format, in the order sniffing tries them (most specific first). */
export const importers: readonly Importer[] = [blogger, roller, atom, rss, pipermail, mbox];

export function importerFor(format: string): Importer {
  const importer = importers.find((candidate) => candidate.name === format);
  if (!importer) {
    throw new UsageError(`unknown format "${format}"; expected auto or one of: ${importers.map((candidate) => candidate.name).join(', ')}`);
  }
  return importer;
}

/** The first 64 KiB of a file, decoded leniently: enough to recognise every format. */
export async function readHead(file: string): Promise<string> {
  let handle;
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
  const head = await readHead(file);
  if (head.length === 0) throw new InputError(file, 'the file is empty');
  const importer = importers.find((candidate) => candidate.sniff(head, file));
  if (!importer) {
    throw new InputError(file, `cannot tell the format of this file; name it with --format (${importers.map((candidate) => candidate.name).join(', ')})`);
  }
  return importer.name;
}
