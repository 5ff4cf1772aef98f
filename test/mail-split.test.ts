import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { splitMbox, type MboxFlavor, type RawMessage } from '../importers/mail/splitMbox.ts';
import { formatMailDate, parseMailDate } from '../importers/mail/mailDates.ts';
import { corpusFile, corpusMissing } from './helpers/corpus.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail');

async function split(source: string | Buffer, flavor: MboxFlavor = 'mbox', chunkSize?: number): Promise<RawMessage[]> {
  let stream: AsyncIterable<Buffer>;
  if (typeof source === 'string') stream = createReadStream(source, chunkSize ? { highWaterMark: chunkSize } : {});
  else {
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < source.length; offset += chunkSize ?? source.length)
      chunks.push(source.subarray(offset, offset + (chunkSize ?? source.length)));
    stream = Readable.from(chunks);
  }
  const messages: RawMessage[] = [];
  for await (const message of splitMbox(stream, flavor))
    messages.push({ ...message, bytes: Buffer.from(message.bytes) });
  return messages;
}

test('every multi-message file of the corpus splits into the count of its strict From_ lines', {
  skip: corpusMissing(),
}, async () => {
  const expected: Record<string, number> = {
    'git-t5100-sample.mbox': 18, // git mailsplit's own expectation; two From_ lines follow body text
    'git-t5100-rfc2047-samples.mbox': 11,
    'git-t5100-quoted-cr.mbox': 2,
    'mailbox-perl-magick-2000.mbox': 45,
    'mailbox-perl-magick-2000-crlf.mbox': 45,
    'notmuch-lkml.mbox': 210,
    'notmuch-default.mbox': 53,
    'notmuch-duplicate.mbox': 9,
    'notmuch-broken.mbox': 4,
    'notmuch-threading-ghost-root.mbox': 9,
    'notmuch-threading-parent-priority.mbox': 3,
    'perceval-mbox_complex.mbox': 2,
    'perceval-mbox_multipart.mbox': 2,
    'perceval-mbox_no_fields.mbox': 6,
    'perceval-mbox_iso8859_encoding.mbox': 1,
    'perceval-mbox_unixfrom_encoding.mbox': 1,
    'perceval-mbox_unknown_encoding.mbox': 1,
    'mlstats-gnome-8-bit.mbox': 1,
  };
  for (const [file, count] of Object.entries(expected)) {
    // Small chunks put separators and header blocks across chunk boundaries.
    for (const chunkSize of [undefined, 97]) {
      const messages = await split(corpusFile('mbox', file), 'mbox', chunkSize);
      assert.equal(messages.length, count, `${file} (chunks of ${chunkSize ?? 'default'})`);
      assert.ok(
        messages.every((message) => !message.junk && message.envelope),
        file,
      );
    }
  }
  for (const [file, count] of Object.entries({
    'perceval-pipermail_2015_november.txt': 4,
    'perceval-pipermail_2016_april.txt': 3,
    'perceval-pipermail_2016_march.txt': 1,
  })) {
    assert.equal((await split(corpusFile('mbox', file), 'pipermail', 61)).length, count, file);
  }
});

test('mboxrd bodies come out as git mailsplit --mboxrd expects them', { skip: corpusMissing() }, async () => {
  const messages = await split(corpusFile('mbox', 'git-t5100-sample.mboxrd'));
  assert.equal(messages.length, 2);
  for (const [index, message] of messages.entries()) {
    const expected = await readFile(corpusFile('mbox', `git-t5100-sample.mboxrd.expect-000${index + 1}`));
    // The expected files are the bodies; git keeps the separating blank line, Almanac drops it.
    const body = message.bytes.toString().split('\n\n').slice(1).join('\n\n');
    assert.equal(body.replace(/\n+$/, '\n'), expected.toString().replace(/\n+$/, '\n'));
  }
});

test('Content-Length (mboxcl2) keeps an unescaped From_ line inside a body; the Perl CRLF mbox has the same 45 messages', {
  skip: corpusMissing(),
}, async () => {
  const [first, second] = await split(path.join(FIXTURES, 'content-length.mbox'), 'mbox', 13);
  assert.match(
    first.bytes.toString(),
    /\nFrom someone@example.org Wed Jun {2}3 08:00:00 2020\nSubject: an old message pasted as text\n/,
  );
  assert.match(second.bytes.toString(), /^From: Yvonne/);
  // The same file with a wrong Content-Length: the header is ignored and the pasted From_ line splits, as in any mbox.
  const wrong = (await readFile(path.join(FIXTURES, 'content-length.mbox')))
    .toString()
    .replace(/Content-Length: \d+/, 'Content-Length: 3');
  assert.equal((await split(Buffer.from(wrong))).length, 3);
  const lf = await split(corpusFile('mbox', 'mailbox-perl-magick-2000.mbox'));
  const crlf = await split(corpusFile('mbox', 'mailbox-perl-magick-2000-crlf.mbox'), 'mbox', 1000);
  assert.deepEqual(
    crlf.map((message) =>
      message.bytes
        .toString()
        .replace(/\r\n/g, '\n')
        .replace(/Content-Length: \d+/, ''),
    ),
    lf.map((message) => message.bytes.toString().replace(/Content-Length: \d+/, '')),
  );
});

test('mboxrd and mboxo escapes are undone; a From_ line right after body text still separates', async () => {
  const messages = await split(path.join(FIXTURES, 'escaping.mboxrd'), 'mbox', 7);
  assert.equal(messages.length, 3);
  const body = messages[0].bytes.toString();
  assert.match(body, /\n\nFrom the start of time/);
  assert.match(body, /\n>From this one keeps one bracket/);
  assert.match(body, /\n >From with a leading space stays/);
  assert.match(body, /\nFrom here on is prose/);
  assert.match(body, /\n>From\nlast line\n$/);
  assert.equal(messages[1].envelope, 'b@example.com Thu Jan  1 00:00:00 1970');
});

test('Pipermail: a body line shaped like a From_ line starts no message unless a From: header follows', async () => {
  const messages = await split(path.join(FIXTURES, '2020-May.txt'), 'pipermail');
  assert.equal(messages.length, 2);
  assert.match(
    messages[0].bytes.toString(),
    /\nFrom what I read, raidz2 is right here.\nFrom bob at example.org {2}Fri May {2}1 11:00:00 2020\nThat line above/,
  );
  // As an mbox (where such lines would have been escaped) the same line would not split either: no header follows it.
  assert.equal((await split(path.join(FIXTURES, '2020-May.txt'), 'mbox')).length, 2);
});

test('a file without any From_ line is one message when it starts with headers, junk otherwise', {
  skip: corpusMissing(),
}, async () => {
  const [bare] = await split(corpusFile('mbox', 'git-t4258.mbox'));
  assert.equal(bare.envelope, undefined);
  assert.ok(!bare.junk);
  assert.match(bare.bytes.toString(), /^From: /);
  const [junk] = await split(path.join(FIXTURES, 'not-mail.txt'));
  assert.equal(junk.junk, true);
  assert.deepEqual(await split(Buffer.from('\n\n  \n')), []);
});

test('mail dates: RFC 5322, obsolete zones, no seconds, asctime From_ lines; nonsense is undefined', () => {
  const cases: [string, string | undefined][] = [
    ['Tue, 19 Jun 2016 18:26:26 +0200', '2016-06-19T18:26:26+02:00'],
    ['Fri, 8 Aug 2008 13:08:37 +0200 (CEST)', '2008-08-08T13:08:37+02:00'],
    ['Thu, 16 Jun 2016 22:14:41 -0400', '2016-06-16T22:14:41-04:00'],
    ['Wed Feb  9 22:02 MET 2000', '2000-02-09T22:02:00+01:00'],
    ['Sat Nov 14 21:29:28 2015', '2015-11-14T21:29:28+00:00'],
    ['Mon, 4 May 98 12:00:00 EST', '1998-05-04T12:00:00-05:00'],
    ['4 May 2020 12:00 GMT', '2020-05-04T12:00:00+00:00'],
    ['Mon, 4 May 2020 12:00:00 -3000', '2020-05-04T12:00:00+00:00'],
    ['yesterday at noon', undefined],
    ['', undefined],
  ];
  for (const [text, iso] of cases) {
    const date = parseMailDate(text);
    assert.equal(date && formatMailDate(date), iso, text);
  }
  assert.equal(parseMailDate('Tue, 19 Jun 2016 18:26:26 +0200')!.time, Date.parse('2016-06-19T16:26:26Z'));
});

test('a From_-shaped line with no header after it stays text and is reported by its line, in any chunking; one inside a Content-Length body too, apart', async () => {
  const mbox = Buffer.from(
    [
      'From a@example.org Mon Jan  1 00:00:00 2020',
      'From: A <a@example.org>',
      'Message-ID: <1@x>',
      '',
      'Body one.',
      '',
      'From b@example.org Mon Jan  1 00:01:00 2020',
      '',
      'Just text, no header.',
      '',
      'From c@example.org Mon Jan  1 00:02:00 2020',
      'From: C <c@example.org>',
      'Message-ID: <2@x>',
      'Content-Length: 61',
      '',
      'From d@example.org Mon Jan  1 00:03:00 2020',
      'opaque body line',
      '',
    ].join('\n'),
  );
  for (const chunkSize of [undefined, 7]) {
    const messages = await split(mbox, 'mbox', chunkSize);
    assert.equal(messages.length, 2);
    assert.deepEqual(
      messages.map((message) => message.fromLinesKept),
      [[7], undefined],
      `chunks of ${chunkSize ?? 'all'} bytes`,
    );
    assert.deepEqual(
      messages.map((message) => message.fromLinesInLength),
      [undefined, [16]],
      `chunks of ${chunkSize ?? 'all'} bytes`,
    );
    assert.match(messages[0].bytes.toString(), /\nFrom b@example\.org .*\n\nJust text, no header\.\n$/);
  }
});
