/**
 * Issue 8, mail nasties: an mbox written byte by byte with CRLF, NUL bytes, unknown charsets,
 * broken base64, multipart without a boundary, a References loop, 5,000 References, a
 * 300-message chain, a 2 MB line, header lines without a colon and a message without any header,
 * imported by the real CLI under 500 MB and 10 s: every message is written or reported, and no
 * address is published. And a Pipermail body line "From someone at example.com" stays body text.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { markdownFiles } from '../src/content/contentIndex.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { temporaryDirectory } from './helpers/cli.ts';
import { boundedAlmanac, type BoundedRun } from './hostile/bounded.ts';

/** Secret addresses: none of them may appear anywhere in the output. */
const ADDRESSES = [
  'alice.secret@corp.example',
  'bob.private@home.example',
  'carol+list@mail.example',
  'dave@crlf.example',
  'nul.person@nul.example',
  'chain.poster@chain.example',
];
const envelope = (sender: string, day = 4) => `From ${sender} Mon Jan ${String(day).padStart(2, ' ')} 10:00:00 2021`;

interface Message {
  /** What the test calls it. */
  name: string;
  bytes: Buffer;
}

function message(
  name: string,
  headers: string[],
  body: string | Buffer,
  options: { crlf?: boolean; sender?: string } = {},
): Message {
  const newline = options.crlf ? '\r\n' : '\n';
  const head = Buffer.from([envelope(options.sender ?? ADDRESSES[0]), ...headers, '', ''].join(newline), 'latin1');
  const tail = typeof body === 'string' ? Buffer.from(body.replace(/\n/g, newline), 'latin1') : body;
  return { name, bytes: Buffer.concat([head, tail, Buffer.from(newline + newline)]) };
}

const base = (id: string, subject: string, from = `Alice <${ADDRESSES[0]}>`) => [
  `From: ${from}`,
  `Date: Mon, 4 Jan 2021 10:00:00 +0000`,
  `Subject: ${subject}`,
  `Message-ID: <${id}@lists.example>`,
];

function hostileMbox(): { bytes: Buffer; messages: Message[] } {
  const messages: Message[] = [];
  messages.push(
    message(
      'crlf',
      base('crlf', 'CRLF line ends', `Dave <${ADDRESSES[3]}>`),
      `Lines end in CR LF.\nWrite to ${ADDRESSES[3]} for more.\n`,
      { crlf: true },
    ),
  );
  messages.push(
    message(
      'nul',
      [...base('nul', 'NUL\u0000in the subject', `Nul <${ADDRESSES[4]}>`), 'X-Junk: a\u0000b'],
      Buffer.from(`Before the NUL\u0000after the NUL, ${ADDRESSES[4]}.\n`, 'latin1'),
    ),
  );
  messages.push(
    message(
      'charset',
      [
        ...base('charset', 'Unknown charset'),
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset="x-klingon-9"',
        'Content-Transfer-Encoding: 8bit',
      ],
      Buffer.from('Caf\xe9 cr\xe8me in an unknown charset.\n', 'latin1'),
    ),
  );
  messages.push(
    message(
      'base64',
      [
        ...base('base64', 'Broken base64'),
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: base64',
      ],
      '!!!this is not base64@@@\n====\nSGVsbG8gd29ybGQ\n',
    ),
  );
  messages.push(
    message(
      'multipart',
      [...base('multipart', 'Multipart without boundary'), 'MIME-Version: 1.0', 'Content-Type: multipart/mixed'],
      `--xyz\nContent-Type: text/plain\n\nPart one text, from ${ADDRESSES[1]}.\n--xyz--\n`,
    ),
  );
  messages.push(
    message(
      'loop-a',
      [...base('loop-a', 'Loop A'), 'References: <loop-b@lists.example>', 'In-Reply-To: <loop-b@lists.example>'],
      'A replies to B.\n',
    ),
  );
  messages.push(
    message(
      'loop-b',
      [...base('loop-b', 'Loop B'), 'References: <loop-a@lists.example>', 'In-Reply-To: <loop-a@lists.example>'],
      'B replies to A.\n',
    ),
  );
  const many = Array.from({ length: 5000 }, (_, index) => `<ref-${index}@lists.example>`);
  messages.push(
    message(
      'references',
      [...base('references', '5,000 References'), `References: ${many.join('\n ')}`, `In-Reply-To: ${many[4999]}`],
      'Five thousand references.\n',
    ),
  );
  for (let index = 0; index < 300; index++) {
    const reply =
      index === 0
        ? []
        : [
            `In-Reply-To: <chain-${index - 1}@lists.example>`,
            `References: ${Array.from({ length: index }, (_, n) => `<chain-${n}@lists.example>`).join(' ')}`,
          ];
    messages.push(
      message(
        `chain-${index}`,
        [
          ...base(`chain-${index}`, index === 0 ? 'A long chain' : 'Re: A long chain', `Poster <${ADDRESSES[5]}>`),
          ...reply,
        ],
        `Message ${index} of the chain.\n`,
        { sender: ADDRESSES[5] },
      ),
    );
  }
  messages.push(
    message(
      'long-line',
      base('long-line', 'A 2 MB line'),
      `${'word '.repeat(400_000)}${ADDRESSES[2]} end-of-long-line\n`,
    ),
  );
  messages.push(
    message(
      'no-colon',
      [...base('no-colon', 'Headers without colon'), 'This line is no header', 'X-Fine: yes', 'Another broken one'],
      'Body after broken headers.\n',
    ),
  );
  // A From_ line, an empty header block, then text: a message without any header.
  messages.push({
    name: 'no-header',
    bytes: Buffer.from(`${envelope(ADDRESSES[1])}\n\nJust text, no header at all, from ${ADDRESSES[1]}.\n\n`),
  });
  messages.push(message('last', base('last', 'The last message'), 'The end.\n'));
  return { bytes: Buffer.concat(messages.map((item) => item.bytes)), messages };
}

async function allText(dir: string): Promise<string> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    files.filter((entry) => entry.isFile()).map((entry) => readFile(path.join(entry.parentPath, entry.name), 'latin1')),
  );
  return texts.join('\n');
}

describe('mail nasties through the mbox importer', () => {
  let dir: string;
  let result: BoundedRun;
  let report: {
    entries: number;
    written: number;
    skipped: { id: string; reason: string }[];
    warnings: { id?: string; message: string }[];
  };
  let documents: Map<string, { data: Record<string, unknown>; content: string }>;
  let messages: Message[];

  before(async () => {
    dir = await temporaryDirectory('almanac-hostile-mail-');
    const mbox = hostileMbox();
    messages = mbox.messages;
    await writeFile(path.join(dir, 'nasty.mbox'), mbox.bytes);
    result = await boundedAlmanac([
      'import',
      path.join(dir, 'nasty.mbox'),
      '--format',
      'mbox',
      '--source',
      'nasty',
      '--out',
      path.join(dir, 'content'),
      '--report',
      path.join(dir, 'report.json'),
    ]);
    process.stderr.write(
      `hostile mbox (${messages.length} messages, ${(mbox.bytes.length / 1e6).toFixed(1)} MB): ${result.cpuMs} ms CPU, ${result.wallMs} ms wall, ${result.peakMb} MB peak\n`,
    );
    assert.equal(result.code, 0, result.stderr);
    report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
    documents = new Map();
    for (const file of await markdownFiles(path.join(dir, 'content', 'nasty'))) {
      const document = parseDocument(await readFile(path.join(dir, 'content', 'nasty', file), 'utf8'));
      documents.set(String(document.data.message_id), { data: document.data, content: document.body });
    }
  });

  test('finishes within 10 s of CPU and 500 MB, without a stack trace', () => {
    assert.ok(result.cpuMs < 10_000, `${result.cpuMs} ms of CPU`);
    assert.ok(result.peakMb < 500, `${result.peakMb} MB`);
    assert.doesNotMatch(result.stderr, /\n\s+at |internal error/);
  });

  test('every message is accounted for: written + skipped equals the messages in the file', () => {
    for (const item of messages.filter((candidate) => candidate.name !== 'no-header'))
      assert.ok(documents.has(`${item.name}@lists.example`), `${item.name} was not written`);
    // The headerless message may be read as text of the message before it (an unescaped "From " line), but then a warning must say so.
    const folded = documents.get('no-colon@lists.example')!.content.includes('Just text, no header at all') ? 1 : 0;
    assert.equal(
      report.written + report.skipped.length,
      messages.length - folded,
      `${messages.length} messages, report: written ${report.written}, skipped ${JSON.stringify(report.skipped)}`,
    );
  });

  test('the message without any header is imported or skipped with a reason, or kept as text of the one before with a warning', () => {
    const skipped = report.skipped.some((skip) => /header|not a message/i.test(skip.reason));
    const written = [...documents.entries()].some(
      ([id, document]) => id !== 'no-colon@lists.example' && document.content.includes('Just text, no header at all'),
    );
    const warned = report.warnings.some(
      (warning) => /From .*line|no header/i.test(warning.message) && !/References/.test(warning.message),
    );
    assert.ok(
      skipped || written || warned,
      'a "From " line followed by an empty header block must not become body text of the message before it silently: ' +
        JSON.stringify(report.warnings.filter((warning) => !/References/.test(warning.message))),
    );
  });

  test('damaged MIME is reported, not silently emptied or garbled', () => {
    const warnings = (name: string) =>
      report.warnings
        .filter((warning) => warning.id === `${name}@lists.example`)
        .map((warning) => warning.message)
        .join('\n');
    assert.match(warnings('base64'), /base64/);
    assert.match(warnings('multipart'), /boundary/);
  });

  test('no address is published, in frontmatter, bodies, titles or file names', async () => {
    const text = await allText(path.join(dir, 'content'));
    for (const address of ADDRESSES) assert.ok(!text.includes(address), `${address} is published`);
  });

  test('each nasty keeps its readable text', () => {
    const body = (name: string) => documents.get(`${name}@lists.example`)?.content ?? '';
    assert.match(body('crlf'), /Lines end in CR LF\.\\?\nWrite to dave at crlf\.example for more\./);
    assert.doesNotMatch(body('crlf'), /\r/);
    assert.match(body('nul'), /Before the NULafter the NUL/);
    assert.doesNotMatch(body('nul') + JSON.stringify(documents.get('nul@lists.example')!.data), /\u0000/);
    assert.match(body('charset'), /Caf.{1,2} cr.{1,2}me in an unknown charset\./);
    assert.ok(body('base64').length > 0, 'the broken base64 body is empty');
    assert.match(body('multipart'), /Part one text/);
    assert.match(body('long-line'), /end-of-long-line/);
    assert.match(body('no-colon'), /Body after broken headers\./);
  });

  test('the References loop and 5,000 References thread without hanging, and 300 replies form one thread', () => {
    const a = documents.get('loop-a@lists.example')!.data;
    const b = documents.get('loop-b@lists.example')!.data;
    assert.equal(a.thread, b.thread, 'the two messages of the loop are one thread');
    assert.ok(
      !(a.thread_parent === 'loop-b@lists.example' && b.thread_parent === 'loop-a@lists.example'),
      'a loop was built',
    );
    assert.ok((documents.get('references@lists.example')!.data.references as string[]).length <= 100);
    const threads = new Set(
      Array.from({ length: 300 }, (_, index) => documents.get(`chain-${index}@lists.example`)!.data.thread),
    );
    assert.deepEqual([...threads], ['chain-0@lists.example']);
    assert.equal(documents.get('chain-299@lists.example')!.data.thread_parent, 'chain-298@lists.example');
  });
});

test('Pipermail: a body line "From someone at example.com" is body text, not a new message', async () => {
  const dir = await temporaryDirectory('almanac-hostile-pipermail-');
  const month = [
    'From alice at example.com  Mon Jan  4 10:00:00 2021',
    'From: alice at example.com (Alice)',
    'Date: Mon, 4 Jan 2021 10:00:00 +0000',
    'Subject: [hostile] First',
    'Message-ID: <p1@example.com>',
    '',
    'Quoting the old thread:',
    'From someone at example.com',
    'From someone at example.com  Tue Jan  5 10:00:00 2021',
    'and the text goes on after both.',
    '',
    'From bob at example.com  Tue Jan  5 11:00:00 2021',
    'From: bob at example.com (Bob)',
    'Date: Tue, 5 Jan 2021 11:00:00 +0000',
    'Subject: [hostile] Second',
    'Message-ID: <p2@example.com>',
    '',
    'The second message.',
    '',
  ].join('\n');
  const input = path.join(dir, '2021-January.txt');
  await writeFile(input, month);
  const result = await boundedAlmanac([
    'import',
    input,
    '--format',
    'pipermail',
    '--source',
    'piper',
    '--out',
    path.join(dir, 'content'),
    '--report',
    path.join(dir, 'report.json'),
  ]);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8'));
  assert.equal(report.written, 2, JSON.stringify(report));
  assert.deepEqual(report.skipped, []);
  const bodies = await Promise.all(
    (await markdownFiles(path.join(dir, 'content', 'piper'))).map(async (file) =>
      parseDocument(await readFile(path.join(dir, 'content', 'piper', file), 'utf8')),
    ),
  );
  const first = bodies.find((document) => document.data.message_id === 'p1@example.com')!;
  assert.match(first.body, /From someone at example\.com[\s\S]*and the text goes on after both\./);
});
