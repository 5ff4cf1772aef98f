/**
 * Links across sources: a Roller blog of two pages, an RSS feed and a planet feed link to each
 * other's old URLs; imported into one content/ in either order, every such link ends at the new
 * permalink, byte for byte the same result. Files edited or written by hand are never touched.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

const roller = ['test/fixtures/roller/jlevon-page1.atom', 'test/fixtures/roller/jlevon-page2.atom'].map((file) =>
  path.join(ROOT, file),
);
const IMPORTS: Record<string, string[]> = {
  jlevon: [...roller, '--source', 'jlevon', '--also-old-base', 'https://blogs.oracle.com/'],
  tribblix: [path.join(ROOT, 'test/fixtures/feeds/tribblix.rss'), '--source', 'tribblix'],
  planet: [path.join(ROOT, 'test/fixtures/feeds/planet.atom'), '--source', 'planet'],
};

async function importAll(order: string[], out: string): Promise<string[]> {
  const outputs: string[] = [];
  for (const name of order) {
    const result = await almanac(['import', ...IMPORTS[name], '--out', out]);
    assert.equal(result.code, 0, result.stderr);
    outputs.push(result.stdout);
  }
  return outputs;
}

async function snapshot(out: string): Promise<Map<string, string>> {
  const files = (await readdir(out, { recursive: true }))
    .filter((file) => file.endsWith('.md') || file.endsWith('.json'))
    .sort();
  return new Map(
    await Promise.all(
      files.map(async (file) => [file, await readFile(path.join(out, file), 'utf8')] as [string, string]),
    ),
  );
}

const read = async (out: string, file: string) => parseDocument(await readFile(path.join(out, file), 'utf8'));

test('three sources in either order: cross-links rewritten, frontmatter right, identical results', async () => {
  const forward = await temporaryDirectory();
  const backward = await temporaryDirectory();
  await importAll(['jlevon', 'tribblix', 'planet'], forward);
  await importAll(['planet', 'tribblix', 'jlevon'], backward);

  for (const out of [forward, backward]) {
    const zones = await read(out, 'jlevon/2005/06/zones-and-smf.md');
    assert.match(zones.body, /\[the boot debugging notes\]\(\/jlevon\/2005\/06\/debugging-boot\/\)/);
    assert.match(zones.body, /\[Crossbow's first look\]\(\/planet\/2005\/06\/crossbow-first-look\/\)/);
    assert.match(zones.body, /\[Tribblix take on zones\]\(\/tribblix\/2005\/06\/zones-on-tribblix\/\)/);
    assert.match(zones.body, /\[zones\]\(http:\/\/technorati\.com\/tag\/zones\)/, 'links to other sites stay');
    assert.deepEqual(zones.data.tags, ['Solaris', 'zones', 'smf']);
    assert.equal(zones.data.date, '2005-06-20T09:12:44-07:00');
    assert.equal(zones.data.original_url, 'http://blogs.sun.com/jlevon/entry/zones_and_smf');
    assert.deepEqual(zones.data.redirect_from, ['/jlevon/entry/zones_and_smf']);

    const tribblix = await read(out, 'tribblix/2005/06/zones-on-tribblix.md');
    assert.equal(
      tribblix.body,
      'Sparse-root zones, as [jlevon explained on blogs.sun.com](/jlevon/2005/06/zones-and-smf/) and again [on blogs.oracle.com](/jlevon/2005/06/zones-and-smf/#smf), boot in seconds.\n\nSee also [package management](/tribblix/2005/06/package-management/).\n',
    );
    assert.equal(tribblix.data.date, '2005-06-21T14:30:00-05:00');
    assert.deepEqual(tribblix.data.tags, ['Zones', 'illumos']);
    assert.deepEqual(tribblix.data.redirect_from, ['/2005/06/zones-on-tribblix/']);

    const dan = await read(out, 'planet/2005/06/crossbow-first-look.md');
    assert.equal(dan.body, 'Virtual NICs for every zone. Compare [Zones & SMF](/jlevon/2005/06/zones-and-smf/).\n');
    assert.equal(dan.data.date, '2005-06-25T18:00:00+02:00');
    assert.deepEqual(dan.data.redirect_from, ['/dan/2005/06/crossbow-first-look.html']);
    const brendan = await read(out, 'planet/2005/06/dtrace-desktop.md');
    assert.match(brendan.body, /\[Tribblix on packages\]\(\/tribblix\/2005\/06\/package-management\/\)/);
  }
  assert.deepEqual(
    await snapshot(backward),
    await snapshot(forward),
    'the import order makes no difference, import states included',
  );
});

test('after relinking, re-imports write nothing and relink changes nothing', async () => {
  const out = await temporaryDirectory();
  await importAll(['planet', 'tribblix', 'jlevon'], out);
  const before = await snapshot(out);
  const again = await importAll(['planet', 'tribblix', 'jlevon'], out);
  for (const line of again) assert.match(line, / 0 written, /, line);
  const relink = await almanac(['relink', '--content', out]);
  assert.equal(relink.code, 0, relink.stderr);
  assert.match(relink.stdout, /: 12 documents, 0 relinked\n$/);
  assert.deepEqual(await snapshot(out), before);
});

test('a document edited by hand is not relinked (a warning says so); hand-written documents are never touched', async () => {
  const out = await temporaryDirectory();
  await importAll(['planet'], out);
  const danFile = path.join(out, 'planet/2005/06/crossbow-first-look.md');
  const edited = `${await readFile(danFile, 'utf8')}\nA line I added by hand.\n`;
  await writeFile(danFile, edited);
  await mkdir(path.join(out, 'notes'), { recursive: true });
  const handFile = path.join(out, 'notes/reading.md');
  const hand =
    '---\ntitle: Reading list\npermalink: /notes/reading/\n---\nStart with [Zones & SMF](http://blogs.sun.com/jlevon/entry/zones_and_smf).\n';
  await writeFile(handFile, hand);

  const reportFile = path.join(out, 'report.json');
  const result = await almanac(['import', ...IMPORTS.jlevon, '--out', out, '--report', reportFile]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(await readFile(danFile, 'utf8'), edited);
  assert.equal(await readFile(handFile, 'utf8'), hand);
  assert.match(
    result.stderr,
    /crossbow-first-look\.md: edited by hand since its import; its links to newly imported documents were not rewritten/,
  );
  // Brendan's post links to tribblix, which is not imported yet: that link stays as it was.
  const brendan = await read(out, 'planet/2005/06/dtrace-desktop.md');
  assert.match(brendan.body, /http:\/\/tribblix\.example\.net\/2005\/06\/package-management\//);
});

test('almanac relink: a hand-written document with an original_url takes part; the import state stays in sync', async () => {
  const out = await temporaryDirectory();
  await importAll(['jlevon'], out);
  const zonesFile = path.join(out, 'jlevon/2005/06/zones-and-smf.md');
  assert.match(
    await readFile(zonesFile, 'utf8'),
    /\(http:\/\/planet\.example\.org\/dan\/2005\/06\/crossbow-first-look\.html\)/,
  );
  await mkdir(path.join(out, 'notes'), { recursive: true });
  await writeFile(
    path.join(out, 'notes/crossbow.md'),
    '---\ntitle: Crossbow, rewritten by hand\npermalink: /notes/crossbow/\noriginal_url: http://planet.example.org/dan/2005/06/crossbow-first-look.html\n---\nMy notes.\n',
  );

  const dry = await almanac(['relink', '--content', out, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /would relink: .*jlevon\/2005\/06\/zones-and-smf\.md\n/);
  assert.match(await readFile(zonesFile, 'utf8'), /crossbow-first-look\.html/, 'a dry run writes nothing');

  const relink = await almanac(['relink', '--content', out]);
  assert.equal(relink.code, 0, relink.stderr);
  assert.match(relink.stdout, /relinked: .*zones-and-smf\.md\n.*: 6 documents, 1 relinked\n$/);
  assert.match(await readFile(zonesFile, 'utf8'), /\[Crossbow's first look\]\(\/notes\/crossbow\/\)/);
  assert.equal(
    await readFile(path.join(out, 'notes/crossbow.md'), 'utf8'),
    '---\ntitle: Crossbow, rewritten by hand\npermalink: /notes/crossbow/\noriginal_url: http://planet.example.org/dan/2005/06/crossbow-first-look.html\n---\nMy notes.\n',
  );

  const twice = await almanac(['relink', '--content', out]);
  assert.match(twice.stdout, /0 relinked\n$/);
  // The digest was updated with the file: a re-import does not take the relinked file for a hand edit.
  const reimport = await almanac(['import', ...IMPORTS.jlevon, '--out', out]);
  assert.equal(reimport.code, 0, reimport.stderr);
  assert.doesNotMatch(reimport.stderr, /kept:/);
  assert.match(reimport.stdout, /0 written, 5 unchanged/);
});
