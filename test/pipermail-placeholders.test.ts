import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { almanac, temporaryDirectory } from './helpers/cli.ts';
import { documentsBelow } from './helpers/documents.ts';

// HyperArch's as_text writes `From bogus@does.not.exist.com` for an article whose sender it lost; a lost message is that, "No subject" and no body.
const VOLUME = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail/pipermail/2012-March.txt');
const OLD_BASE = 'https://lists.example.org/pipermail/zones/';

test('Mailman placeholders for lost messages are reported skips, and the messages after them keep their Pipermail numbers', async () => {
  const out = await temporaryDirectory();
  const report = path.join(out, 'report.json');
  const result = await almanac([
    'import',
    VOLUME,
    '--source',
    'zones',
    '--list',
    'zones',
    '--out',
    out,
    '--old-base',
    OLD_BASE,
    '--report',
    report,
  ]);
  assert.equal(result.code, 0, result.stderr);
  const all = await documentsBelow(path.join(out, 'zones'), 'message_id');
  assert.deepEqual(
    all.map((document) => [document.message_id, document.redirect_from]),
    [
      ['m-1@example.org', ['/pipermail/zones/2012-March/000001.html']],
      ['m-2@example.org', ['/pipermail/zones/2012-March/000003.html']],
      ['mailman.2.1331734076.3615.zones@lists.example.org', ['/pipermail/zones/2012-March/000004.html']],
    ],
  );
  assert.ok(
    all.every(
      (document) => document.title !== 'No subject' || String(document.body).includes('boot zones in parallel'),
    ),
  );
  // A placeholder sender with text kept is no one: no author "bogus".
  assert.equal(all[2].author, undefined);
  const skipped = JSON.parse(await readFile(report, 'utf8')).skipped as { id: string; reason: string }[];
  assert.deepEqual(
    skipped.map((skip) => skip.id),
    ['mailman.0.1331734074.3615.zones@lists.example.org', 'mailman.1.1331734074.3615.zones@lists.example.org'],
  );
  assert.ok(
    skipped.every((skip) => /^Mailman placeholder: this message's text is not in the archive/.test(skip.reason)),
  );
  assert.match(result.stdout + result.stderr, /3 written, 0 unchanged, 2 skipped/);
  // A rebuilt archive (BerliOS, 2012) numbered such messages where they were in the list's mbox: from the first one on, numbers are a guess, and said so.
  assert.ok(all.every((document) => document.old_url_certainty === 'guess'));
  assert.match(
    result.stderr,
    /2012-March\.txt:1: 3 messages are Mailman's placeholder for lost headers .*old URLs\) from there on are a guess/,
  );
});

test('a volume that starts with a placeholder is sniffed as Pipermail, whatever the file is called', async () => {
  const folder = await temporaryDirectory();
  const input = path.join(folder, 'lost-month.txt');
  await copyFile(VOLUME, input);
  const result = await almanac(['import', input, '--source', 'zones', '--out', path.join(folder, 'out')]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout + result.stderr, /\(pipermail\)/);
});
