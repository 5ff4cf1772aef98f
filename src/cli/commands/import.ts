import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { contentLockFile, lockFolder } from '../../folderLock.ts';
import { exitStatusFor, stopsGently } from '../../interrupt.ts';
import { encodingName, encodingUsage } from '../../../importers/textEncoding.ts';
import { UsageError } from '../../errors.ts';
import { summarize, importSource } from '../../write/importSource.ts';
import type { Command } from '../main.ts';

const usage = `
Usage: almanac import <input…> [options]

Imports a blog backup, feed or mail archive into Markdown files with YAML frontmatter
under <out>/<source>/. Several inputs are one source (feed pages, monthly archives).
Re-running with unchanged input changes nothing; files you edited by hand are kept.
When nothing it reads has changed since its last run (the inputs, the options, the content
folder), it answers at once from that run (kept in .almanac-cache/, or ALMANAC_CACHE_DIR).

Options:
  --format F            auto (default: sniffed from the content), blogger, roller, atom, rss,
                        mbox, pipermail; wordpress exports (WXR) are recognised and refused:
                        their importer is not available yet. All inputs of one source must be
                        of one format; a --format that does not fit the file says what it
                        looks like
  --source ID           the source id and folder name (default: from the first file's name)
  --out DIR             where sources go (default: content)
  --old-base URL        the old site's address, where the input lacks it
                        (Blogger Takeout feed.atom: https://yourblog.blogspot.com/)
  --also-old-base URL   the blog also lived here: the same old paths on this address redirect
                        and links to them are rewritten too (repeatable; a Roller blog on
                        blogs.sun.com that moved: --also-old-base https://blogs.oracle.com/)
  --planet-blog URL     of a planet feed, import only this blog's entries (its address or
                        name), to give it a source of its own; without it the planet is one
                        source and each document names its blog
  --list NAME           mail: the list's name (default: from List-Id or the subject tag); its
                        [NAME] tag is taken out of titles
  --show-addresses      mail: publish addresses as they are (default: names only; a sender
                        with no name by the part before the @, a list robot by the list's
                        name; other addresses "user at host" in bodies and patches)
  --pipermail-start N   Pipermail: the number of the first message given (default 0, right
                        when the first volume given is the list's first)
  --encoding NAME       the inputs' character encoding, for files that lie about theirs or
                        omit it (a Latin-1 feed without an XML declaration: --encoding latin1);
                        a WHATWG label: utf-8, latin1, windows-1252, iso-8859-15, koi8-r, …
                        (default: the byte-order mark, else the XML declaration, else UTF-8)
  --volume NAME         Pipermail: the volume a renamed file was (2024, 2026q3, 2020-May,
                        Week-of-Mon-20011231, 20011231), for its old URLs; with several
                        inputs FILE=NAME (repeatable). Files keeping Mailman's name need none
  --report FILE         write the JSON report: entries, written, unchanged, skipped, warnings
  --release-pattern RE  entries whose title matches become releases (with --product)
  --product NAME        the product of those releases
  --dry-run             report what would be written, write nothing
  --force               overwrite documents edited by hand since the last import
  --wait                when another almanac is writing to the same --out folder, wait for it
                        to finish (by default the import refuses, naming that process)

One import at a time writes to a content folder. Ctrl-C (or SIGTERM) stops after the documents
in hand: the report and the summary say what was written, "interrupted", exit 130 (143); run
the same command again and it continues. A full disk or a folder you may not write to is one
line saying what was written and what to do; run the same command again once it is fixed.

Examples:
  almanac import blog-08-23-2020.xml --source tribblix
  almanac import feed.atom --format blogger --old-base https://tribblix.blogspot.com/ --source tribblix
  almanac import page1.atom page2.atom --format roller --source jlevon --report report.json
  almanac import 2020-*.txt.gz --source illumos-discuss --old-base https://illumos.org/pipermail/illumos-discuss/
  almanac import old-feed.rss --encoding latin1 --source notes
  almanac import 2011-07.txt --volume 2011-July --source illumos-discuss --old-base https://illumos.org/pipermail/illumos-discuss/
`;

const command: Command = {
  summary: 'import a blog backup, feed or mail archive into content/',
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'auto' },
        source: { type: 'string' },
        out: { type: 'string', default: 'content' },
        'old-base': { type: 'string' },
        encoding: { type: 'string' },
        report: { type: 'string' },
        list: { type: 'string' },
        'show-addresses': { type: 'boolean', default: false },
        'pipermail-start': { type: 'string' },
        volume: { type: 'string', multiple: true },
        'also-old-base': { type: 'string', multiple: true },
        'planet-blog': { type: 'string' },
        'release-pattern': { type: 'string' },
        product: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        wait: { type: 'boolean', default: false },
      },
    });
    if (values.encoding !== undefined && encodingName(values.encoding) === undefined)
      throw new UsageError(encodingUsage(values.encoding));
    // Not for a dry run, which writes nothing.
    const release =
      values['dry-run'] || positionals.length === 0
        ? () => undefined
        : await lockFolder(contentLockFile(values.out!), values.out!, { wait: values.wait });
    // To the end, the report file too: a signal stops it after the documents in hand, never halfway through a file.
    return stopsGently(async () => {
      const report = await importSource({
        inputs: positionals,
        format: values.format,
        source: values.source,
        out: values.out!,
        oldBase: values['old-base'],
        dryRun: values['dry-run'],
        force: values.force,
        importerOptions: {
          releasePattern: values['release-pattern'],
          product: values.product,
          alsoOldBase: values['also-old-base'],
          planetBlog: values['planet-blog'],
          list: values.list,
          showAddresses: values['show-addresses'],
          pipermailStart: values['pipermail-start'],
          encoding: values.encoding,
          volume: values.volume,
        },
      }).finally(release);
      for (const warning of report.warnings)
        process.stderr.write(`warning: ${warning.id ? `${warning.id}: ` : ''}${warning.message}\n`);
      for (const kept of report.kept) process.stderr.write(`kept: ${kept.file}: ${kept.reason}\n`);
      if (values.report) {
        await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
        process.stderr.write(`report: ${values.report}\n`);
      }
      process.stdout.write(`${summarize(report, values['dry-run'])}\n`);
      return report.interrupted ? exitStatusFor(report.interrupted) : 0;
    });
  },
};

export default command;
