/**
 * What a file is, said plainly: WordPress exports (WXR, every version, WordPress.com's undeclared
 * prefixes) are recognised and refused, never read as RSS; a --format that does not fit says what
 * the file looks like; one source of mixed formats names each file's; --encoding for files that
 * lie about or omit their encoding.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { sniffFormat } from '../importers/index.ts';
import { InputError } from '../src/errors.ts';
import { loadConfig } from '../src/site/config.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';
import { importFixture } from './helpers/importFixture.ts';

const fixture = (folder: string, name: string) => path.join(ROOT, 'test/fixtures', folder, name);
const WXR = ['wxr-1.0.xml', 'wxr-1.2.xml', 'wordpress-com.xml'].map((name) => fixture('wordpress', name));

async function refused(args: string[]) {
  const out = await temporaryDirectory();
  const result = await almanac(['import', ...args, '--source', 'refused', '--out', out]);
  assert.equal(existsSync(path.join(out, 'refused')), false, 'nothing written');
  return result;
}

test('WordPress exports of every WXR version are sniffed as WordPress, never as RSS', async () => {
  for (const input of WXR) assert.equal(await sniffFormat(input), 'wordpress', input);
});

test('a WordPress export is refused with one line and exit 1, sniffed or forced as RSS', async () => {
  for (const input of WXR) {
    for (const extra of [[], ['--format', 'rss'], ['--format', 'wordpress']]) {
      const result = await refused([input, ...extra]);
      assert.equal(result.code, 1, `${input} ${extra.join(' ')}`);
      assert.equal(
        result.stderr,
        `almanac import: ${input}: this is a WordPress export (WXR); the WordPress importer is not available yet\n`,
      );
    }
  }
});

test('--format blogger on a plain Atom feed: exit 1, and the format it looks like', async () => {
  const input = fixture('feeds', 'notes.atom');
  const result = await refused([input, '--format', 'blogger']);
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    `almanac import: ${input}: this is not a Blogger export; it looks like an Atom feed (--format atom)\n`,
  );
});

test('--format atom on a Blogger backup: exit 1, where it would have published settings and the template as posts', async () => {
  const input = fixture('blogger', 'blog-11-23-2026.xml');
  const result = await refused([input, '--format', 'atom']);
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr,
    `almanac import: ${input}: this is a Blogger export, not an Atom feed: read as one, its settings and template entries would become posts; use --format blogger\n`,
  );
});

test('--format atom on an RSS feed, --format mbox on a feed: exit 1, and the format it looks like', async () => {
  const rss = fixture('feeds', 'tribblix.rss');
  const atom = await refused([rss, '--format', 'atom']);
  assert.equal(atom.code, 1);
  assert.equal(
    atom.stderr,
    `almanac import: ${rss}: this is not an Atom feed; it looks like an RSS feed (--format rss)\n`,
  );
  const mbox = await refused([rss, '--format', 'mbox']);
  assert.equal(mbox.code, 1);
  assert.equal(mbox.stderr, `almanac import: ${rss}: this is not an mbox; it looks like an RSS feed (--format rss)\n`);
});

test("one source of mixed formats names each file's format and says to import them separately", async () => {
  const rss = fixture('feeds', 'tribblix.rss');
  const mbox = fixture('mail', 'mime.mbox');
  const result = await refused([rss, mbox]);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    new RegExp(
      `^almanac import: inputs of different formats in one source: ${rss} \\(rss\\), ${mbox} \\(mbox\\); import them as separate sources\\n`,
    ),
  );
});

test('a Latin-1 feed without an XML declaration: the UTF-8 error names --encoding, and --encoding latin1 reads it', async () => {
  const input = fixture('feeds', 'latin1-undeclared.rss');
  const result = await refused([input]);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /latin1-undeclared\.rss:1:\d+: invalid UTF-8 \(byte 0xed at offset \d+\); if the file is in another encoding, say which with --encoding latin1\n$/,
  );
  const { read } = await importFixture([input], 'noticias', ['--encoding', 'latin1']);
  const { data, body } = await read('2018/01/b.md');
  assert.equal(data.title, 'Informação é poder');
  assert.equal(body, 'Direção-geral agirá.\n');
});

test('--encoding overrides a declaration that lies; an unknown label is a usage error (exit 2)', async () => {
  const lying = path.join(await temporaryDirectory(), 'lying.rss');
  const bytes = await import('node:fs/promises').then(({ readFile }) =>
    readFile(fixture('feeds', 'latin1-undeclared.rss')),
  );
  await writeFile(lying, Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n'), bytes]));
  const { read } = await importFixture([lying], 'lying', ['--encoding', 'iso-8859-1']);
  assert.equal((await read('2018/01/b.md')).data.title, 'Informação é poder');
  const unknown = await refused([lying, '--encoding', 'klingon']);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /^almanac import: --encoding "klingon" is not a character encoding; give a WHATWG label such as utf-8, latin1/,
  );
});

test('almanac.config.json: a source\'s "encoding" reaches its importer as --encoding does; an unknown one is refused', async () => {
  const folder = await temporaryDirectory();
  const file = path.join(folder, 'almanac.config.json');
  await writeFile(
    file,
    JSON.stringify({
      sources: [{ id: 'noticias', format: 'rss', inputs: ['a.rss'], encoding: 'latin1', options: { planetBlog: 'x' } }],
    }),
  );
  const config = await loadConfig(file);
  assert.deepEqual(config.sources[0].options, { planetBlog: 'x', encoding: 'latin1' });
  await writeFile(
    file,
    JSON.stringify({ sources: [{ id: 'noticias', format: 'rss', inputs: ['a.rss'], encoding: 'klingon' }] }),
  );
  await assert.rejects(
    loadConfig(file),
    (error: unknown) =>
      error instanceof InputError &&
      /sources\[0\]\.encoding must be a character encoding's WHATWG label/.test(error.message),
  );
});
