import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import {
  ImportRecordSpool,
  serializeImportState,
  STATE_FILE,
  writeImportState,
  type ImportState,
} from '../src/write/importState.ts';
import { StringFingerprints, StringTable } from '../importers/mail/stringTable.ts';
import { temporaryDirectory } from './helpers/cli.ts';

const record = (id: string, digest: string) => ({
  permalink: `/notes/${encodeURIComponent(id)}/`,
  file: `${encodeURIComponent(id)}.md`,
  digest,
});

test("import state: records spooled in several sorted runs merge with the earlier import's into the same bytes as one object", async () => {
  const dir = await temporaryDirectory();
  // Ids JSON.stringify orders specially (array indexes first, numerically), non-ASCII and astral ones, one like __proto__.
  const ids = ['__proto__', '10', '9', '0', '4294967295', '01', 'é', '😀', '\uffff', 'a\tb', 'line\nbreak'];
  for (let index = 0; index < 40_000; index++)
    ids.push(`${(index * 7919) % 40_000}.${index % 3 ? 'x' : 'é'}@list.example.org`);
  const earlier: ImportState['documents'] = Object.create(null);
  for (let index = 0; index < ids.length; index += 3) earlier[ids[index]] = record(ids[index], 'old');
  earlier['only-earlier'] = record('only-earlier', 'old');

  const spool = new ImportRecordSpool(dir);
  const merged: ImportState['documents'] = Object.assign(Object.create(null), earlier);
  for (const [index, id] of ids.entries()) {
    if (index % 5 === 4) continue;
    spool.add(id, record(id, `new ${index}`));
    merged[id] = record(id, `new ${index}`);
  }
  const state: ImportState = { version: 1, source: 'notes', format: 'mbox', documents: earlier };
  const expected = serializeImportState({ ...state, documents: merged });
  assert.equal(serializeImportState(state, spool), expected);
  assert.ok(
    (await readdir(dir)).some((name) => name.endsWith('.tmp')),
    'the records went to a spool file',
  );
  await writeImportState(dir, state, spool);
  assert.equal(await readFile(path.join(dir, STATE_FILE), 'utf8'), expected);
  spool.close();
  assert.deepEqual(await readdir(dir), [STATE_FILE], 'the spool file is gone');
});

test('string table: every string gets one number and reads back, across its 1 MB chunks, long and non-ASCII ones too', () => {
  const table = new StringTable();
  const words = Array.from({ length: 60_000 }, (_, index) => `<${index * 31}.${index % 7}@example.org>`);
  // Two strings over a chunk's size, one whose worst case (3 bytes a unit) is over it, and multi-byte text among the rest.
  words.push(
    'x'.repeat(1_500_000),
    `${'é'.repeat(600_000)}!`,
    'y'.repeat(400_000),
    'Łódź 😀 <id@例え.jp>',
    '<0.0@example.org>',
  );
  const numbers = words.map((word) => table.intern(word));
  assert.deepEqual(
    words.map((word) => table.intern(word)),
    numbers,
  );
  assert.equal(table.size, new Set(words).size);
  assert.deepEqual(
    numbers.map((number) => table.get(number)),
    words,
  );
});

test('string fingerprints: every string gets one number; 200,000 similar strings do not collide', () => {
  const table = new StringFingerprints();
  const words = Array.from(
    { length: 200_000 },
    (_, index) => `/list/20${index % 20}/${index % 12}/${index.toString(36)}/`,
  );
  const numbers = words.map((word) => table.intern(word));
  assert.equal(table.size, words.length);
  assert.deepEqual(
    words.map((word) => table.lookup(word)),
    numbers,
  );
  assert.equal(table.lookup('/list/missing/'), -1);
  assert.equal(table.has('é😀'), false);
  table.intern('é😀');
  assert.equal(table.has('é😀'), true);
});
