import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { almanac, temporaryDirectory } from './helpers/cli.ts';

// Pipermail writes every `@` of a body as ` at `, inside URLs too (mail-archive.com, gmane and marc links carry the list's address).
const VOLUME = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail/pipermail/2007-April.txt');

test('a URL that Pipermail cut with " at " is one link again, with its @ put back; addresses stay hidden', async () => {
  const out = await temporaryDirectory();
  const result = await almanac(['import', VOLUME, '--source', 'zones', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const [file] = (await readdir(path.join(out, 'zones'), { recursive: true })).filter((name) => name.endsWith('.md'));
  const markdown = await readFile(path.join(out, 'zones', file), 'utf8');
  assert.match(
    markdown,
    /\\\[0] \[http:\/\/www\.mail-archive\.com\/zones@lists\.example\.org\/msg01581\.html]\(http:\/\/www\.mail-archive\.com\/zones@lists\.example\.org\/msg01581\.html\)/,
  );
  assert.match(markdown, /\(http:\/\/news\.example\.net\/gmane\.zones@lists\.example\.org\/thread\/42\) \(read it/);
  assert.doesNotMatch(
    markdown,
    /\]\(http:\/\/www\.mail-archive\.com\/zones\)|\]\(http:\/\/news\.example\.net\/gmane\.zones\)/,
  );
  // Not URLs: an address in prose, and " at " after a URL that no host and path follow.
  assert.match(markdown, /Write to alice at example\.org if/);
  assert.match(markdown, /\(http:\/\/example\.org\/docs\/\) at noon/);
});
