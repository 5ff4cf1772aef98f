import { parseArgs } from 'node:util';
import { relinkContent } from '../../write/relink.ts';
import type { Command } from '../main.ts';

const usage = `
Usage: almanac relink [--content DIR] [--dry-run]

Points every link to an old URL of an imported or hand-written document at its new permalink,
in the documents earlier imports wrote. Every import already does this at its end; run it
after adding or moving documents by hand (their original_url and redirect_from count too).
Documents edited by hand since their import are left as they are and listed. Running it
again changes nothing.

Options:
  --content DIR   the content folder (default: content)
  --dry-run       list what would change, write nothing

Example:
  almanac import jlevon-page1.atom jlevon-page2.atom --source jlevon
  almanac import planet.xml --source planet     # jlevon's links to planet posts now point at them
  almanac relink                                # after writing content/notes/*.md by hand
`;

const command: Command = {
  summary: 'point links of earlier imports at documents imported since',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { content: { type: 'string', default: 'content' }, 'dry-run': { type: 'boolean', default: false } },
    });
    const report = await relinkContent({ out: values.content!, dryRun: values['dry-run'] });
    for (const kept of report.kept) process.stderr.write(`kept: ${kept.file}: ${kept.reason}\n`);
    for (const file of report.files)
      process.stdout.write(`${values['dry-run'] ? 'would relink' : 'relinked'}: ${file}\n`);
    const kept = report.kept.length > 0 ? `, ${report.kept.length} kept (edited by hand)` : '';
    process.stdout.write(
      `${values.content}: ${report.documents} documents, ${report.files.length} ${values['dry-run'] ? 'would be relinked' : 'relinked'}${kept}\n`,
    );
    return 0;
  },
};

export default command;
