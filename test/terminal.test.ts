import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import stringWidth from 'string-width';
import stripAnsi from 'strip-ansi';
import { LONGEST_URI, terminalUri } from '../src/terminal/hyperlink.ts';
import { Linkifier, linkifyStream } from '../src/terminal/linkify.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/terminal');
const fixture = (name: string) => readFile(path.join(FIXTURES, name));
const ZONES = path.join(FIXTURES, 'zones.md');
const OSC8 = /\u001B\]8;([^;\u0007\u001B]*);([^\u0007\u001B]*)\u001B\\/g;

async function linkify(input: Buffer | string, chunkSize = 65536): Promise<Buffer> {
  const bytes = Buffer.from(input);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize)
    chunks.push(bytes.subarray(offset, offset + chunkSize));
  const output = new PassThrough();
  const collected: Buffer[] = [];
  output.on('data', (chunk: Buffer) => collected.push(chunk));
  await linkifyStream(Readable.from(chunks), output);
  return Buffer.concat(collected);
}

/** Every OSC 8 sequence taken out: all linkify may add, so what is left must be the input's bytes. */
const withoutHyperlinks = (bytes: Buffer) =>
  Buffer.from(
    bytes.toString('latin1').replace(/\u001B\]8;[^;\u0007\u001B]*;[^\u0007\u001B]*(?:\u0007|\u001B\\)/g, ''),
    'latin1',
  );

test('almanac read: exact bytes with hyperlinks, without, and with colour', async () => {
  for (const [args, env, expected] of [
    [['--hyperlinks=always'], {}, 'zones.hyperlinks.txt'],
    [['--hyperlinks=never'], {}, 'zones.plain.txt'],
    [['--hyperlinks=always'], { FORCE_COLOR: '1' }, 'zones.color.txt'],
    // NO_COLOR wins over FORCE_COLOR; FORCE_HYPERLINK=1 turns links on in auto mode, --hyperlinks wins over it.
    [[], { FORCE_COLOR: '1', NO_COLOR: '1', FORCE_HYPERLINK: '1' }, 'zones.hyperlinks.txt'],
    [['--hyperlinks=never'], { FORCE_HYPERLINK: '1' }, 'zones.plain.txt'],
    [['--hyperlinks=always'], { FORCE_HYPERLINK: '0' }, 'zones.hyperlinks.txt'],
    [[], { FORCE_HYPERLINK: '0' }, 'zones.plain.txt'],
  ] as const) {
    const result = await almanac(['read', ZONES, '--width', '60', ...args], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, (await fixture(expected)).toString(), `${args} ${JSON.stringify(env)}`);
  }
});

test('almanac read: OSC 8 links with printable-ASCII URIs of at most 2,083 bytes, id= only on a link wrapped over lines', async () => {
  const output = (await fixture('zones.hyperlinks.txt')).toString();
  const opened = [...output.matchAll(OSC8)].filter(([, , uri]) => uri !== '');
  assert.ok(opened.length >= 8);
  for (const [, , uri] of opened) {
    assert.match(uri, /^[!-~]+$/);
    assert.ok(uri.length <= LONGEST_URI);
  }
  const ids = opened.map(([, parameters]) => parameters).filter(Boolean);
  assert.deepEqual(ids, ['id=almanac-4', 'id=almanac-4']);
  assert.match(
    output,
    /\u001B\]8;id=almanac-4;https:\/\/omnios\.org\/releasenotes\.html#r151038\u001B\\release notes for the stable branch of OmniOS Community\u001B\]8;;\u001B\\\n\u001B\]8;id=almanac-4;https:\/\/omnios\.org\/releasenotes\.html#r151038\u001B\\Edition\u001B\]8;;\u001B\\ explain/,
  );
  assert.match(
    output,
    /\u001B\]8;;https:\/\/de\.wikipedia\.org\/wiki\/Stra%C3%9Fe\u001B\\https:\/\/de\.wikipedia\.org\/wiki\/Straße\u001B\]8;;\u001B\\/,
  );
  // Over 2,083 bytes: no hyperlink, the text and URL written out instead.
  assert.match(output, /search\n<https:\/\/example\.com\/search\?q=x{2100}>/);
});

test('almanac read: text from the document cannot smuggle escape sequences', async () => {
  for (const name of ['zones.hyperlinks.txt', 'zones.plain.txt', 'zones.color.txt']) {
    const output = (await fixture(name)).toString();
    const rest = output.replace(OSC8, '').replace(/\u001B\[[0-9;]*m/g, '');
    assert.doesNotMatch(rest, /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/, name);
    assert.doesNotMatch(output, /\u001B\]0;|\u001B\[2J|\u001B\]8;;http:\/\/evil\.example\/\u001B/, name);
  }
});

test('almanac read: paragraphs wrap to the width; code stays verbatim', async () => {
  const lines = stripAnsi((await fixture('zones.hyperlinks.txt')).toString()).split('\n');
  for (const line of lines)
    if (
      !line.startsWith('    pfexec') &&
      !line.startsWith('<https://example.com/search') &&
      !line.startsWith('http://zonesandpatches')
    )
      assert.ok(stringWidth(line) <= 60, line);
  assert.ok(
    lines.includes(
      '    pfexec pkg update    # verbatim, never wrapped: a very long line that goes on and on past the width of the terminal',
    ),
  );
  const narrow = await almanac(['read', ZONES, '--width', '30', '--hyperlinks=never']);
  assert.ok(
    stripAnsi(narrow.stdout)
      .split('\n')
      .filter((line) => stringWidth(line) > 30)
      .every(
        (line) => !line.includes(' ') || line.startsWith('    ') || /^\S+$/.test(line.trim()) || line.includes('<'),
      ),
    narrow.stdout,
  );
});

test('almanac read: a table kept as HTML shows each cell under its heading, code line for line, no tags', async () => {
  const dir = await temporaryDirectory();
  const file = path.join(dir, 'table.md');
  await writeFile(
    file,
    '---\ntitle: Tables\n---\n' +
      (await readFile(path.join(ROOT, 'test/fixtures/convert/table-with-blocks-to-html/expected.md'), 'utf8')),
  );
  const { stdout } = await almanac(['read', file, '--width', '60', '--hyperlinks=never']);
  const text = stripAnsi(stdout);
  assert.doesNotMatch(text, /<\/?(?:table|tr|td|pre|ul|li)\b|<a id|&lt;|&#10;/);
  assert.ok(
    text.includes(
      'Old\n      int x = 1; // keep this\n      if (a < b && c)\n      \n          return;\nNew\n  • one link <https://example.com/a?b=1&c=2>\n  • two bad\n',
    ),
    text,
  );
});

test('almanac read --base: links between documents open on the published site', async () => {
  const result = await almanac([
    'read',
    ZONES,
    '--width',
    '60',
    '--hyperlinks=always',
    '--base',
    'https://kb.example.org/',
  ]);
  assert.match(result.stdout, /\u001B\]8;;https:\/\/kb\.example\.org\/zones\/docs\/\u001B\\docs\u001B\]8;;\u001B\\/);
  const without = await almanac(['read', ZONES, '--width', '60', '--hyperlinks=always']);
  assert.match(without.stdout, /the docs <\/zones\/docs\/>/);
});

test('almanac read: bad input is one line and exit 1; bad usage exit 2', async () => {
  const missing = await almanac(['read', 'no/such/file.md']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'almanac read: no/such/file.md: no such file\n');
  const folder = await temporaryDirectory();
  await writeFile(path.join(folder, 'bad.md'), '---\ntitle: [unclosed\n---\nbody\n');
  const broken = await almanac(['read', path.join(folder, 'bad.md')]);
  assert.equal(broken.code, 1);
  assert.equal(
    broken.stderr,
    `almanac read: ${path.join(folder, 'bad.md')}:3:17: the frontmatter is not valid YAML: unexpected end of the stream within a flow collection\n`,
  );
  const usage = await almanac(['read', ZONES, '--hyperlinks=sometimes']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--hyperlinks must be one of auto, always, never/);
});

test('almanac linkify: exact bytes, every URL linked, visible text byte for byte unchanged', async () => {
  const input = await fixture('mail.txt');
  const result = await almanac(['linkify'], { input });
  assert.equal(result.code, 0, result.stderr);
  const expected = await fixture('mail.linkified.txt');
  assert.deepEqual(await linkify(input), expected);
  assert.deepEqual(withoutHyperlinks(expected), withoutHyperlinks(input));
  const text = expected.toString('latin1');
  for (const url of [
    'https://www.illumos.org/issues/13702',
    'https://en.wikipedia.org/wiki/Bhyve_(hypervisor)',
    'http://www.tribblix.org/',
    'http://a.example/1',
    'http://b.example/2?x=1&y=2#top',
    'https://de.wikipedia.org/wiki/Stra%C3%9Fe',
    'https://colour.example/path',
    'https://split.example/x',
    'https://ascii.example/ok',
    'https://angle.example/x',
    'https://quote.example/y',
    'https://single.example/z',
    'https://crlf.example/',
    'https://tab.example/',
    'mailto:peter@example.org',
  ]) {
    assert.ok(text.includes(`\u001B]8;;${url}\u001B\\`), url);
  }
  // A URL split by a colour change is one link; one inside an existing link is not linked again.
  assert.ok(
    text.includes('\u001B]8;;https://split.example/x\u001B\\https://split.\u001B[24mexample/x\u001B]8;;\u001B\\'),
  );
  assert.ok(!text.includes('\u001B]8;;https://inside.example/'));
  assert.ok(!text.includes('\u001B]8;;https://linked.example/\u001B\\\u001B]8;;'));
});

test('almanac linkify: running it twice changes nothing', async () => {
  const once = await fixture('mail.linkified.txt');
  assert.deepEqual(await linkify(once), once);
  const read = await fixture('zones.hyperlinks.txt');
  assert.deepEqual(await linkify(read), read);
});

test('almanac linkify: invalid UTF-8 passes through untouched, streaming byte by byte gives the same bytes', async () => {
  const input = Buffer.concat([
    Buffer.from('bad \xff\xfe\xc3 https://a.example/x\xc3', 'latin1'),
    Buffer.from('\nok https://b.example/ \u00e9\n'),
  ]);
  const output = await linkify(input);
  assert.deepEqual(withoutHyperlinks(output), input);
  assert.ok(
    output.includes(
      Buffer.from('\u001B]8;;https://a.example/x\u001B\\https://a.example/x\u001B]8;;\u001B\\\xc3\n', 'latin1'),
    ),
  );
  assert.ok(
    output.includes(Buffer.from('\u001B]8;;https://b.example/\u001B\\https://b.example/\u001B]8;;\u001B\\ \u00e9\n')),
  );
  const mail = await fixture('mail.txt');
  assert.deepEqual(await linkify(mail, 1), await fixture('mail.linkified.txt'));
});

test('almanac linkify: property — for any text, visible bytes unchanged and a second pass idempotent', async () => {
  const piece = fc.constantFrom(
    'http://',
    'https://',
    'www.',
    'example.com',
    '.org',
    '/path',
    '(',
    ')',
    '<',
    '>',
    '"',
    "'",
    '.',
    ',',
    ';',
    '&amp;',
    '@',
    'user',
    ' ',
    '\t',
    '\n',
    'é',
    '\u001B[1m',
    '\u001B[0m',
    '\u001B]8;;https://x.example/\u001B\\',
    '\u001B]8;;\u001B\\',
    '\u001B',
    '\u0007',
    '?q=1',
    '#f',
    'ß',
  );
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { maxLength: 40 }), async (pieces) => {
      const input = Buffer.from(pieces.join(''));
      const once = await linkify(input);
      assert.deepEqual(withoutHyperlinks(once), withoutHyperlinks(input));
      assert.deepEqual(await linkify(once), once);
    }),
    { numRuns: 300 },
  );
});

test('almanac linkify: a 1 MB line without spaces, and a line of 3 MB without a newline, finish fast', async () => {
  const hostile = Buffer.from(`${'éhttp://a.b'.repeat(1e6 / 11)}\n`);
  let started = performance.now();
  assert.deepEqual(await linkify(hostile), hostile);
  assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  const endless = Buffer.from(`https://start.example/ ${'x'.repeat(3 << 20)} https://end.example/`);
  started = performance.now();
  const output = await linkify(endless);
  assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
  assert.deepEqual(withoutHyperlinks(output), endless);
  assert.equal([...output.toString().matchAll(OSC8)].length, 4);
});

test('terminalUri: WHATWG-normalized, printable ASCII, at most 2,083 bytes', () => {
  assert.equal(terminalUri('https://Bücher.example/ä b'), 'https://xn--bcher-kva.example/%C3%A4%20b');
  assert.equal(terminalUri(`https://example.com/${'a'.repeat(2063)}`)?.length, 2083);
  assert.equal(terminalUri(`https://example.com/${'a'.repeat(2064)}`), undefined);
  assert.equal(terminalUri('/relative'), undefined);
  assert.deepEqual(new Linkifier().linkifyBytes(Buffer.from('no links')), Buffer.from('no links'));
});
