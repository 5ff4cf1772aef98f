import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import {
  readImportState,
  serializeImportState,
  STATE_FILE,
  writeImportState,
  type ImportState,
} from '../src/write/importState.ts';
import { temporaryDirectory } from './helpers/cli.ts';

const state = (documents: ImportState['documents']): ImportState => ({
  version: 1,
  source: 'notes',
  format: 'blogger',
  documents,
});

test('import state: the same state is the same bytes, whatever order ids were added in', () => {
  const a = state({
    b: { file: 'b.md', permalink: '/notes/b/', digest: '2' },
    a: { file: 'a.md', permalink: '/notes/a/', digest: '1' },
  });
  const b = state({
    a: { file: 'a.md', permalink: '/notes/a/', digest: '1' },
    b: { file: 'b.md', permalink: '/notes/b/', digest: '2' },
  });
  assert.equal(serializeImportState(a), serializeImportState(b));
});

test('import state: written, read back, and not rewritten when unchanged', async () => {
  const dir = await temporaryDirectory();
  const written = state({ 'tag:x.post-1': { file: '2020/05/a.md', permalink: '/notes/2020/05/a/', digest: 'abc' } });
  await writeImportState(dir, written);
  const before = await stat(path.join(dir, STATE_FILE));
  assert.deepEqual({ ...(await readImportState(dir, 'notes', 'blogger')).documents }, written.documents);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await writeImportState(dir, await readImportState(dir, 'notes', 'blogger'));
  assert.equal((await stat(path.join(dir, STATE_FILE))).mtimeMs, before.mtimeMs);
});

test('import state: missing or damaged state starts fresh; an id like __proto__ is just an id', async () => {
  const dir = await temporaryDirectory();
  const fresh = await readImportState(dir, 'notes', 'blogger');
  assert.deepEqual({ ...fresh.documents }, {});
  // biome-ignore lint/suspicious/noProto: the test is that an id named __proto__ is only an id
  fresh.documents.__proto__ = { file: 'fresh.md', permalink: '/notes/fresh/', digest: 'd' };
  assert.match(serializeImportState(fresh), /"__proto__"/);
  await writeFile(path.join(dir, STATE_FILE), '{ not json');
  assert.deepEqual({ ...(await readImportState(dir, 'notes', 'blogger')).documents }, {});
  await writeFile(
    path.join(dir, STATE_FILE),
    JSON.stringify({
      version: 1,
      source: 'notes',
      format: 'blogger',
      documents: { ['__proto__']: { file: 'p.md', permalink: '/notes/p/', digest: 'd' } },
    }),
  );
  const read = await readImportState(dir, 'notes', 'blogger');
  assert.equal(Object.keys(read.documents).length, 1);
  // biome-ignore lint/suspicious/noProto: as above
  assert.equal(read.documents.__proto__.file, 'p.md');
  assert.match(await readFile(path.join(dir, STATE_FILE), 'utf8'), /__proto__/);
});
