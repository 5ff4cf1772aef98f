/**
 * The Roller importer on hand-written feeds shaped like blogs.sun.com's (test/fixtures/roller/,
 * built from Roller's feed templates: see ../shared/corpus/roller/README.md): two entries pages and
 * the comments feed as one source.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { sniffFormat } from '../importers/index.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

const fixture = (name: string) => path.join(ROOT, 'test/fixtures/roller', name);
const PAGES = [fixture('jlevon-page1.atom'), fixture('jlevon-page2.atom'), fixture('jlevon-comments.atom')];

interface Imported {
  out: string;
  report: {
    entries: number;
    written: number;
    comments: number;
    skipped: { id: string; reason: string }[];
    warnings: { id?: string; message: string }[];
  };
  stdout: string;
  read(file: string): Promise<{ data: Record<string, unknown>; body: string }>;
}

async function importRoller(extra: string[] = []): Promise<Imported> {
  const out = await temporaryDirectory();
  const reportFile = path.join(out, 'report.json');
  const result = await almanac([
    'import',
    ...PAGES,
    '--source',
    'jlevon',
    '--out',
    out,
    '--report',
    reportFile,
    ...extra,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return {
    out,
    stdout: result.stdout,
    report: JSON.parse(await readFile(reportFile, 'utf8')),
    read: async (file) => parseDocument(await readFile(path.join(out, 'jlevon', file), 'utf8')),
  };
}

test('a Roller feed is sniffed by its content: generator, tag scheme or /entry/ permalinks', async () => {
  assert.equal(await sniffFormat(fixture('jlevon-page1.atom')), 'roller');
  assert.equal(await sniffFormat(fixture('jlevon-comments.atom')), 'roller');
  const out = await temporaryDirectory();
  const { writeFile } = await import('node:fs/promises');
  // No generator, no tags: the permalink shape alone says Roller.
  const bare = path.join(out, 'bare.xml');
  await writeFile(
    bare,
    '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://blogs.sun.com/bmc/entry/dtrace_on_linux</id><title>x</title></entry></feed>',
  );
  assert.equal(await sniffFormat(bare), 'roller');
  const other = path.join(out, 'other.xml');
  await writeFile(
    other,
    '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>tag:example.com,2020:1</id><title>x</title></entry></feed>',
  );
  assert.equal(await sniffFormat(other), 'atom');
});

test('two pages and the comments feed are one source: every entry written once, a comment, or reported', async () => {
  const { report, stdout } = await importRoller();
  assert.match(stdout, /jlevon: 10 entries \(roller\) .*5 written, 0 unchanged, 2 skipped, 3 comments/);
  assert.equal(report.entries, 10);
  const reasons = report.skipped.map((skip) => `${skip.id} ${skip.reason}`);
  assert.ok(
    reasons.some((reason) => /entry\/summary_only the same entry appears again/.test(reason)),
    reasons.join('\n'),
  );
  assert.ok(
    reasons.some((reason) =>
      /long_gone#comment-1000000000000 comment on http:\/\/blogs\.sun\.com\/jlevon\/entry\/long_gone, which is not in the input/.test(
        reason,
      ),
    ),
    reasons.join('\n'),
  );
});

test('categories and tags are tags; html titles are plain text; dates keep their offsets; old permalinks redirect', async () => {
  const { read } = await importRoller();
  const { data, body } = await read('2005/06/zones-and-smf.md');
  assert.equal(data.title, 'Zones & <em>SMF</em>: a tour');
  assert.deepEqual(data.tags, ['Solaris', 'zones', 'smf']);
  assert.equal(data.date, '2005-06-20T09:12:44-07:00');
  assert.equal(data.updated, '2005-06-21T10:00:00-07:00');
  assert.equal(data.author, 'jlevon');
  assert.equal(data.original_url, 'http://blogs.sun.com/jlevon/entry/zones_and_smf');
  assert.deepEqual(data.redirect_from, ['/jlevon/entry/zones_and_smf']);
  assert.equal(data.permalink, '/jlevon/2005/06/zones-and-smf/');
  // A link to another post of the same blog points at its new permalink.
  assert.match(body, /\[the boot debugging notes\]\(\/jlevon\/2005\/06\/debugging-boot\/\)/);
  const older = await read('2004/11/kmdb-intro.md');
  assert.deepEqual(
    older.data.tags,
    ['Debugging', 'mdb'],
    "an older Roller's category path /Solaris/Debugging without a label is its last part",
  );
  assert.equal(older.data.date, '2004-11-30T17:45:00-08:00');
  assert.deepEqual(older.data.enclosures, [
    { url: 'http://blogs.sun.com/jlevon/resource/kmdb.mp3', type: 'audio/mpeg', length: '1234567' },
  ]);
});

test('comment entries, mixed in or from the comments feed, are comments of their post, never posts', async () => {
  const { read, out } = await importRoller();
  const zones = await read('2005/06/zones-and-smf.md');
  assert.deepEqual(zones.data.comments, [
    {
      id: 'http://blogs.sun.com/jlevon/entry/zones_and_smf#comment-1119370000000',
      author: 'Bart',
      author_url: 'http://bart.example.com/',
      date: '2005-06-21T08:06:40-07:00',
      url: 'http://blogs.sun.com/jlevon/entry/zones_and_smf#comment-1119370000000',
      body: 'Does this work for **branded** zones too?',
    },
  ]);
  const kmdb = await read('2004/11/kmdb-intro.md');
  assert.equal((kmdb.data.comments as { author: string }[])[0].author, 'Eric', 'thr:in-reply-to');
  const boot = await read('2005/06/debugging-boot.md');
  assert.equal(
    (boot.data.comments as { body: string }[])[0].body,
    'Saved my weekend.\n\nThanks!',
    'from the separate comments feed, Sun-era paragraphs',
  );
  const { readdir } = await import('node:fs/promises');
  const files = (await readdir(path.join(out, 'jlevon'), { recursive: true })).filter((file) => file.endsWith('.md'));
  assert.ok(
    files.every((file) => !/re-/.test(file)),
    files.join(', '),
  );
});

test('html, xhtml (element order kept) and text content; Sun-era bodies without their opening <p> keep every word', async () => {
  const { read } = await importRoller();
  const sun = await read('2005/06/zones-and-smf.md');
  assert.match(
    sun.body,
    /^Every zone gets its own instance of the service management facility, and that changes how you boot one\.\n\nStart with `zoneadm -z web boot`/,
  );
  const kmdb = await read('2004/11/kmdb-intro.md');
  assert.equal(kmdb.body, 'kmdb replaces kadb.\n\nIt loads as a module.\n\nAnd it understands CTF.\n');
  const xhtml = await read('2005/06/debugging-boot.md');
  assert.equal(
    xhtml.body,
    'Boot with `-k`, then **break** into [kmdb](/jlevon/2004/11/kmdb-intro/) and look around.\n\nSecond paragraph & more: _x_ < _y_.\n',
  );
  const text = await read('2005/06/a-plain-note.md');
  assert.equal(text.body, 'Plain text with \\<angle brackets> kept as text.\n\nSecond paragraph.\n');
  assert.equal(text.data.date, '2005-06-10T12:00:00+01:00');
});

test('a summary-only entry is imported as an excerpt, with a warning', async () => {
  const { read, report } = await importRoller();
  const { data, body } = await read('2005/06/summary-only.md');
  assert.equal(data.excerpt, true);
  assert.equal(body, 'The first lines of a post that the feed cut short\n\nand a second line.\n');
  assert.ok(
    report.warnings.some(
      (warning) =>
        warning.id === 'http://blogs.sun.com/jlevon/entry/summary_only' &&
        /only a summary.*excerpt/.test(warning.message),
    ),
  );
  const full = await read('2005/06/zones-and-smf.md');
  assert.equal(full.data.excerpt, undefined);
});

test('--also-old-base: the blogs.oracle.com address of each post is kept and answers too', async () => {
  const { read } = await importRoller(['--also-old-base', 'https://blogs.oracle.com/']);
  const { data } = await read('2005/06/zones-and-smf.md');
  assert.deepEqual(data.old_urls, ['https://blogs.oracle.com/jlevon/entry/zones_and_smf']);
  assert.deepEqual(
    data.redirect_from,
    ['/jlevon/entry/zones_and_smf'],
    'the same path: one redirect serves both hosts',
  );
  const without = await importRoller();
  assert.equal((await without.read('2005/06/zones-and-smf.md')).data.old_urls, undefined);
});

test('a re-import of the same pages writes nothing', async () => {
  const first = await importRoller();
  const again = await almanac(['import', ...PAGES, '--source', 'jlevon', '--out', first.out]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 written, 5 unchanged/);
});

test('--also-old-base that is not a web address is a usage error', async () => {
  const out = await temporaryDirectory();
  const result = await almanac([
    'import',
    ...PAGES,
    '--source',
    'jlevon',
    '--out',
    out,
    '--also-old-base',
    'ftp://blogs.oracle.com/',
  ]);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /--also-old-base "ftp:\/\/blogs\.oracle\.com\/" is not a web address; give the other host, like https:\/\/blogs\.oracle\.com\//,
  );
});
