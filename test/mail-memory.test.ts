import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { writeMbox } from '../bench/generate/mbox.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';

// What the writer keeps of each message till the end of an import is a few dozen bytes, off the JS heap; its import record goes to a spool file.
// On a heap this small, 30,000 messages ran out of memory when it kept Maps, Sets and record objects (~1.3 KB a message).
test('a 30,000-message mbox imports on a 48 MB heap, every message written and recorded', async () => {
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'list.mbox');
  const messages = 30_000;
  await writeMbox(input, { messages });
  const out = path.join(dir, 'content');
  const result = await almanac(['import', input, '--format', 'mbox', '--source', 'list', '--out', out], {
    env: { NODE_OPTIONS: '--max-old-space-size=48' },
  });
  assert.equal(result.code, 0, result.stderr.slice(-2000));
  assert.match(result.stdout, new RegExp(`${messages} written`));
  const state = JSON.parse(await readFile(path.join(out, 'list', '.almanac-import.json'), 'utf8')) as {
    documents: Record<string, { file: string }>;
  };
  assert.equal(Object.keys(state.documents).length, messages);
  const files = (await readdir(path.join(out, 'list'), { recursive: true })).filter((file) => file.endsWith('.md'));
  assert.equal(files.length, messages);
  assert.deepEqual(
    new Set(Object.values(state.documents).map((record) => record.file)),
    new Set(files.map((file) => file.split(path.sep).join('/'))),
  );
  assert.deepEqual(
    (await readdir(path.join(out, 'list'))).filter((name) => name.endsWith('.tmp')),
    [],
    'no spool or temporary file is left',
  );
});
