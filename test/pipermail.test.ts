import assert from 'node:assert/strict';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readHead, sniffFormat } from '../importers/index.ts';
import mbox from '../importers/mbox.ts';
import pipermail from '../importers/pipermail.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';
import { documentsBelow } from './helpers/documents.ts';
import { CORPUS, corpusFile, corpusMissing } from './helpers/corpus.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail');

test('Pipermail months (.txt and .txt.gz, given in any order) are one source with their old URLs', async () => {
  const folder = await temporaryDirectory();
  // Mailman writes monthly archives as `2020-May.txt.gz`; made here with gzip, as the shipped files are.
  await writeFile(
    path.join(folder, '2020-June.txt.gz'),
    gzipSync(await readFile(path.join(FIXTURES, '2020-June.txt'))),
  );
  await copyFile(path.join(FIXTURES, '2020-May.txt'), path.join(folder, '2020-May.txt'));
  const out = path.join(folder, 'content');
  const result = await almanac([
    'import',
    path.join(folder, '2020-June.txt.gz'),
    path.join(folder, '2020-May.txt'),
    '--source',
    'zfs-discuss',
    '--out',
    out,
    '--old-base',
    'https://lists.example.org/pipermail/zfs-discuss/',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /zfs-discuss: 3 entries \(pipermail\) .*3 written/);
  assert.match(result.stderr, /count messages from 000000 across the volumes given/);
  const [first, second, third] = await documentsBelow(path.join(out, 'zfs-discuss'));
  assert.deepEqual(first.redirect_from, ['/pipermail/zfs-discuss/2020-May/000000.html']);
  assert.deepEqual(second.redirect_from, ['/pipermail/zfs-discuss/2020-May/000001.html']);
  assert.deepEqual(third.redirect_from, ['/pipermail/zfs-discuss/2020-June/000002.html']);
  assert.equal(third.old_url_certainty, 'likely');
  assert.equal(first.title, 'Pool layout');
  assert.equal(third.title, 'Re: Pool layout');
  assert.equal(first.author, 'Alice Liddell');
  assert.equal(first.list, 'zfs-discuss');
  assert.equal(second.thread, 'pm-1@example.org');
  assert.equal(third.thread, 'pm-1@example.org');
  assert.match(
    String(first.body),
    /From what I read, raidz2 is right here.\\?\nFrom bob at example.org {2}Fri May {2}1 11:00:00 2020/,
  );
  assert.match(String(second.body), /Mail me at bob at example.org/);
  assert.match(
    String(second.body),
    /\[http:\/\/lists\.example\.org\/pipermail\/zfs-discuss\/attachments\/20200501\/abc\/attachment\.html\]\(http/,
  );
  const again = await almanac([
    'import',
    path.join(folder, '2020-May.txt'),
    path.join(folder, '2020-June.txt.gz'),
    '--source',
    'zfs-discuss',
    '--out',
    out,
    '--old-base',
    'https://lists.example.org/pipermail/zfs-discuss/',
  ]);
  assert.match(again.stdout, /0 written, 3 unchanged/);
});

test('a month missing between two given makes the later old URLs a guess, and says so', {
  skip: corpusMissing(),
}, async () => {
  const out = await temporaryDirectory();
  const months = [
    'perceval-pipermail_2015_november.txt',
    'perceval-pipermail_2016_march.txt',
    'perceval-pipermail_2016_april.txt',
  ].map((name) => corpusFile('mbox', name));
  const result = await almanac([
    'import',
    ...months.reverse(),
    '--source',
    'grimoire',
    '--out',
    out,
    '--old-base',
    'https://lists.libresoft.es/pipermail/metrics-grimoire/',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /grimoire: 8 entries \(pipermail\)/);
  assert.match(result.stderr, /perceval-pipermail_2016_march\.txt: the month before it is not among the inputs/);
  const all = await documentsBelow(path.join(out, 'grimoire'));
  assert.deepEqual(
    all.map((document) => [String(document.redirect_from), document.old_url_certainty]),
    [
      ['/pipermail/metrics-grimoire/2015-November/000000.html', 'likely'],
      ['/pipermail/metrics-grimoire/2015-November/000001.html', 'likely'],
      ['/pipermail/metrics-grimoire/2015-November/000002.html', 'likely'],
      ['/pipermail/metrics-grimoire/2015-November/000003.html', 'likely'],
      ['/pipermail/metrics-grimoire/2016-March/000004.html', 'guess'],
      ['/pipermail/metrics-grimoire/2016-April/000005.html', 'guess'],
      ['/pipermail/metrics-grimoire/2016-April/000006.html', 'guess'],
      ['/pipermail/metrics-grimoire/2016-April/000007.html', 'guess'],
    ],
  );
  assert.ok(
    all.every(
      (document) => document.list === 'metrics-grimoire' && !/\[Metrics-grimoire\]/i.test(String(document.title)),
    ),
  );
  // Message-IDs aside (they are ids), no address: Pipermail's own `user at host` stays as it is.
  assert.ok(
    all.every(
      (document) => !/\w@(example\.com|gsyc\.es)/.test(`${document.author} ${document.title} ${document.body}`),
    ),
  );
});

test('sniffing: Pipermail and mbox are told apart and never claim a blog export or a feed', {
  skip: corpusMissing(),
}, async () => {
  assert.equal(await sniffFormat(path.join(FIXTURES, '2020-May.txt')), 'pipermail');
  assert.equal(await sniffFormat(corpusFile('mbox', 'perceval-pipermail_2015_november.txt')), 'pipermail');
  for (const name of [
    'mailbox-perl-magick-2000.mbox',
    'mailbox-perl-magick-2000-crlf.mbox',
    'git-t5100-sample.mbox',
    'notmuch-lkml.mbox',
    'git-t4258.mbox',
    'eml/public-inbox/utf8.eml',
  ]) {
    assert.equal(await sniffFormat(corpusFile('mbox', name)), 'mbox', name);
  }
  const folder = await temporaryDirectory();
  await writeFile(
    path.join(folder, 'archive.mbox.gz'),
    gzipSync(await readFile(corpusFile('mbox', 'notmuch-default.mbox'))),
  );
  assert.equal(await sniffFormat(path.join(folder, 'archive.mbox.gz')), 'mbox');
  for (const area of ['blogger', 'feeds', 'roller']) {
    for (const name of await readdir(path.join(CORPUS, area))) {
      const file = path.join(CORPUS, area, name);
      const head = await readHead(file);
      assert.equal(mbox.sniff(head, file), false, file);
      assert.equal(pipermail.sniff(head, file), false, file);
    }
  }
});
