import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { splitMbox, type RawMessage } from '../importers/mail/splitMbox.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail');

async function split(bytes: Buffer, chunkSize = bytes.length): Promise<RawMessage[]> {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize)
    chunks.push(bytes.subarray(offset, offset + chunkSize));
  const messages: RawMessage[] = [];
  for await (const message of splitMbox(Readable.from(chunks), 'mbox'))
    messages.push({ ...message, bytes: Buffer.from(message.bytes) });
  return messages;
}

/** The same mbox with every line end CRLF, or CR alone (classic Mac OS). */
const withLineEnds = (lf: Buffer, end: '\r\n' | '\r') =>
  Buffer.from(lf.toString('latin1').replace(/\n/g, end), 'latin1');

async function importFile(file: string, args: string[] = []) {
  const out = await temporaryDirectory();
  const result = await almanac([
    'import',
    file,
    '--source',
    'list',
    '--out',
    out,
    '--report',
    path.join(out, 'report.json'),
    ...args,
  ]);
  assert.equal(result.code, 0, result.stderr);
  return {
    result,
    report: JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as {
      written: number;
      skipped: unknown[];
      warnings: { id?: string; message: string }[];
    },
  };
}

test("Netscape's `From - ` separators, with a date or none, each start a message; a right Content-Length no longer hides the message after it", async () => {
  const lf = await readFile(path.join(FIXTURES, 'netscape.mbox'));
  for (const chunkSize of [undefined, 7, 61]) {
    const messages = await split(lf, chunkSize);
    assert.deepEqual(
      messages.map((message) => message.envelope),
      ['- Mon Jan 25 13:45:00 1999', '-', '- Tue Jan 26 09:00:00 1999', 'dan@netscape.example'],
      `chunks of ${chunkSize ?? 'all'} bytes`,
    );
    assert.deepEqual(
      messages.map((message) => message.line),
      [1, 12, 22, 34],
    );
    assert.match(messages[0].bytes.toString(), /right\.\n$/);
    // The Content-Length counted CRLF line ends: it points past the body, so it is not trusted, and the escape is undone.
    assert.match(messages[2].bytes.toString(), /\nFrom here on the body is escaped, as mboxo does\.\n$/);
    assert.ok(messages.every((message) => !message.fromLinesKept && !message.fromLinesInLength));
  }
  const { report } = await importFile(path.join(FIXTURES, 'netscape.mbox'));
  assert.equal(report.written, 4);
  assert.deepEqual(report.warnings, []);
});

test('a Content-Length that spans the next message is trusted as mutt trusts it, but the From_ line it swallows is reported by its line', async () => {
  const lf = (await readFile(path.join(FIXTURES, 'netscape.mbox'))).toString('latin1');
  // The first message's length made to end where the third message starts: the second is inside it.
  const third = lf.indexOf('From - Tue');
  const bodyStart = lf.indexOf('\n\n') + 2;
  const swallowing = Buffer.from(
    lf.replace(/Content-Length: 48/, `Content-Length: ${third - bodyStart - 1}`),
    'latin1',
  );
  const messages = await split(swallowing, 13);
  assert.equal(messages.length, 3);
  assert.deepEqual(messages[0].fromLinesInLength, [12]);
  const out = await temporaryDirectory();
  const file = path.join(out, 'swallowing.mbox');
  await writeFile(file, swallowing);
  const { report } = await importFile(file);
  assert.equal(report.written, 3);
  assert.deepEqual(report.warnings, [
    {
      id: '36AC5B2E.1@netscape.example',
      message:
        'swallowing.mbox:12: a "From " line inside the body its Content-Length gives is kept as text of the message (other readers may start a message there)',
    },
  ]);
});

test('Google Takeout: `From 123@xxx` separators with no date are sniffed as mbox and split; an unescaped body line starting "From " is text, and said', async () => {
  const messages = await split(await readFile(path.join(FIXTURES, 'takeout.mbox')), 5);
  assert.deepEqual(
    messages.map((message) => message.envelope),
    [
      '1631234567890123456@xxx',
      '1631234567890123457@xxx Thu Jan 01 00:00:00 +0000 1970',
      '1631234567890123458@xxx Fri Jun 06 08:00:00 +0000 2014',
    ],
  );
  assert.deepEqual(messages[2].fromLinesKept, [33]);
  const { result, report } = await importFile(path.join(FIXTURES, 'takeout.mbox'));
  assert.match(result.stdout, /3 entries \(mbox\)/);
  assert.equal(report.written, 3);
  assert.deepEqual(
    report.warnings.map((warning) => warning.message),
    [
      'takeout.mbox:33: a "From " line with no mail header after it is kept as text of this message (an unescaped body line, or a message without headers)',
    ],
  );
});

test('a date-less "From " line separates only when a mail header block follows it: prose, a lone header-shaped line or a file ending do not', async () => {
  const mbox = Buffer.from(
    [
      'From - ',
      'Message-ID: <1@x>',
      'Subject: one',
      '',
      'From the docs:',
      'Note: this line looks like a header field.',
      '',
      'From here on, prose.',
      'Subject: a header-shaped line in prose',
      'and prose again',
      '',
      'From x',
      'Subject: two',
      'Message-ID: <2@x>',
      '',
      'body',
      '',
      'From the end',
    ].join('\n'),
  );
  for (const chunkSize of [undefined, 3]) {
    const messages = await split(mbox, chunkSize);
    assert.deepEqual(
      messages.map((message) => message.envelope),
      ['-', 'x'],
      `chunks of ${chunkSize ?? 'all'} bytes`,
    );
    assert.deepEqual(
      messages.map((message) => message.fromLinesKept),
      [[5, 8], [18]],
    );
  }
});

test('LF, CRLF, CR-only and mixed line ends split into the same messages, and CR-only files are sniffed as mbox', async () => {
  for (const name of ['netscape.mbox', 'takeout.mbox', 'escaping.mboxrd', 'content-length.mbox']) {
    const lf = await readFile(path.join(FIXTURES, name));
    const expected = await split(lf);
    const crlf = withLineEnds(lf, '\r\n');
    // Google Takeout's mix: LF separators and blank lines, CRLF inside the messages.
    const mixed = Buffer.from(crlf.toString('latin1').replace(/\r\n(?=\r\n|From )/g, '\n'), 'latin1');
    for (const [kind, bytes] of Object.entries({ crlf, cr: withLineEnds(lf, '\r'), mixed })) {
      // content-length.mbox's lengths count LF line ends: with CRLF they are wrong (and ignored), so its pasted From_ line splits.
      if (name === 'content-length.mbox' && kind !== 'cr') continue;
      for (const chunkSize of [undefined, 5]) {
        const messages = await split(bytes, chunkSize);
        const what = `${name}, ${kind} line ends, chunks of ${chunkSize ?? 'all'} bytes`;
        assert.deepEqual(
          messages.map((message) => [message.envelope, message.line, message.fromLinesKept, message.fromLinesInLength]),
          expected.map((message) => [message.envelope, message.line, message.fromLinesKept, message.fromLinesInLength]),
          what,
        );
        assert.deepEqual(
          messages.map((message) => message.bytes.toString('latin1').replace(/\r\n?/g, '\n')),
          expected.map((message) => message.bytes.toString('latin1')),
          what,
        );
      }
    }
  }
  const out = await temporaryDirectory();
  const file = path.join(out, 'mac.mbox');
  await writeFile(file, withLineEnds(await readFile(path.join(FIXTURES, 'netscape.mbox')), '\r'));
  const { result, report } = await importFile(file);
  assert.match(result.stdout, /4 entries \(mbox\)/);
  assert.equal(report.written, 4);
  assert.deepEqual(report.warnings, []);
});
