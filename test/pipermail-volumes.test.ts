import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { importSource } from '../src/write/importSource.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';
import { documentsBelow } from './helpers/documents.ts';

// Mailman 2 names a list's volumes by its archive_volume_frequency (HyperArch.dateToVolName); each is `<volume>.txt` or `.txt.gz`.
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail/pipermail');
const OLD_BASE = 'https://lists.example.org/pipermail/zones/';

/** One volume file imported with --old-base, as `.txt` or as `.txt.gz` under the same volume name. */
async function importVolume(name: string, gzip: boolean, extra: string[] = [], as = name) {
  const folder = await temporaryDirectory();
  const input = path.join(folder, gzip ? `${as}.gz` : as);
  if (gzip) await writeFile(input, gzipSync(await readFile(path.join(FIXTURES, name))));
  else await copyFile(path.join(FIXTURES, name), input);
  const out = path.join(folder, 'content');
  const result = await almanac([
    'import',
    input,
    '--source',
    'zones',
    '--list',
    'zones',
    '--out',
    out,
    '--old-base',
    OLD_BASE,
    ...extra,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return { result, all: await documentsBelow(path.join(out, 'zones')) };
}

for (const [file, volume] of [
  ['2024.txt', '2024'],
  ['2026q3.txt', '2026q3'],
  ['Week-of-Mon-20011231.txt', 'Week-of-Mon-20011231'],
  ['20011231.txt', '20011231'],
]) {
  for (const gzip of [false, true]) {
    test(`a ${volume} volume (${gzip ? '.txt.gz' : '.txt'}) keeps its old URLs /pipermail/<list>/${volume}/NNNNNN.html`, async () => {
      const { result, all } = await importVolume(file, gzip);
      assert.ok(all.length > 0);
      assert.deepEqual(
        all.map((document) => document.redirect_from),
        all.map((_, index) => [`/pipermail/zones/${volume}/${String(index).padStart(6, '0')}.html`]),
      );
      assert.ok(all.every((document) => document.old_url_certainty === 'likely'));
      assert.match(result.stderr, /count messages from 000000 across the volumes given/);
      assert.doesNotMatch(result.stderr, /not a Mailman volume name|not among the inputs/);
    });
  }
}

test('a volume renamed by a mirror gets no old URLs, and the warning says why and what to do', async () => {
  const { result, all } = await importVolume('2011-07.txt', false);
  assert.equal(all.length, 2);
  assert.ok(all.every((document) => document.redirect_from === undefined));
  assert.match(
    result.stderr,
    /2011-07\.txt: "2011-07" is not a Mailman volume name \(2024, 2026q3, 2020-May, Week-of-Mon-20011231, 20011231\), so its messages get no old Pipermail URLs; name its volume with --volume 2011-07\.txt=NAME/,
  );
  // No claim that old URLs were made.
  assert.doesNotMatch(result.stderr, /count messages from/);
});

test('--volume names the volume of a renamed file (List-5, once weekly; 2011-07, once 2011-July)', async () => {
  const renamed = await importVolume('2011-07.txt', true, ['--volume', '2011-July']);
  assert.deepEqual(
    renamed.all.map((document) => document.redirect_from),
    [['/pipermail/zones/2011-July/000000.html'], ['/pipermail/zones/2011-July/000001.html']],
  );
  assert.doesNotMatch(renamed.result.stderr, /not a Mailman volume name/);
  const weekly = await importVolume(
    'Week-of-Mon-20011231.txt',
    false,
    ['--volume', 'List-5=Week-of-Mon-20011231'],
    'List-5',
  );
  assert.deepEqual(
    weekly.all.map((document) => document.redirect_from),
    [['/pipermail/zones/Week-of-Mon-20011231/000000.html'], ['/pipermail/zones/Week-of-Mon-20011231/000001.html']],
  );
});

test('--volume that is not a Mailman volume name, or names no input, is a usage error', async () => {
  const folder = await temporaryDirectory();
  const input = path.join(folder, '2011-07.txt');
  await copyFile(path.join(FIXTURES, '2011-07.txt'), input);
  const bad = await almanac(['import', input, '--out', path.join(folder, 'out'), '--volume', '2011-07']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--volume 2011-07: "2011-07" is not a Mailman volume name/);
  const other = await almanac(['import', input, '--out', path.join(folder, 'out'), '--volume', 'other.txt=2011-July']);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /"other\.txt" is not among the inputs/);
});

test('volumes of several periods given together are read in date order; a missing one makes later numbers a guess', async () => {
  const folder = await temporaryDirectory();
  for (const name of ['2024.txt', '2026q3.txt']) await copyFile(path.join(FIXTURES, name), path.join(folder, name));
  const out = path.join(folder, 'content');
  const result = await almanac([
    'import',
    path.join(folder, '2026q3.txt'),
    path.join(folder, '2024.txt'),
    '--source',
    'zones',
    '--list',
    'zones',
    '--out',
    out,
    '--old-base',
    OLD_BASE,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /2026q3\.txt: the volume before it is not among the inputs/);
  const all = await documentsBelow(path.join(out, 'zones'));
  assert.deepEqual(
    all.map((document) => [String(document.redirect_from), document.old_url_certainty]),
    [
      ['/pipermail/zones/2024/000000.html', 'likely'],
      ['/pipermail/zones/2024/000001.html', 'likely'],
      ['/pipermail/zones/2026q3/000002.html', 'guess'],
      ['/pipermail/zones/2026q3/000003.html', 'guess'],
    ],
  );
});

test('"volume" in a source\'s options (almanac.config.json) names it as --volume does', async () => {
  const out = await temporaryDirectory();
  const report = await importSource({
    inputs: [path.join(FIXTURES, '2011-07.txt')],
    source: 'zones',
    out,
    oldBase: OLD_BASE,
    importerOptions: { list: 'zones', volume: '2011-July' },
  });
  assert.equal(report.written, 2);
  assert.deepEqual(
    (await documentsBelow(path.join(out, 'zones'))).map((document) => document.redirect_from),
    [['/pipermail/zones/2011-July/000000.html'], ['/pipermail/zones/2011-July/000001.html']],
  );
});
