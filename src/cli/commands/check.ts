import path from 'node:path';
import { parseArgs } from 'node:util';
import { CheckFailed, UsageError } from '../../errors.ts';
import { checkSite } from '../../site/linkCheck.ts';
import { existsSync } from 'node:fs';
import type { Command } from '../main.ts';

const usage = `
Usage: almanac check [--site DIR] [--content DIR]

Checks a built site the way visitors and old links will use it:
  - every internal link and asset resolves (and every #anchor to an id on its page),
  - every document's redirect_from points at a page that exists,
  - no page of the site sits on an old URL whose redirect must answer there.
Prints one line per problem and exits 1 when there is any.

Options:
  --site DIR      the built site (default: _site)
  --content DIR   the content folder, for the redirect checks (default: content)

Example:
  almanac build && almanac check
`;

const command: Command = {
  summary: 'find broken links, missing redirect targets and pages shadowing redirects',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { site: { type: 'string', default: '_site' }, content: { type: 'string', default: 'content' } },
    });
    if (!existsSync(values.site!))
      throw new UsageError(`no built site at ${values.site}; run almanac build first (or pass --site DIR)`);
    const { problems, pages, links } = await checkSite({ site: values.site!, content: values.content });
    for (const problem of problems) process.stdout.write(`${problem.where}: ${problem.message}\n`);
    const summary = `${pages} pages, ${links} internal links checked in ${path.relative(process.cwd(), path.resolve(values.site!)) || '.'}/`;
    if (problems.length > 0)
      throw new CheckFailed(`${problems.length} problem${problems.length === 1 ? '' : 's'} (${summary})`);
    process.stdout.write(`OK: ${summary}; no broken links, every redirect has its page.\n`);
    return 0;
  },
};

export default command;
