import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDocument } from '../src/content/frontmatter.ts';
import { importSource } from '../src/write/importSource.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail');

interface Document {
  file: string;
  data: Record<string, unknown>;
  body: string;
}

async function documents(folder: string): Promise<Map<string, Document>> {
  const result = new Map<string, Document>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { data, body } = parseDocument(await readFile(file, 'utf8'));
    result.set(String(data.message_id), { file, data, body });
  }
  return result;
}

test('charsets: raw Latin-1 headers, undeclared windows-1252 and declared koi8-r bodies, RFC 2047, QP, base64, format=flowed', async () => {
  const out = await temporaryDirectory();
  const result = await almanac([
    'import',
    path.join(FIXTURES, 'charsets.mbox'),
    '--source',
    'illumos-discuss',
    '--out',
    out,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /illumos-discuss: 5 entries \(mbox\) → .*: 5 written, 0 unchanged, 0 skipped/);
  const mail = await documents(path.join(out, 'illumos-discuss'));
  const latin1 = mail.get('latin1-header@example.org')!;
  assert.equal(latin1.data.author, 'José Martínez');
  assert.equal(latin1.data.title, 'Café build on zfs');
  assert.equal(latin1.data.list, 'illumos-discuss');
  assert.equal(latin1.data.date, '2020-05-04T12:00:00+02:00');
  assert.match(latin1.data.permalink as string, /^\/illumos-discuss\/2020\/05\/[a-z2-7]{13}\/$/);
  assert.match(latin1.body, /The build – on the “new” box – costs 10€\.\\\nJosé/);
  const koi8 = mail.get('koi8@example.ru')!;
  assert.equal(koi8.data.author, 'Иван');
  assert.equal(koi8.data.title, 'Re: Привет build');
  assert.match(koi8.body, /Привет, мир! Сборка прошла\./);
  assert.equal(koi8.data.thread, 'latin1-header@example.org');
  const qp = mail.get('qp@example.com')!;
  assert.equal(qp.data.author, "Anne O'Neil");
  assert.match(qp.body, /joins this sentence with its end, and an é accent; contact me at anne at example\.com\./);
  assert.deepEqual(qp.data.references, ['latin1-header@example.org', 'koi8@example.ru']);
  assert.equal(qp.data.thread_parent, 'koi8@example.ru');
  assert.match(
    mail.get('flowed@example.net')!.body,
    /soft line breaks are joined back into one line by the reader, naïve but correct\.\n\n---\n\nBob/,
  );
  const base64 = mail.get('base64@example.com')!;
  assert.match(base64.body, /Grüße aus Köln/);
  assert.equal(base64.data.author, 'carol'); // no name: the local part, never the address
  const everything = [...mail.values()].map((document) => JSON.stringify(document.data) + document.body).join('\n');
  assert.doesNotMatch(everything, /(jose|ivan|anne|bob|carol)@example/);
});

test('attachments: a patch becomes a diff block, files are saved beside the message under safe names and linked, HTML-only mail is converted', async () => {
  const out = await temporaryDirectory();
  const report = await importSource({
    inputs: [path.join(FIXTURES, 'mime.mbox')],
    format: 'mbox',
    source: 'mime',
    out,
    importerOptions: { maxAttachmentBytes: 3000 },
  });
  assert.equal(report.written, 2);
  const mail = await documents(path.join(out, 'mime'));
  const withFiles = mail.get('attachments@example.com')!;
  assert.match(
    withFiles.body,
    /```diff\nFrom 1234 Mon Sep 17 00:00:00 2001\nFrom: Dev Eloper\nSubject: \[PATCH\] fix it\n\nSigned-off-by: Dev Eloper\n---\ndiff --git a\/a\.c b\/a\.c\n[\s\S]*\n-old\n\+new\n```/,
  );
  assert.match(withFiles.body, /- \[passwd\]\(\.\/passwd\) \(application\/octet-stream, 9 B\)/);
  assert.match(withFiles.body, /- \[page\.html\.txt\]\(\.\/page\.html\.txt\) \(text\/html, 26 B\)/);
  assert.match(
    withFiles.body,
    /Attachment big\.pdf \(application\/pdf, 3\.9 KB\) was not kept: larger than the import's limit/,
  );
  assert.ok(
    report.warnings.some((warning) =>
      /attachment "big\.pdf" \(3\.9 KB\) is over the 2\.9 KB limit; not kept/.test(warning.message),
    ),
  );
  const folder = withFiles.file.replace(/\.md$/, '');
  assert.deepEqual((await readdir(folder)).sort(), ['page.html.txt', 'passwd']);
  assert.deepEqual([...(await readFile(path.join(folder, 'passwd')))], [0, 1, ...Buffer.from('binary'), 0xff]);
  const html = mail.get('html@example.com')!;
  assert.equal(html.body.trim(), 'Hello **world**, write to h at example.com.\n\n![dot](./attachment-1.png)');
  assert.deepEqual(await readdir(html.file.replace(/\.md$/, '')), ['attachment-1.png']);
});

test('--show-addresses publishes addresses for lists that want it', async () => {
  const out = await temporaryDirectory();
  const result = await almanac([
    'import',
    path.join(FIXTURES, 'charsets.mbox'),
    '--source',
    'open',
    '--out',
    out,
    '--show-addresses',
  ]);
  assert.equal(result.code, 0, result.stderr);
  const mail = await documents(path.join(out, 'open'));
  assert.equal(mail.get('base64@example.com')!.data.author, 'carol@example.com');
  // Body text goes through the document pipeline, which writes every bare address `user at host` (src/pipeline/autolinkLiterals.ts).
  assert.match(mail.get('qp@example.com')!.body, /contact me at anne at example\.com/);
});

test('mboxrd escapes undone, bad dates filed after the message before, CRLF and Content-Length files read right', async () => {
  const out = await temporaryDirectory();
  const result = await almanac([
    'import',
    path.join(FIXTURES, 'escaping.mboxrd'),
    path.join(FIXTURES, 'crlf.mbox'),
    path.join(FIXTURES, 'content-length.mbox'),
    '--format',
    'mbox',
    '--source',
    'quirks',
    '--out',
    out,
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /quirks: 7 entries \(mbox\)/);
  assert.match(
    result.stderr,
    /escaping\.mboxrd:13: the Date "yesterday at noon" is not a date; filed one second after the message before it/,
  );
  assert.match(result.stderr, /escaping\.mboxrd:21: no Date header; the "From " line's date is used/);
  const mail = await documents(path.join(out, 'quirks'));
  assert.match(mail.get('escape@example.com')!.body, /^From the start of time, mbox escaped this line\.\n/);
  assert.equal(mail.get('bad-date@example.com')!.data.date, '2020-06-02T09:00:01+00:00');
  assert.equal(mail.get('no-date@example.com')!.data.date, '2020-06-02T11:00:00+00:00');
  assert.equal(mail.get('crlf-2@example.com')!.data.thread, 'crlf-1@example.com');
  assert.equal(mail.get('crlf-2@example.com')!.body.trim(), '> Line one.\n\nAgreed.');
  assert.match(
    mail.get('cl2@example.com')!.body,
    /From someone@example\.org Wed Jun {2}3|From someone at example\.org Wed Jun {2}3/,
  );
  assert.equal(mail.size, 7);
});

test('a file that is not mail is refused with one line and exit 1', async () => {
  const out = await temporaryDirectory();
  const result = await almanac(['import', path.join(FIXTURES, 'not-mail.txt'), '--format', 'mbox', '--out', out]);
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(
    result.stderr,
    /not-mail\.txt:1: not an mbox: it has no "From " line followed by a mail header, and does not start with one/,
  );
});

test('a Maildir folder (cur/ and new/) is one source, one message a file', async () => {
  const folder = await temporaryDirectory();
  const maildir = path.join(folder, 'list');
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(path.join(maildir, 'cur'), { recursive: true });
  await mkdir(path.join(maildir, 'new'), { recursive: true });
  await mkdir(path.join(maildir, 'tmp'), { recursive: true });
  const text = (await readFile(path.join(FIXTURES, 'crlf.mbox'), 'latin1')).split(/\r\nFrom [^\r\n]*\r\n/);
  await writeFile(
    path.join(maildir, 'cur', '1591261200.1.host:2,S'),
    text[0].replace(/^From [^\r\n]*\r\n/, ''),
    'latin1',
  );
  await writeFile(path.join(maildir, 'new', '1591264800.2.host'), text[1], 'latin1');
  await writeFile(path.join(maildir, 'tmp', '1591264801.3.host'), 'From: half-delivered\r\n', 'latin1');
  const out = path.join(folder, 'content');
  const result = await almanac(['import', maildir, '--format', 'mbox', '--source', 'maildir', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /maildir: 2 entries \(mbox\) .*2 written/);
  const mail = await documents(path.join(out, 'maildir'));
  assert.equal(mail.get('crlf-2@example.com')!.data.thread, 'crlf-1@example.com');
});
