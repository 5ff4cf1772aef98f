import type { BlockContent, Code, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import { restoreUrlAt } from './urlsCutAtAt.ts';

/**
 * A plain-text mail body as a Markdown tree, reading it the way list archives are read:
 * `>` quotes become (nested) blockquotes, the signature after `-- ` is set apart under a rule,
 * unified diffs become ```diff code and diffstats plain code, preformatted text (indented lines,
 * aligned columns, tabs) keeps its line breaks as code, prose paragraphs stay paragraphs. URLs
 * become links in the document pipeline (src/pipeline/autolinkLiterals.ts), like every source's.
 */

const DIFF_START = /^(diff --git |diff -[a-zA-Z]|Index: \S|--- \S)/;
const DIFF_LINE =
  /^([ +\-\\]|@@ |diff |index |Index: |={10,}|--- |\+\+\+ |new file mode|deleted file mode|old mode|new mode|similarity index|dissimilarity index|rename (from|to) |copy (from|to) |Binary files |GIT binary patch|literal \d|delta \d|Only in )/;
const DIFFSTAT_LINE = /^ \S.*\s\|\s+(\d+|Bin\b)/;
const DIFFSTAT_SUMMARY = /^ \d+ files? changed/;
const PREFORMATTED_LINE = /^(\t| {2,}\S)|\S {3,}\S|\t|^[$#%] \S|[{};]\s*$|^[|+][-=+]{3,}|^[-=_*]{4,}\s*$/;

export function mailTextToMdast(text: string): Root {
  // NUL bytes are no text (and would make the Markdown file binary to git and grep).
  const lines = restoreUrlAt(text.replace(/\r\n?/g, '\n').replace(/\0/g, ''))
    .split('\n')
    .map((line) => (line === '-- ' ? line : line.trimEnd()));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const signatureAt = lines.lastIndexOf('-- ');
  const body = signatureAt === -1 ? lines : lines.slice(0, signatureAt);
  const children: RootContent[] = blocks(body);
  if (signatureAt !== -1 && signatureAt < lines.length - 1) {
    const signature = lines.slice(signatureAt + 1);
    children.push({ type: 'thematicBreak' }, ...blocks(signature, true));
  }
  return { type: 'root', children };
}

function blocks(lines: string[], signature = false): BlockContent[] {
  const result: BlockContent[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index];
    if (line.trim() === '') {
      index++;
    } else if (line.startsWith('>')) {
      const start = index;
      while (index < lines.length && lines[index].startsWith('>')) index++;
      const inner = lines.slice(start, index).map((quoted) => quoted.replace(/^> ?/, ''));
      result.push({ type: 'blockquote', children: blocks(inner) });
    } else if (isDiffStart(lines, index)) {
      const start = index;
      index++;
      while (
        index < lines.length &&
        (DIFF_LINE.test(lines[index]) ||
          (lines[index] === '' &&
            index + 1 < lines.length &&
            /^[ +\-@]/.test(lines[index + 1]) &&
            !DIFF_START.test(lines[index + 1])))
      )
        index++;
      result.push(code(lines.slice(start, index), 'diff'));
    } else if (isDiffstatStart(lines, index)) {
      const start = index;
      index++;
      while (index < lines.length && (DIFFSTAT_LINE.test(lines[index]) || DIFFSTAT_SUMMARY.test(lines[index]))) index++;
      result.push(code(lines.slice(start, index)));
    } else {
      const start = index;
      while (
        index < lines.length &&
        lines[index].trim() !== '' &&
        !lines[index].startsWith('>') &&
        !(index > start && (isDiffStart(lines, index) || isDiffstatStart(lines, index)))
      )
        index++;
      const paragraph = lines.slice(start, index);
      result.push(
        paragraph.some((text) => PREFORMATTED_LINE.test(text)) ? code(paragraph) : prose(paragraph, signature),
      );
    }
  }
  return result;
}

function isDiffStart(lines: string[], index: number): boolean {
  const line = lines[index];
  if (!DIFF_START.test(line)) return false;
  if (line.startsWith('--- ')) return (lines[index + 1] ?? '').startsWith('+++ ');
  return true;
}

/** git format-patch's `---` line and the diffstat under it. */
function isDiffstatStart(lines: string[], index: number): boolean {
  return (lines[index] === '---' && DIFFSTAT_LINE.test(lines[index + 1] ?? '')) || DIFFSTAT_LINE.test(lines[index]);
}

function code(lines: string[], lang?: string): Code {
  // Common indentation is kept: in mail it is part of what was written.
  return { type: 'code', lang: lang ?? null, meta: null, value: lines.join('\n') };
}

/** Hard-wrapped prose flows as one paragraph; short deliberate lines (addresses, sign-offs, lists) keep their breaks. */
function prose(lines: string[], signature: boolean): Paragraph {
  // `<https://…>` stays as written: the pipeline reads it as one URL (src/url/findUrls.ts).
  lines = lines.map((line) => line.trim());
  const wrapped = !signature && lines.slice(0, -1).every((line) => line.length >= 50);
  if (wrapped) return { type: 'paragraph', children: [{ type: 'text', value: lines.join('\n') }] };
  const children: PhrasingContent[] = [];
  lines.forEach((line, index) => {
    if (index > 0) children.push({ type: 'break' });
    children.push({ type: 'text', value: line });
  });
  return { type: 'paragraph', children };
}
