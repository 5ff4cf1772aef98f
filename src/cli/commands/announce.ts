import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { InputError, UsageError } from '../../errors.ts';
import { announce, MAIL_WIDTH } from '../../releases/announcement.ts';
import { readRelease } from '../../releases/releaseDocument.ts';
import { CONFIG_FILE, loadConfig } from '../../site/config.ts';
import { parseDocument } from '../../content/frontmatter.ts';
import type { Command } from '../main.ts';

const usage = `
Usage: almanac announce <file.md> [--url URL] [--config FILE]

Prints a release note as a plain-text mail body, ready to paste into a mail to the list:
a suggested "Subject:" line first, then the text wrapped at ${MAIL_WIDTH} columns with the Markdown
removed (lists as "  * ", code indented by 4, headings underlined), the versions, the CVE ids
and the reboot note from the frontmatter, and every link as a numbered reference [1] listed
at the end. Nothing in it is a terminal escape.

The file is a release: kind: release with product, versions, date, security and
requires_reboot in its frontmatter (content/releases/<product>/<version>.md).

Options:
  --url URL   the release note's address on the web, added as the last reference
              (default: site.url of almanac.config.json joined with the note's
              permalink, unless that is a local preview address)
  --config FILE   the config whose site.url that is (default: ${CONFIG_FILE})

Examples:
  almanac announce content/releases/tribblix/m34.md
  almanac announce content/releases/tribblix/m34.md --url https://kb.example.org/releases/tribblix/m34/ > m34.txt
`;

const command: Command = {
  summary: 'print a release note as a plain-text mail body (72 columns, numbered links)',
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { url: { type: 'string' }, config: { type: 'string' } },
    });
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0
          ? 'name the release note to announce, e.g. content/releases/omnios/r151048.md'
          : 'announce takes one file',
      );
    const file = positionals[0];
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new InputError(
        file,
        error.code === 'ENOENT' ? 'no such file' : `cannot read the file (${error.code ?? error.message})`,
      );
    });
    let document: ReturnType<typeof parseDocument>;
    try {
      document = parseDocument(text);
    } catch (error) {
      const mark = (error as { mark?: { line: number; column: number } }).mark;
      // js-yaml counts from the first YAML line; the file has `---` above it.
      throw new InputError(
        file,
        `unreadable frontmatter: ${((error as { reason?: string }).reason ?? (error as Error).message).split('\n')[0]}`,
        mark ? { line: mark.line + 2, column: mark.column + 1 } : {},
      );
    }
    const release = readRelease(document.data, file);
    if (release.kind !== 'release')
      throw new InputError(
        file,
        `this is a ${release.kind ?? 'document'} without kind: release; announce takes a release note (kind: release, product, versions)`,
      );
    if (release.versions.length === 0)
      throw new InputError(file, 'the release names no versions: add "versions: [r151048]" to its frontmatter');
    // The site's public address comes from almanac.config.json; without one there is no address to give.
    const config = await loadConfig(values.config);
    const siteUrl = config.file && !isLocal(config.site.url) ? config.site.url : undefined;
    const url = values.url ?? (siteUrl && release.permalink ? new URL(release.permalink, siteUrl).href : undefined);
    const result = announce(
      {
        title: release.title,
        product: release.product,
        versions: release.versions,
        security: release.security,
        requiresReboot: release.requiresReboot,
        url,
      },
      document.body,
    );
    process.stdout.write(result.text);
    for (const line of result.overlong)
      process.stderr.write(`note: line ${line.line} is wider than ${MAIL_WIDTH} columns: ${line.reason}\n`);
    return 0;
  },
};

/** A preview address (`almanac serve`) means nothing to the readers of the mail. */
function isLocal(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

export default command;
