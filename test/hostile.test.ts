/**
 * Hostile and broken input (issue 8): every case ends in seconds with a clean result —
 * an import, or one line naming the file and exit 1 — never a crash, a stack trace,
 * a write outside the output folder, or an entity from outside the document.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import matter from 'gray-matter';
import { markdownFiles } from '../src/content/contentIndex.ts';
import { InputError } from '../src/errors.ts';
import { parseDocument, stringifyDocument } from '../src/content/frontmatter.ts';
import { importSource } from '../src/write/importSource.ts';
import { ALMANAC, almanac, temporaryDirectory, ROOT } from './helpers/cli.ts';
import { corpusFile, corpusMissing } from './helpers/corpus.ts';

const HOSTILE = path.join(ROOT, 'test/hostile');
const KIND = 'http://schemas.google.com/blogger/2008/kind#';

/** A classic Blogger backup, built as real XML text, from a few fields per post. */
function bloggerBackup(
  posts: { id: string; title?: string; url?: string; published?: string; html?: string }[],
): string {
  const escape = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const entries = posts.map(
    (post) =>
      `<entry><id>${escape(post.id)}</id>${post.published ? `<published>${escape(post.published)}</published>` : ''}` +
      `<category scheme="http://schemas.google.com/g/2005#kind" term="${KIND}post"/>` +
      `<title type="text">${escape(post.title ?? '')}</title><content type="html">${escape(post.html ?? '<p>body</p>')}</content>` +
      (post.url ? `<link rel="alternate" type="text/html" href="${escape(post.url)}"/>` : '') +
      `</entry>`,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>tag:blogger.com,1999:blog-1.archive</id>` +
    `<link rel="alternate" type="text/html" href="https://hostile.blogspot.com/"/>${entries.join('')}</feed>`
  );
}

/** The real CLI under a 500 MB heap: a blow-up fails the test instead of the machine. */
function boundedImport(args: string[]): Promise<{ code: number; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=500', ALMANAC, 'import', ...args], {
      env: { ...process.env, CI: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stderr, ms: Date.now() - started });
    });
  });
}

function assertOneCleanLine(stderr: string, file: string): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.ok(lines[0].startsWith(`almanac import: ${file}`), lines[0]);
  assert.doesNotMatch(stderr, /internal error|\n\s+at /);
}

async function allText(dir: string): Promise<string> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const texts = await Promise.all(
    files.filter((entry) => entry.isFile()).map((entry) => readFile(path.join(entry.parentPath, entry.name), 'utf8')),
  );
  return texts.join('\n');
}

test('XML bombs finish in seconds within 500 MB and expand nothing', async () => {
  for (const name of ['billion-laughs.xml', 'quadratic-blowup.xml']) {
    const out = await temporaryDirectory();
    const file = path.join(HOSTILE, name);
    const result = await boundedImport([file, '--format', 'blogger', '--out', out, '--source', 'bomb']);
    assert.ok(result.ms < 10_000, `${name} took ${result.ms} ms`);
    assert.ok(result.code === 0 || result.code === 1, `${name}: exit ${result.code} ${result.stderr}`);
    if (result.code === 1) assertOneCleanLine(result.stderr, file);
    assert.doesNotMatch(await allText(out), /(lol){100}|a{100000}/, `${name} was expanded into the output`);
  }
});

test('external entities are refused and nothing from outside the document reaches the output', async () => {
  for (const name of ['external-entity.xml', 'external-parameter-entity.xml']) {
    const out = await temporaryDirectory();
    const file = path.join(HOSTILE, name);
    const result = await boundedImport([file, '--format', 'blogger', '--out', out, '--source', 'xxe']);
    assert.equal(result.code, 1, result.stderr);
    assertOneCleanLine(result.stderr, file);
    assert.doesNotMatch(result.stderr + (await allText(out)), /root:x:0:0/);
  }
});

test('empty, binary, truncated, invalid UTF-8 and unknown encodings: one line with the file (and line:column), exit 1', async () => {
  const expectations: Record<string, RegExp> = {
    'empty.xml': /empty\.xml: the file is empty/,
    'binary.xml': /binary\.xml:1:1: invalid UTF-8 \(byte 0x89/,
    'truncated.xml': /truncated\.xml:\d+:\d+: .*truncated/,
    'invalid-utf8.xml': /invalid-utf8\.xml:3:29: invalid UTF-8 \(byte 0xe9/,
    'unknown-encoding.xml': /unknown-encoding\.xml:1: unknown character encoding "x-no-such-charset"/,
  };
  // A backup cut off in the middle of an attribute, as an interrupted download leaves it.
  const scratch = await temporaryDirectory();
  const whole = bloggerBackup([
    { id: 'p1', title: 'Cut', published: '2020-01-01T00:00:00Z', url: 'https://hostile.blogspot.com/2020/01/cut.html' },
  ]);
  await writeFile(
    path.join(scratch, 'truncated.xml'),
    whole.slice(0, whole.indexOf('https://hostile.blogspot.com/2020')),
  );
  for (const [name, expected] of Object.entries(expectations)) {
    const file = path.join(name === 'truncated.xml' ? scratch : HOSTILE, name);
    const result = await boundedImport([
      file,
      '--format',
      'blogger',
      '--out',
      await temporaryDirectory(),
      '--source',
      'broken',
    ]);
    assert.equal(result.code, 1, `${name}: ${result.stderr}`);
    assertOneCleanLine(result.stderr, file);
    assert.match(result.stderr, expected);
  }
});

const TRICKY_STRINGS = [
  '#opensolaris',
  'Tags: RSS feed',
  'yes',
  'No',
  'null',
  '~',
  '2020-05-06',
  '1e3',
  '0x1F',
  '---',
  '...',
  `it's "quoted"`,
  'tab\there',
  '\u202Eright-to-left override',
  'x'.repeat(5000),
  '- list?',
  '[a, b]',
  '{a: b}',
  '&anchor',
  '*alias',
  '!tag',
  '%directive',
  '@at',
  '`tick',
  '| pipe',
  '> fold',
  'trailing space ',
  ' leading space',
  'line\nbreak',
  'null\u0000byte',
  '\u2028separator',
];

test('values YAML misreads round-trip as the exact string, for our reader and for gray-matter defaults (what Eleventy uses)', () => {
  for (const value of TRICKY_STRINGS) {
    const text = stringifyDocument({ title: value, tags: [value] }, 'body');
    assert.equal(parseDocument(text).data.title, value, JSON.stringify(value));
    assert.deepEqual(parseDocument(text).data.tags, [value]);
    assert.equal(matter(text, {} as never).data.title, value, `gray-matter default: ${JSON.stringify(value)}`);
  }
});

test('property: any string survives frontmatter write → read unchanged', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
      (title, body) => {
        const data = parseDocument(stringifyDocument({ title, nested: { list: [title] } }, body)).data;
        assert.equal(data.title, title);
        assert.deepEqual(data.nested, { list: [title] });
      },
    ),
    { numRuns: 500 },
  );
});

test('JavaScript frontmatter is never evaluated', () => {
  const globals = globalThis as { pwned?: boolean };
  const text = '---js\n{ title: (() => { globalThis.pwned = true; return "x"; })() }\n---\nbody\n';
  assert.throws(() => parseDocument(text), /not run/);
  assert.equal(globals.pwned, undefined);
});

test('titles that YAML misreads are written by a real import and read back exactly', async () => {
  const out = await temporaryDirectory();
  const input = path.join(out, 'tricky.xml');
  const titles = TRICKY_STRINGS.filter((value) => !value.includes('\u0000'));
  await writeFile(
    input,
    bloggerBackup(
      titles.map((title, index) => ({ id: `post-${index}`, title, published: '2020-05-06T01:02:03+02:00' })),
    ),
  );
  const result = await almanac(['import', input, '--out', out, '--source', 'tricky']);
  assert.equal(result.code, 0, result.stderr);
  const read = new Map<string, string>();
  for (const file of await markdownFiles(path.join(out, 'tricky'))) {
    const { data } = parseDocument(await readFile(path.join(out, 'tricky', file), 'utf8'));
    read.set(String(data.original_id), String(data.title));
  }
  // Titles are plain text: runs of white space read as one space, as in the page's title.
  for (const [index, title] of titles.entries())
    assert.equal(read.get(`post-${index}`), title.replace(/\s+/g, ' ').trim());
});

test('path traversal through old URLs, Takeout file names and titles never leaves --out; names stay portable', async () => {
  const root = await temporaryDirectory();
  const out = path.join(root, 'out');
  const takeout =
    `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:blogger="http://schemas.google.com/blogger/2018">` +
    [
      '/../../../../tmp/evil.html',
      '/%2e%2e/%2e%2e/escape.html',
      '/..%2F..%2Fencoded.html',
      '\\..\\..\\windows.html',
      '/CON.html',
      '/aux/nul.html',
      `/${'long'.repeat(200)}.html`,
      '/2020/01/../../../up.html',
    ]
      .map(
        (filename, index) =>
          `<entry><id>tag:blogger.com,1999:blog-1.post-${index}</id><blogger:type>POST</blogger:type><blogger:status>LIVE</blogger:status>` +
          `<title>../../etc/passwd ${index}</title><content type="html">x</content><published>2020-01-0${(index % 9) + 1}T00:00:00Z</published>` +
          `<blogger:filename>${filename.replace(/&/g, '&amp;')}</blogger:filename></entry>`,
      )
      .join('') +
    '</feed>';
  const input = path.join(root, 'feed.atom');
  await writeFile(input, takeout);
  const result = await almanac([
    'import',
    input,
    '--out',
    out,
    '--source',
    'traversal',
    '--old-base',
    'https://t.blogspot.com/',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const everything = await readdir(root, { recursive: true });
  for (const entry of everything) {
    const relative = String(entry);
    if (relative === 'feed.atom' || relative === 'out') continue;
    assert.ok(relative.startsWith(`out${path.sep}`), `written outside --out: ${relative}`);
    for (const part of relative.split(path.sep)) {
      assert.ok(Buffer.byteLength(part) <= 200, `name longer than 200 bytes: ${part}`);
      assert.match(part, /^[a-z0-9._-]+$/, `not a portable name: ${part}`);
      assert.doesNotMatch(part, /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i, `reserved name: ${part}`);
    }
  }
  assert.equal((await markdownFiles(path.join(out, 'traversal'))).length, 8);
});

test('a symbolic link inside the output folder is not followed out of it', async () => {
  const root = await temporaryDirectory();
  const outside = path.join(root, 'outside');
  const out = path.join(root, 'out');
  await mkdir(outside);
  await mkdir(path.join(out, 'linked'), { recursive: true });
  await symlink(outside, path.join(out, 'linked', '2020'));
  const input = path.join(root, 'blog.xml');
  await writeFile(
    input,
    bloggerBackup([
      {
        id: 'p1',
        title: 'Through the link',
        published: '2020-01-01T00:00:00Z',
        url: 'https://hostile.blogspot.com/2020/01/through.html',
      },
    ]),
  );
  const result = await almanac(['import', input, '--out', out, '--source', 'linked']);
  assert.notEqual(result.code, 0, 'the import should refuse to write through the link');
  assert.doesNotMatch(result.stderr, /\n\s+at /);
  assert.deepEqual(await readdir(outside), []);
});

test('duplicate ids, missing, invalid, zone-less and far-future dates: every entry written or reported', async () => {
  const out = await temporaryDirectory();
  const input = path.join(out, 'dates.xml');
  await writeFile(
    input,
    bloggerBackup([
      { id: 'dup', title: 'First', published: '2020-01-01T00:00:00Z' },
      { id: 'dup', title: 'Second with the same id', published: '2020-01-02T00:00:00Z' },
      { id: 'no-date', title: 'No date' },
      { id: 'bad-date', title: 'Bad date', published: 'yesterday-ish' },
      { id: 'no-zone', title: 'No zone', published: '2020-03-04T05:06:07' },
      { id: 'future', title: 'Future', published: '9999-12-31T23:59:59Z' },
    ]),
  );
  const reportFile = path.join(out, 'report.json');
  const result = await almanac(['import', input, '--out', out, '--source', 'dates', '--report', reportFile]);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(await readFile(reportFile, 'utf8'));
  assert.equal(report.entries, 6);
  assert.equal(report.written + report.skipped.length, 6);
  assert.deepEqual(
    report.skipped.map((skip: { id: string }) => skip.id),
    ['dup'],
  );
  const warnings = report.warnings
    .map((warning: { id: string; message: string }) => `${warning.id}: ${warning.message}`)
    .join('\n');
  assert.match(warnings, /bad-date: the date "yesterday-ish" is not a date/);
  assert.match(warnings, /no-zone: the date 2020-03-04T05:06:07 has no time zone; taken as UTC/);
  assert.match(warnings, /future: the date 9999-12-31T23:59:59Z is far in the future/);
  for (const file of await markdownFiles(path.join(out, 'dates'))) {
    const { data } = parseDocument(await readFile(path.join(out, 'dates', file), 'utf8'));
    if (data.date !== undefined) assert.ok(!Number.isNaN(Date.parse(String(data.date))), `${file}: ${data.date}`);
  }
});

test('random byte mutations of real exports import or fail with the clean error, never crash', {
  skip: corpusMissing(),
}, async () => {
  const originals = await Promise.all(
    ['blog-parser-blogger-sample.xml', 'blot-export-takeout.atom', 'blot-export-legacy.xml'].map((name) =>
      readFile(corpusFile('blogger', name)),
    ),
  );
  const out = await temporaryDirectory();
  const input = path.join(out, 'mutated.xml');
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: originals.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.option(fc.nat(), { nil: undefined }),
      async (which, edits, cut) => {
        const bytes = Buffer.from(originals[which]);
        for (const [position, value] of edits) bytes[position % bytes.length] = value;
        await writeFile(input, cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length));
        try {
          await importSource({ inputs: [input], format: 'blogger', out, source: `m${run++}` });
        } catch (error) {
          assert.ok(error instanceof InputError, `not a clean error: ${(error as Error).stack}`);
          assert.ok(error.file === input && error.message.length > 0);
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('kill -9 in the middle of an import leaves no partial document, and the next import completes the work', async () => {
  const out = await temporaryDirectory();
  const input = path.join(out, 'big.xml');
  const posts = Array.from({ length: 3000 }, (_, index) => ({
    id: `post-${index}`,
    title: `Post number ${index}`,
    published: `20${String(10 + (index % 10)).padStart(2, '0')}-0${(index % 9) + 1}-01T00:00:00Z`,
    html: `<p>${'Zones, ZFS and DTrace. '.repeat(40)}</p><pre>$ zfs list -t snapshot | head -${index}</pre>`,
  }));
  await writeFile(input, bloggerBackup(posts));
  const child = spawn(process.execPath, [ALMANAC, 'import', input, '--out', out, '--source', 'killed'], {
    env: { ...process.env, CI: '1' },
    stdio: 'ignore',
  });
  const closed = new Promise((resolve) => child.on('close', resolve));
  // Wait until the import is well into writing, then kill it without warning.
  for (let waited = 0; waited < 60_000; waited += 50) {
    const written = (await readdir(path.join(out, 'killed'), { recursive: true }).catch(() => [])).filter((name) =>
      String(name).endsWith('.md'),
    ).length;
    if (written > 200) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  await closed;
  const afterKill = await markdownFiles(path.join(out, 'killed'));
  assert.ok(afterKill.length > 0 && afterKill.length < 3000, `killed after ${afterKill.length} documents`);
  for (const file of afterKill) {
    const text = await readFile(path.join(out, 'killed', file), 'utf8');
    assert.ok(text.endsWith('\n') && parseDocument(text).data.permalink, `partial document ${file}`);
  }
  const again = await almanac(['import', input, '--out', out, '--source', 'killed']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await markdownFiles(path.join(out, 'killed'))).length, 3000);
  const leftovers = (await readdir(path.join(out, 'killed'), { recursive: true })).filter((name) =>
    String(name).endsWith('.tmp'),
  );
  assert.deepEqual(leftovers, []);
  assert.ok((await stat(path.join(out, 'killed', '.almanac-import.json'))).size > 0);
});
