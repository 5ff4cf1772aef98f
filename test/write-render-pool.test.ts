/** Worker-thread rendering (large imports) gives the same bytes as rendering on the main thread. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import blogger from '../importers/blogger.ts';
import type { ImportContext } from '../importers/importer.ts';
import { OldUrlIndex } from '../src/content/contentIndex.ts';
import type { Entry } from '../src/model.ts';
import { createDocumentPipeline } from '../src/pipeline/index.ts';
import { planPermalink } from '../src/write/permalinks.ts';
import { renderDocument } from '../src/write/renderDocument.ts';
import { createRenderPool } from '../src/write/renderPool.ts';
import { ROOT } from './helpers/cli.ts';

test('render pool: the same Markdown as the main thread, links between posts included', async () => {
  const context: ImportContext = { source: 'notes', options: {}, warn() {}, skip() {}, progress() {} };
  const entries: Entry[] = [];
  for await (const entry of blogger.entries([path.join(ROOT, 'test/fixtures/blogger/blog-11-23-2026.xml')], context))
    entries.push(entry);
  const taken = new Set<string>();
  const oldUrls = new OldUrlIndex();
  const planned = entries.map((entry) => {
    const permalink = planPermalink(entry, 'notes', (candidate) => taken.has(candidate));
    taken.add(permalink);
    oldUrls.add(permalink, entry.originalUrl, entry.oldUrls);
    return { entry, permalink };
  });
  const transform = createDocumentPipeline({ resolveOldUrl: (url, base) => oldUrls.resolve(url, base) });
  const pool = createRenderPool(2);
  pool.setup({ source: 'notes', oldUrls: oldUrls.toJSON() });
  try {
    const rendered = await Promise.all(planned.map(({ entry, permalink }) => pool.render(entry, permalink)));
    for (const [index, { entry, permalink }] of planned.entries()) {
      assert.equal(rendered[index], renderDocument(entry, { source: 'notes', permalink, transform }), entry.originalId);
    }
    assert.ok(rendered.some((text) => text.includes('](/notes/2010/01/zfs-snapshots/#usage)')));
  } finally {
    await pool.close();
  }
});

test('render pool, streaming (mail): each document sees the old URLs planned before it, as on the main thread', async () => {
  const oldUrl = (index: number) =>
    `https://lists.example.org/pipermail/list/2020-May/${String(index).padStart(6, '0')}.html`;
  const link = (index: number) => ({
    type: 'link' as const,
    url: oldUrl(index),
    children: [{ type: 'text' as const, value: `message ${index}` }],
  });
  const entries: Entry[] = Array.from({ length: 6 }, (_, index) => ({
    kind: 'message',
    originalId: `m${index}@example.org`,
    title: `Message ${index}`,
    date: `2020-05-0${index + 1}T00:00:00Z`,
    tags: [],
    draft: false,
    originalUrl: oldUrl(index),
    oldUrls: [],
    comments: [],
    body: {
      type: 'mdast',
      value: {
        type: 'root',
        children: [
          { type: 'paragraph', children: [link(index - 1), { type: 'text', value: ' and ' }, link(index + 1)] },
        ],
      },
    },
  }));
  const oldUrls = new OldUrlIndex();
  const transform = createDocumentPipeline({ resolveOldUrl: (url, base) => oldUrls.resolve(url, base) });
  const pool = createRenderPool(2);
  pool.setup({ source: 'list', oldUrls: oldUrls.toJSON() });
  try {
    const expected: string[] = [];
    const rendered: Promise<string>[] = [];
    entries.forEach((entry, index) => {
      const permalink = `/list/2020/05/m${index}/`;
      oldUrls.add(permalink, entry.originalUrl, entry.oldUrls);
      pool.addOldUrl([permalink, entry.originalUrl, entry.oldUrls]);
      expected.push(renderDocument(entry, { source: 'list', permalink, transform }));
      rendered.push(pool.render(entry, permalink));
    });
    assert.deepEqual(await Promise.all(rendered), expected);
    assert.match(
      expected[2],
      /\[message 1\]\(\/list\/2020\/05\/m1\/\)/,
      'a message planned before is linked to its new page',
    );
    assert.match(
      expected[2],
      /\[message 3\]\(https:\/\/lists\.example\.org\/pipermail\/list\/2020-May\/000003\.html\)/,
      'one planned after is not (yet)',
    );
  } finally {
    await pool.close();
  }
});
