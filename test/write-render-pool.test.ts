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
  for await (const entry of blogger.entries([path.join(ROOT, 'test/fixtures/blogger/blog-11-23-2026.xml')], context)) entries.push(entry);
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
    planned.forEach(({ entry, permalink }, index) => assert.equal(rendered[index], renderDocument(entry, { source: 'notes', permalink, transform }), entry.originalId));
    assert.ok(rendered.some((text) => text.includes('](/notes/2010/01/zfs-snapshots/#usage)')));
  } finally {
    await pool.close();
  }
});
