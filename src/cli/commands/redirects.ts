import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.ts';
import { checkedRedirectMap, summaryTail, writeRedirectFiles } from '../../redirects/output.ts';
import { writers } from '../../redirects/writers/index.ts';
import type { Command } from '../main.ts';

const formats = Object.values(writers)
  .map((writer) => `  ${writer.name.padEnd(12)}${writer.summary}`)
  .join('\n');

const usage = `
Usage: almanac redirects --format F [options]

Writes a 301 for every old URL of content/ in the syntax of your server or host: each document's
redirect_from, plus the old platform's other URLs (Blogger: ?m=1 variants, /search/label/…,
/YYYY/MM/ archives, /feeds/posts/default; Roller: /<handle>/category/…, /tags/…, /feed/entries/atom,
/date/…, /page/…). Only URLs whose targets are pages of the site are kept. Checked before anything is
written: one old URL with two targets, loops and targets off this site stop with exit 1; chains become
one hop; an old URL that is also a new page is left out (the page wins).

Formats:
${formats}

Options:
  --format F        one of the formats above (required)
  --content DIR     the content folder (default: content)
  --out PATH        a file for one-file formats (default: standard output); a folder for
                    nginx, apache and html (html default: the --site folder, else _site)
  --source ID       only this source's old URLs, for a server block answering the old blog's own
                    host (there "/" redirects to /<source>/)
  --site DIR        a built site: keep only redirects whose target file exists in it
  --server-dir DIR  apache: the folder the files will be in on the server (default: --out)

Examples:
  almanac redirects --format nginx --out deploy/       # then include both files (see the output)
  almanac redirects --format apache --out /etc/apache2/almanac/
  almanac redirects --format netlify --out _site/_redirects
  almanac redirects --format html --site _site         # refresh pages for GitHub Pages
  almanac redirects --format json | jq length
`;

const command: Command = {
  summary: 'write 301 redirects for every old URL (nginx, apache, _redirects, vercel, caddy, html, json, csv)',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        format: { type: 'string' },
        content: { type: 'string', default: 'content' },
        out: { type: 'string' },
        source: { type: 'string' },
        site: { type: 'string' },
        'server-dir': { type: 'string' },
      },
    });
    const writer = values.format ? writers[values.format] : undefined;
    if (!writer)
      throw new UsageError(
        values.format
          ? `unknown format "${values.format}"; use one of ${Object.keys(writers).join(', ')}`
          : `--format is required: one of ${Object.keys(writers).join(', ')}`,
      );
    const outDir = values.out ?? (writer.name === 'html' ? (values.site ?? '_site') : undefined);
    if (writer.writesFolder && !outDir)
      throw new UsageError(`--format ${writer.name} writes several files: give --out DIR, the folder to put them in`);

    if (outDir) {
      await writeRedirectFiles({
        format: writer.name,
        content: values.content!,
        out: outDir,
        source: values.source,
        siteDir: values.site,
        serverDir: values['server-dir'],
      });
      return 0;
    }
    const map = await checkedRedirectMap(values.content!, { source: values.source, siteDir: values.site });
    const result = writer.write(map.redirects, { serverDir: process.cwd(), pages: map.pages });
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(result.files[0].content);
    process.stderr.write(
      `redirects: ${map.redirects.length} old URLs as ${writer.name}${summaryTail(map.warnings.length + result.warnings.length)}\n`,
    );
    return 0;
  },
};

export default command;
