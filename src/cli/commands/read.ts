import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import supportsHyperlinks from 'supports-hyperlinks';
import { InputError, UsageError } from '../../errors.ts';
import { page } from '../../terminal/pager.ts';
import { renderDocumentForTerminal } from '../../terminal/renderMarkdown.ts';
import type { Command } from '../main.ts';

const usage = `
Usage: almanac read <file.md> [options]

Renders a document for the terminal: title and metadata, paragraphs wrapped to the window,
lists, quotes, code verbatim, and links you can click (OSC 8 hyperlinks) where the terminal
supports them — elsewhere links read "text <URL>". Longer than a screen: shown in less -R.

Options:
  --hyperlinks WHEN    auto (default: when the terminal supports them), always, never;
                       FORCE_HYPERLINK=1 or 0 in the environment does the same
  --width N            wrap to N columns (default: the terminal's width, or 80)
  --base URL           the published site, so links between documents (/tribblix/…/) open
  --no-pager           never page through less

NO_COLOR=1 turns styles (bold, dim, colours) off; links stay links.

Examples:
  almanac read content/tribblix/2020/05/zones.md
  almanac read post.md --base https://kb.example.org/ --hyperlinks=never | less
`;

const WHEN = ['auto', 'always', 'never'];

const command: Command = {
  summary: 'render a document for the terminal, links as clickable hyperlinks',
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        hyperlinks: { type: 'string', default: 'auto' },
        width: { type: 'string' },
        base: { type: 'string' },
        'no-pager': { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give one Markdown file to read');
    if (!WHEN.includes(values.hyperlinks!)) throw new UsageError(`--hyperlinks must be one of ${WHEN.join(', ')}`);
    const width =
      values.width === undefined
        ? process.stdout.isTTY
          ? process.stdout.columns
          : Number(process.env.COLUMNS) || 80
        : Number(values.width);
    if (!Number.isInteger(width) || width < 20)
      throw new UsageError('--width must be a whole number of columns, at least 20');
    if (values.base !== undefined && !URL.canParse(values.base))
      throw new UsageError(`--base must be an absolute URL, like https://kb.example.org/ (got "${values.base}")`);

    const [file] = positionals;
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new InputError(
        file,
        error.code === 'ENOENT'
          ? 'no such file'
          : error.code === 'EISDIR'
            ? 'is a folder; give a Markdown file'
            : error.message,
      );
    });
    let output: string;
    try {
      output = renderDocumentForTerminal(text, {
        width,
        hyperlinks: values.hyperlinks === 'always' || (values.hyperlinks === 'auto' && supportsHyperlinks.stdout),
        color:
          !process.env.NO_COLOR &&
          Boolean(process.stdout.isTTY || (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0')),
        base: values.base,
      });
    } catch (error) {
      // js-yaml counts from the first line of the YAML, which is the file's second line (after ---).
      const { mark, reason } = error as { mark?: { line: number; column: number }; reason?: string };
      throw new InputError(
        file,
        `the frontmatter is not valid YAML: ${reason ?? (error as Error).message.split('\n')[0]}`,
        mark ? { line: mark.line + 2, column: mark.column + 1 } : {},
      );
    }
    await page(output, { pager: !values['no-pager'] });
    return 0;
  },
};

export default command;
