/**
 * The plain-tree fast path (src/write/plainMarkdown.ts) against the general one (document pipeline,
 * then mdast-util-to-markdown): wherever the fast path answers, its bytes must be the same.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { BlockContent, PhrasingContent, Root } from 'mdast';
import { mailTextToMdast } from '../importers/mail/mailBody.ts';
import { OldUrlIndex } from '../src/content/contentIndex.ts';
import { mdastToMarkdown } from '../src/convert/markdown.ts';
import { createDocumentPipeline } from '../src/pipeline/index.ts';
import { createEntryRenderer, renderDocument } from '../src/write/renderDocument.ts';
import { treeToMarkdown } from '../src/write/plainMarkdown.ts';
import type { Entry } from '../src/model.ts';

const transform = createDocumentPipeline({
  resolveOldUrl: () => undefined,
  autolinks: [{ pattern: 'bug (\\d+)', url: 'https://bugs.example.org/$1' }],
});
const isInert = (text: string) =>
  !/https?:\/\/|www\.|@|CVE-\d{4}-\d{4,}|illumos\s+(?:#|(?:issue|bug)\s+#?)\d+|bug \d+/i.test(text);

const general = (tree: Root) => mdastToMarkdown(transform(tree));

/** Both paths on copies of the tree, checked to agree (up to trailing white space, which renderDocument trims); whether the fast path wrote any block. */
function compare(tree: Root): boolean {
  let generalBlocks = 0;
  const fast = treeToMarkdown(structuredClone(tree), isInert, (part) => {
    generalBlocks += part.children.length;
    return general(part);
  });
  assert.equal(fast.trimEnd(), general(structuredClone(tree)).trimEnd(), JSON.stringify(tree));
  return generalBlocks < tree.children.length;
}

// Pieces that are plain, and pieces that are anything Markdown or the autolinkers care about, at line starts too.
const PIECES = [
  'word',
  'Word',
  'é',
  '日本',
  ' ',
  ' ',
  '.',
  ',',
  ':',
  ';',
  '!',
  '?',
  '"',
  "'",
  '(',
  ')',
  '/',
  '%',
  '$',
  '^',
  '{',
  '}',
  '1',
  '42',
  '2015.',
  '3)',
  '-',
  '--',
  '---',
  '+',
  '*',
  '_',
  '`',
  '```',
  '~',
  '#',
  '##',
  '=',
  '==',
  '>',
  '<',
  '<a',
  '&',
  '&amp;',
  '[',
  ']',
  '\\',
  '|',
  '@',
  'a@b.c',
  'www.x.org',
  'w.x',
  'http://a.b',
  'https:/',
  'ps:/',
  'CVE-2020-1234',
  'bug 12',
  'illumos #7',
  '\t',
  '\n',
  '\n',
  '\n\n',
  '\r',
  '\0',
  '\u00a0',
  '\u2003',
];
const text = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join(''));
const prose = fc
  .array(fc.constantFrom('word', 'Word', ' ', ' ', ',', '.', '\n', 'é', "'", '(', ')', ':', '1', '2'), {
    minLength: 1,
    maxLength: 20,
  })
  .map((pieces) => pieces.join(''));
const phrasing = fc
  .array(fc.oneof(text, prose, prose), { minLength: 1, maxLength: 4 })
  .map((texts) =>
    texts.flatMap((value, index): PhrasingContent[] =>
      index === 0 ? [{ type: 'text', value }] : [{ type: 'break' }, { type: 'text', value }],
    ),
  );
/** Phrasing that is never plain: links (old URLs the pipeline rewrites too), emphasis, code. */
const rich = fc.array(
  fc.oneof(
    text.map((value): PhrasingContent => ({ type: 'text', value })),
    fc
      .record({
        url: fc.constantFrom('./a.png', 'https://old.example.org/2010/01/x.html', 'mailto:a@b.c', 'http://a.b/'),
        value: text,
      })
      .map(
        ({ url, value }): PhrasingContent => ({ type: 'link', url, title: null, children: [{ type: 'text', value }] }),
      ),
    text.map((value): PhrasingContent => ({ type: 'emphasis', children: [{ type: 'text', value }] })),
    text.map((value): PhrasingContent => ({ type: 'inlineCode', value })),
  ),
  { minLength: 1, maxLength: 3 },
);
const { block } = fc.letrec<{ block: BlockContent }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    phrasing.map((children): BlockContent => ({ type: 'paragraph', children })),
    phrasing.map((children): BlockContent => ({ type: 'paragraph', children })),
    fc
      .record({
        value: fc.oneof(text, prose),
        lang: fc.constantFrom(null, 'diff', 'c++', ''),
        meta: fc.constantFrom(null, null, 'x'),
      })
      .map(({ value, lang, meta }): BlockContent => ({ type: 'code', value, lang, meta })),
    fc.constant<BlockContent>({ type: 'thematicBreak' }),
    rich.map((children): BlockContent => ({ type: 'paragraph', children })),
    fc
      .record({ depth: fc.constantFrom(1, 2, 6), children: rich })
      .map(({ depth, children }): BlockContent => ({ type: 'heading', depth: depth as 1, children })),
    fc.record({ ordered: fc.boolean(), items: fc.array(fc.oneof(phrasing, rich), { minLength: 1, maxLength: 3 }) }).map(
      ({ ordered, items }): BlockContent => ({
        type: 'list',
        ordered,
        spread: false,
        children: items.map((children) => ({
          type: 'listItem',
          spread: false,
          children: [{ type: 'paragraph', children }],
        })),
      }),
    ),
    fc.constantFrom<BlockContent>({ type: 'html', value: '<div>x</div>' }, { type: 'html', value: '<!-- c -->' }),
    fc
      .array(tie('block'), { maxLength: 3 })
      .map((children): BlockContent => ({ type: 'blockquote', children: children as BlockContent[] })),
  ),
}));
const tree = fc.array(block, { maxLength: 6 }).map((children): Root => ({ type: 'root', children }));

test('plain Markdown: on random trees, the fast path writes what the general path writes, or declines', () => {
  let answered = 0;
  fc.assert(
    fc.property(tree, (root) => void (compare(root) && answered++)),
    { numRuns: 20000 },
  );
  assert.ok(answered > 2000, `the fast path wrote blocks of only ${answered} of 20,000 trees`);
});

test('plain Markdown: on random mail bodies (quotes, diffs, signatures), the same', () => {
  const line = fc
    .array(
      fc.constantFrom(
        ...PIECES,
        'word',
        'word ',
        'Word ',
        '> ',
        '>',
        '-- ',
        '    ',
        'diff --git a/x b/x',
        '--- a/x',
        '+++ b/x',
        '@@ -1 +1 @@',
        ' 1 file changed',
      ),
      { maxLength: 10 },
    )
    .map((pieces) => pieces.join(''));
  let answered = 0;
  fc.assert(
    fc.property(
      fc.array(line, { maxLength: 30 }),
      (lines) => void (compare(mailTextToMdast(lines.join('\n'))) && answered++),
    ),
    { numRuns: 20000 },
  );
  assert.ok(answered > 1000, `the fast path wrote blocks of only ${answered} of 20,000 bodies`);
});

test('plain Markdown: ordinary list mail takes the fast path; what the pipeline would link is left to it', () => {
  const body = mailTextToMdast(
    'On Tue, 20 Jan 2015 20:20:00 GMT, somebody wrote:\n\n> Driver gcc resilver upgrade patch test network gcc raidz virtio gcc\n> compile device should.\n>\n> > Nested quote.\n\nThanks, that works for me:\n\n    $ make install\n\nSigned-off-by: Person 92\n\n-- \nPerson 133\n',
  );
  const calls: Root[] = [];
  const markdown = treeToMarkdown(structuredClone(body), isInert, (part) => {
    calls.push(part);
    return general(part);
  });
  assert.equal(
    markdown,
    'On Tue, 20 Jan 2015 20:20:00 GMT, somebody wrote:\n\n> Driver gcc resilver upgrade patch test network gcc raidz virtio gcc\n> compile device should.\n>\n> > Nested quote.\n\nThanks, that works for me:\n\n```\n    $ make install\n```\n\nSigned-off-by: Person 92\n\n---\n\nPerson 133',
  );
  assert.equal(calls.length, 0);
  // Only the paragraph with a URL goes the general way; it is linked.
  const mixed = treeToMarkdown(mailTextToMdast('Hello,\n\nsee www.example.org for bug 12.\n\nBye'), isInert, (part) => {
    calls.push(part);
    return general(part);
  });
  assert.equal(
    mixed,
    'Hello,\n\nsee [www.example.org](http://www.example.org/) for [bug 12](https://bugs.example.org/12).\n\nBye',
  );
  assert.equal(calls.length, 1);
  assert.equal(calls[0].children.length, 1);
});

test('plain Markdown: a rendered document is the same with and without the fast path', () => {
  const render = createEntryRenderer('list', new OldUrlIndex());
  const entry: Entry = {
    kind: 'message',
    originalId: 'a@b',
    title: 'Re: [x] Hello',
    date: '2015-01-01T00:00:00+00:00',
    tags: [],
    draft: false,
    oldUrls: [],
    comments: [],
    body: { type: 'mdast', value: mailTextToMdast('Hello,\n\n> quoted\n\nbye\n-- \nMe') },
    extra: {},
  };
  const general = renderDocument(structuredClone(entry), {
    source: 'list',
    permalink: '/list/x/',
    transform: createDocumentPipeline({ resolveOldUrl: () => undefined }),
  });
  assert.equal(render(structuredClone(entry), '/list/x/'), general);
});
