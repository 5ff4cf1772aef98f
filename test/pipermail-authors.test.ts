import assert from 'node:assert/strict';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sniffFormat } from '../importers/index.ts';
import { addressesToNames } from '../importers/mail/addressesToNames.ts';
import { authorOf, senderOf } from '../importers/mail/mailAuthor.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';

// Pipermail months as real installs write them: `user at host (Name)`, Mailman 2.0's plain `user@host (Name)`,
// a large install's `jane@doe @end|ng |rom ex@mp|e@com (Jane Doe)`, and `addr (addr)` for senders with no name.
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail/pipermail');
/** Any spelling of an address: `a@b.c`, `a at b.c`, and the `@end|ng |rom` family. */
const ANY_ADDRESS = /[\w.+-]+@[\w-]+\.[\w.-]+|[\w.+-]+ at [\w-]+\.[\w.-]+|@end\|ng \|rom/;

async function importMonth(name: string, args: string[] = [], as = name) {
  const folder = await temporaryDirectory();
  const input = path.join(folder, as);
  await copyFile(path.join(FIXTURES, name), input);
  const out = path.join(folder, 'content');
  const result = await almanac(['import', input, '--source', 'zones', '--out', out, ...args]);
  assert.equal(result.code, 0, result.stderr);
  const all: Record<string, unknown>[] = [];
  for (const entry of await readdir(path.join(out, 'zones'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const text = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
    const { data, body } = parseDocument(text);
    all.push({ ...data, body, text });
  }
  all.sort((a, b) => String(a.date).localeCompare(String(b.date)));
  return { result, all };
}

/** The frontmatter as written, without the ids (Message-IDs are ids, not addresses to publish). */
function publishedFields(document: Record<string, unknown>): string {
  return String(document.text)
    .split('\n---\n')[0]
    .split('\n')
    .filter(
      (line) => !/^(message_id|in_reply_to|thread|thread_parent|original_id|references):|^ {2}- (?!\/)/.test(line),
    )
    .join('\n');
}

test('a large install\'s "@end|ng |rom" addresses: the author is the real name, and attribution lines name the person', async () => {
  const { result, all } = await importMonth('2023-May.txt', [], 'r-help-2023-05.txt');
  assert.match(result.stdout, /3 entries \(pipermail\)/);
  assert.deepEqual(
    all.map((document) => document.author),
    ['Jane Doe', 'Bob Sale', 'Jane Doe'],
  );
  assert.match(String(all[1].body), /^On 5\/1\/23 11:00 AM, Jane Doe wrote:$/m);
  assert.match(String(all[2].body), /^Bob Sale wrote:$/m);
  assert.match(String(all[2].body), /^> On 5\/1\/23 11:00 AM, Jane Doe wrote:$/m);
  for (const document of all) assert.doesNotMatch(`${publishedFields(document)}\n${document.body}`, ANY_ADDRESS);
});

test('Mailman 2.0 months with plain addresses are Pipermail, and publish names only', async () => {
  assert.equal(await sniffFormat(path.join(FIXTURES, '2001-March.txt')), 'pipermail');
  const { result, all } = await importMonth('2001-March.txt', [
    '--old-base',
    'https://lists.example.org/pipermail/zones/',
  ]);
  assert.match(result.stdout, /2 entries \(pipermail\)/);
  assert.deepEqual(
    all.map((document) => document.author),
    ['Jane Doe', 'tom'],
  );
  assert.deepEqual(all[1].redirect_from, ['/pipermail/zones/2001-March/000001.html']);
  assert.match(String(all[1].body), /^Jane Doe wrote:$/m);
  for (const document of all) assert.doesNotMatch(`${publishedFields(document)}\n${document.body}`, ANY_ADDRESS);
});

test('senders with no name: the local part, or the list for its robots, and one counted warning for the source', async () => {
  const { result, all } = await importMonth('2020-July.txt', ['--list', 'zones']);
  const byId = Object.fromEntries(all.map((document) => [document.message_id, document]));
  assert.equal(byId['n-1@doe.example'].author, 'Jane Doe');
  assert.equal(byId['n-2@example.org'].author, 'list-admin');
  assert.equal(byId['n-3@lists.example.org'].author, 'zones');
  // A subject names the person too, never the address.
  assert.equal(byId['n-3@lists.example.org'].title, 'Uncaught bounce notification for Jane Doe');
  assert.equal(byId['n-4@lists.example.org'].author, 'zones');
  const warnings = result.stderr.split('\n').filter((line) => /give no sender name/.test(line));
  assert.deepEqual(warnings, [
    "warning: 3 of 5 messages give no sender name; their author is shown 1 by the local part of the address (before the @), and 2 from the list's robots (mailman, -request, -owner, -bounces, listserv…) by the list's name, zones: no address is published",
  ]);
  // Attribution lines: the name the archive knows for the address, the name already there, else the local part.
  assert.match(String(byId['n-2@example.org'].body), /^On Mon, 6 Jul 2020, Jane Doe wrote:$/m);
  assert.match(String(byId['n-5@example.net'].body), /^Jane Doe wrote:$/m);
  assert.match(String(byId['n-5@example.net'].body), /^And someone wrote:$/m);
  for (const document of all) assert.doesNotMatch(publishedFields(document), ANY_ADDRESS);
  // Elsewhere in the body an address keeps Pipermail's own `user at host`.
  assert.match(String(byId['n-5@example.net'].body), /Mail me at kim at example\.net if not\./);
});

test('--show-addresses still publishes the address of a sender with no name', async () => {
  const { all } = await importMonth('2020-July.txt', ['--list', 'zones', '--show-addresses']);
  assert.equal(all.find((document) => document.message_id === 'n-2@example.org')!.author, 'list-admin@example.org');
});

test('Pipermail is told by its own shape whatever the file is called; real mbox files stay mbox', async () => {
  const folder = await temporaryDirectory();
  for (const name of ['2023-May.txt', '2001-March.txt', '2020-July.txt']) {
    const renamed = path.join(folder, `${name}.mbox`);
    await copyFile(path.join(FIXTURES, name), renamed);
    assert.equal(await sniffFormat(renamed), 'pipermail', name);
  }
  assert.equal(await sniffFormat(path.join(FIXTURES, '../mime.mbox')), 'mbox');
  assert.equal(await sniffFormat(path.join(FIXTURES, '../charsets.mbox')), 'mbox');
});

test('a month archived twice: one document per Message-ID, each second copy a reported skip, its old URL kept as a redirect', async () => {
  const report = path.join(await temporaryDirectory(), 'report.json');
  const { result, all } = await importMonth('2019-June.txt', [
    '--old-base',
    'https://lists.example.org/pipermail/zones/',
    '--report',
    report,
  ]);
  assert.match(result.stdout, /4 entries \(pipermail\) .*2 written, 0 unchanged, 2 skipped/);
  assert.deepEqual(JSON.parse(await readFile(report, 'utf8')).skipped, [
    {
      id: 'twice-1@example.org',
      reason: 'a second copy of message twice-1@example.org (identical); the first was imported',
    },
    {
      id: 'twice-2@example.org',
      reason: 'a second copy of message twice-2@example.org (identical); the first was imported',
    },
  ]);
  assert.deepEqual(
    all.map((document) => document.redirect_from),
    [
      ['/pipermail/zones/2019-June/000000.html', '/pipermail/zones/2019-June/000002.html'],
      ['/pipermail/zones/2019-June/000001.html', '/pipermail/zones/2019-June/000003.html'],
    ],
  );
});

test('a hostile From field or subject (100,000 characters of near-addresses) costs linear time', () => {
  const hostile = [
    `${'a'.repeat(100_000)} at x`,
    `x at ${'a.'.repeat(50_000)}1`,
    'a@'.repeat(50_000),
    `${' '.repeat(100_000)}x@`,
    'a @end|ng |rom '.repeat(10_000),
  ];
  const started = performance.now();
  for (const text of hostile) {
    for (const from of [text, `${text} (Name)`, `Name <${text}>`, `"${text}" <a@b.example>`])
      authorOf(senderOf(from), { showAddresses: false, list: 'zones' });
    addressesToNames(text, () => undefined);
  }
  // Measured 100–300 ms; the patterns before this test took minutes.
  assert.ok(performance.now() - started < 5000, `${Math.round(performance.now() - started)} ms`);
});

test('an address glued to the word after it (Gmail\'s "Jane Doe <jane at doe.com>wrote:") leaves the name and the word apart', () => {
  assert.equal(
    addressesToNames(
      'On Tue, Apr 7, 2009 at 3:34 PM, Beau Gunderson <beau at beaugunderson.com>wrote:',
      () => undefined,
    ),
    'On Tue, Apr 7, 2009 at 3:34 PM, Beau Gunderson wrote:',
  );
  assert.equal(
    addressesToNames('Jane Doe <jane at doe.com> wrote:', () => undefined),
    'Jane Doe wrote:',
  );
});
