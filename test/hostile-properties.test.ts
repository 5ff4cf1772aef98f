/**
 * Issue 8, properties (fast-check): any HTML imports without throwing and keeps every text node
 * outside script and style; random byte mutations of the real feed and mail corpus never crash an
 * importer — each run imports or fails with the clean InputError naming the file.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Element, Root as HastRoot } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { HTML_TABLE } from '../src/convert/blockTableToHtml.ts';
import { htmlToMdast } from '../src/convert/htmlToMdast.ts';
import { mdastToMarkdown, markdownToMdast } from '../src/convert/markdown.ts';
import { InputError } from '../src/errors.ts';
import { importSource } from '../src/write/importSource.ts';
import { temporaryDirectory } from './helpers/cli.ts';
import { CORPUS, corpusMissing } from './helpers/corpus.ts';

// ---------------------------------------------------------------------------------------------
// Any HTML

/** Inline elements old posts and feeds carry. */
const INLINE = [
  'span',
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'sup',
  'sub',
  'font',
  'small',
  'big',
  'code',
  'tt',
  'kbd',
  'q',
  'cite',
  'abbr',
  'del',
  'ins',
  'mark',
  'label',
  'blink',
];
/** Blocks that hold any content, the hostile ones and those whose content is raw text (script, style) included. */
const BLOCK = [
  'div',
  'center',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'aside',
  'figure',
  'figcaption',
  'details',
  'address',
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'svg',
  'form',
  'video',
  'audio',
  'noscript',
  'marquee',
];
/** Blocks that hold text and inline elements only (HTML's content model; Markdown's too). */
const TEXT_BLOCK = ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'summary', 'button'];
const VOID = ['br', 'hr', 'img', 'input'];
const ATTRIBUTES = [
  'href',
  'src',
  'class',
  'id',
  'name',
  'style',
  'title',
  'alt',
  'onclick',
  'onerror',
  'onload',
  'dir',
  'lang',
  'data-x',
  'width',
  'colspan',
  'xmlns',
];
/** Attribute values never hold lowercase words, so any lowercase word in the output came from a text node. */
const attributeValue = fc.oneof(
  fc.constantFrom('JAVASCRIPT:ALERT(1)', 'HTTP://EVIL.EXAMPLE/', '#TOP', 'X Y', '"', "'", '<', '&AMP;', ''),
  fc.stringMatching(/^[A-Z0-9 :/#.=-]{0,12}$/),
);
const attributes = fc.array(fc.tuple(fc.constantFrom(...ATTRIBUTES), attributeValue), { maxLength: 3 });
const word = fc.stringMatching(/^[a-z]{1,8}$/);
/** Text with a space at both ends, so neighbouring nodes never glue two words into one. */
const text = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => ({ text: ` ${words.join(' ')} ` }));

type HtmlNode = { text: string } | { tag: string; attributes: [string, string][]; children: HtmlNode[] };
const element = (tag: fc.Arbitrary<string>, children: fc.Arbitrary<HtmlNode[]>) =>
  fc.record({ tag, attributes, children });

/** HTML as editors write it: inline elements hold text and inline elements; blocks, lists and tables hold anything. */
const { flow } = fc.letrec<{ flow: HtmlNode; phrasing: HtmlNode; cell: HtmlNode }>((tie) => ({
  phrasing: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    element(fc.constantFrom(...VOID), fc.constant([])),
    element(fc.constantFrom(...INLINE), fc.array(tie('phrasing'), { maxLength: 4 })),
  ),
  // Without line breaks: two in a cell are the known bug below.
  cell: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    element(fc.constant('img'), fc.constant([])),
    element(fc.constantFrom(...INLINE), fc.array(tie('cell'), { maxLength: 4 })),
  ),
  flow: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('phrasing'),
    element(fc.constantFrom(...BLOCK), fc.array(tie('flow'), { maxLength: 4 })),
    element(fc.constantFrom(...TEXT_BLOCK), fc.array(tie('phrasing'), { maxLength: 4 })),
    element(
      fc.constantFrom('ul', 'ol'),
      fc.array(element(fc.constant('li'), fc.array(tie('flow'), { maxLength: 3 })), { maxLength: 3 }),
    ),
    // Cells hold text and inline elements (what a Markdown table can hold; blocks and <br><br> in cells: the known bug below).
    element(
      fc.constant('table'),
      fc.array(
        element(
          fc.constant('tr'),
          fc.array(element(fc.constantFrom('td', 'th'), fc.array(tie('cell'), { maxLength: 3 })), {
            minLength: 1,
            maxLength: 3,
          }),
        ),
        { maxLength: 3 },
      ),
    ),
  ),
}));

/** Any nesting at all, as broken exports have it: every tag anywhere. */
const { anything } = fc.letrec<{ anything: HtmlNode }>((tie) => ({
  anything: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    element(
      fc.constantFrom(
        ...INLINE,
        ...BLOCK,
        ...TEXT_BLOCK,
        ...VOID,
        'ul',
        'ol',
        'li',
        'table',
        'tr',
        'td',
        'dl',
        'dt',
        'dd',
        'caption',
        'title',
        'textarea',
        'select',
        'option',
        'template',
        'head',
        'body',
        'html',
        'frameset',
        'math',
        'plaintext',
      ),
      fc.array(tie('anything'), { maxLength: 4 }),
    ),
  ),
}));

function serialize(item: HtmlNode): string {
  if ('text' in item) return item.text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const attributes = item.attributes
    .map(([name, value]) => ` ${name}="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
    .join('');
  if (VOID.includes(item.tag)) return `<${item.tag}${attributes}>`;
  return `<${item.tag}${attributes}>${item.children.map(serialize).join('')}</${item.tag}>`;
}

/** Elements whose content is not text: script, style, an iframe's (raw text no browser shows) and inline SVG drawings (dropped whole). */
const NOT_TEXT = ['script', 'style', 'iframe', 'svg'];

/** The words of every text node the HTML parser sees outside those, in order: what must survive. */
function expectedWords(html: string): string[] {
  const tree = unified().use(rehypeParse, { fragment: true }).parse(html) as HastRoot;
  const words: string[] = [];
  visit(tree, (item) => {
    if (item.type === 'element' && NOT_TEXT.includes((item as Element).tagName)) return 'skip';
    if (item.type === 'text') words.push(...((item as { value: string }).value.match(/[a-z]+/g) ?? []));
    return undefined;
  });
  return words;
}

/** The words of a Markdown document's text (text, code, image alt), node by node, as the site will show them. */
function markdownWords(markdown: string): string[] {
  const words: string[] = [];
  visit(markdownToMdast(markdown), (item) => {
    // A table whose cells hold blocks stays an HTML table (src/convert/blockTableToHtml.ts): its words are its text's.
    if (item.type === 'html' && HTML_TABLE.test((item as { value: string }).value))
      return void words.push(...expectedWords((item as { value: string }).value));
    const value =
      item.type === 'text' || item.type === 'inlineCode' || item.type === 'code'
        ? (item as { value: string }).value
        : item.type === 'image'
          ? ((item as { alt?: string }).alt ?? '')
          : '';
    words.push(...(value.match(/[a-z]+/g) ?? []));
  });
  return words;
}

test('property: any HTML, nested any way at all, imports without throwing', () => {
  fc.assert(
    fc.property(fc.array(anything, { minLength: 1, maxLength: 6 }), (nodes) => {
      const html = nodes.map(serialize).join('');
      assert.equal(typeof mdastToMarkdown(htmlToMdast(html)), 'string', html);
    }),
    { numRuns: 400, seed: 7 },
  );
});

test('property: any HTML imports and keeps every text node outside script and style, word for word', () => {
  fc.assert(
    fc.property(fc.array(flow, { minLength: 1, maxLength: 6 }), (nodes) => {
      const html = nodes.map(serialize).join('');
      const markdown = mdastToMarkdown(htmlToMdast(html));
      // Read back as the site reads it: the words of the Markdown's text, in order.
      assert.deepEqual(markdownWords(markdown), expectedWords(html), `HTML: ${html}\nMarkdown: ${markdown}`);
    }),
    { numRuns: 400, seed: 8, includeErrorInReport: true },
  );
});

test('a block inside bold, italic, a heading or a table cell keeps the words on both sides apart, and the table whole', () => {
  // Old WYSIWYG editors wrap whole paragraphs in <b>, and old blogs lay pages out with tables.
  const cases = [
    '<b><div>Heading</div>Text</b>',
    '<strong><p>First</p> second</strong>',
    '<i><div>one</div><div>two</div></i>',
    '<h3><p>Heading</p> words</h3>',
    '<table><tr><td>left <p>cell</p></td></tr></table>',
    '<table><tr><td>one<br><br>two</td></tr></table>',
    '<table><tr><td><ul><li>first</li><li>second</li></ul></td><td>next</td></tr></table>',
  ];
  const broken = cases
    .map((html) => {
      const markdown = mdastToMarkdown(htmlToMdast(html.toLowerCase()));
      return {
        html,
        markdown,
        words: markdownWords(markdown).join(' '),
        expected: expectedWords(html.toLowerCase()).join(' '),
      };
    })
    .filter((result) => result.words !== result.expected);
  assert.deepEqual(
    broken,
    [],
    'KNOWN BUG (issue 8, src/convert via rehype-remark / hast-util-to-mdast 10.1.3): a block inside an inline element, a heading or a table cell (or <br><br> in a cell) is ' +
      'flattened and the text on both sides trimmed, so two words become one ("headingtext"); a list in a cell breaks the Markdown table over two lines',
  );
});

test('property: text inside script and style never reaches the Markdown', () => {
  fc.assert(
    fc.property(fc.constantFrom('script', 'style'), word, fc.array(flow, { maxLength: 3 }), (tag, secret, around) => {
      const html = `${around.map(serialize).join('')}<${tag}>zz${secret} alert("zz${secret}")</${tag}>${around.map(serialize).join('')}`;
      assert.doesNotMatch(mdastToMarkdown(htmlToMdast(html)), new RegExp(`zz${secret}`), html);
    }),
    { numRuns: 200, seed: 9 },
  );
});

// ---------------------------------------------------------------------------------------------
// Byte mutations of the real corpus

/** Corpus files under 200 KB (a few runs each; the big ones cost seconds per run). */
async function corpusInputs(): Promise<Array<{ file: string; bytes: Buffer; format: string }>> {
  const inputs: Array<{ file: string; bytes: Buffer; format: string }> = [];
  for (const folder of ['feeds', 'mbox']) {
    for (const name of (await readdir(path.join(CORPUS, folder))).sort()) {
      const file = path.join(CORPUS, folder, name);
      const info = await stat(file);
      if (!info.isFile() || info.size > 200_000 || /\.(md|expect-\d+)$/.test(name)) continue;
      const format = folder === 'mbox' ? (/pipermail/.test(name) ? 'pipermail' : 'mbox') : 'auto';
      inputs.push({ file, bytes: await readFile(file), format });
    }
  }
  return inputs;
}

test('property: random byte mutations of the real feeds and mail archives import or fail with the clean InputError', {
  skip: corpusMissing(),
  timeout: 300_000,
}, async () => {
  const inputs = await corpusInputs();
  assert.ok(inputs.length >= 20, `only ${inputs.length} corpus files`);
  const out = await temporaryDirectory('almanac-hostile-mutations-');
  let run = 0;
  const slowest = { ms: 0, what: '' };
  const outcomes = { imported: 0, refused: 0 };
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: inputs.length - 1 }),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.oneof(
            fc.integer({ min: 0, max: 255 }),
            fc.constantFrom(0x00, 0x0a, 0x0d, 0x3c, 0x3e, 0x26, 0x22, 0x2d, 0x3d, 0x80, 0xc3, 0xff),
          ),
        ),
        { minLength: 1, maxLength: 12 },
      ),
      fc.option(fc.nat(), { nil: undefined }),
      fc.option(fc.tuple(fc.nat(), fc.nat({ max: 4096 })), { nil: undefined }),
      async (which, edits, cut, duplicate) => {
        const { file, bytes: original, format } = inputs[which];
        let bytes = Buffer.from(original);
        for (const [position, value] of edits) bytes[position % bytes.length] = value;
        // A slice pasted twice (a botched concatenation), then maybe a cut (an interrupted download).
        if (duplicate) {
          const [at, length] = duplicate;
          const start = at % bytes.length;
          bytes = Buffer.concat([bytes.subarray(0, start + length), bytes.subarray(start)]);
        }
        if (cut !== undefined) bytes = bytes.subarray(0, cut % bytes.length);
        const input = path.join(out, `mutated-${run}${path.extname(file) || '.txt'}`);
        await writeFile(input, bytes);
        // CPU time, not wall time: the machine is shared.
        const started = process.cpuUsage();
        try {
          const report = await importSource({ inputs: [input], format, out, source: `m${run++}` });
          outcomes.imported++;
          assert.equal(
            report.entries,
            report.written + report.unchanged + report.kept.length + report.comments + report.skipped.length,
            `${path.basename(file)}: the report does not add up`,
          );
        } catch (error) {
          assert.ok(
            error instanceof InputError,
            `${path.basename(file)} mutated (${JSON.stringify({ edits, cut, duplicate })}): not a clean error: ${(error as Error).stack}`,
          );
          assert.ok(
            error.file === input && error.message.length > 0,
            `${path.basename(file)}: the error does not name the file: ${error.file}`,
          );
          outcomes.refused++;
        }
        const used = process.cpuUsage(started);
        const ms = Math.round((used.user + used.system) / 1000);
        if (ms > slowest.ms) Object.assign(slowest, { ms, what: path.basename(file) });
        assert.ok(ms < 10_000, `${path.basename(file)} mutated took ${ms} ms of CPU`);
      },
    ),
    { numRuns: 150, seed: 88 },
  );
  process.stderr.write(
    `corpus mutations: ${JSON.stringify(outcomes)}, slowest ${slowest.ms} ms of CPU (${slowest.what})\n`,
  );
});
