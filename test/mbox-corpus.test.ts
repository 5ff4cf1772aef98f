import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import PostalMime, { addressParser } from 'postal-mime';
import { splitMbox } from '../importers/mail/splitMbox.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { importSource, type ImportReport } from '../src/write/importSource.ts';
import { temporaryDirectory } from './helpers/cli.ts';
import { CORPUS, corpusMissing } from './helpers/corpus.ts';

const MBOX = path.join(CORPUS, 'mbox');

interface Written {
  data: Record<string, unknown>;
  content: string;
  text: string;
}

async function writtenDocuments(report: ImportReport): Promise<Map<string, Written>> {
  const documents = new Map<string, Written>();
  for (const file of report.files) {
    const text = await readFile(file, 'utf8');
    const { data, body: content } = parseDocument(text);
    documents.set(String(data.message_id), { data, content, text });
  }
  return documents;
}

/** Words of a text as a set: letters and digits only, so Markdown escapes and line breaks do not matter. */
function words(text: string): Set<string> {
  return new Set(
    text
      .normalize('NFC')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length >= 3),
  );
}

async function importOne(inputs: string[], source: string, out?: string) {
  const folder = out ?? (await temporaryDirectory());
  const report = await importSource({ inputs, format: 'mbox', source, out: folder });
  return { report, out: folder };
}

test('every message of every corpus mbox is written or reported, its text intact and no address published', {
  skip: corpusMissing(),
}, async () => {
  const files = (await readdir(MBOX)).filter((name) => name.endsWith('.mbox')).sort();
  assert.ok(files.length >= 20);
  for (const file of files) {
    const input = path.join(MBOX, file);
    const { report } = await importOne([input], file.replace(/\W+/g, '-').toLowerCase().slice(0, 60));
    const raws = [];
    for await (const raw of splitMbox(createReadStream(input), 'mbox')) raws.push(Buffer.from(raw.bytes));
    assert.equal(report.written + report.skipped.length, raws.length, `${file}: ${JSON.stringify(report.skipped)}`);
    const documents = await writtenDocuments(report);
    const published = [...documents.values()]
      .map((document) => document.text)
      .join('\n')
      .toLowerCase();
    const seen = new Set<string>();
    for (const raw of raws) {
      const email = await PostalMime.parse(raw);
      for (const header of ['from', 'to', 'cc']) {
        for (const address of addressParser(email.headers.find((entry) => entry.key === header)?.value ?? '', {
          flatten: true,
        })) {
          // An address standing on its own (Message-IDs such as `2005.1.user@host` or `x%user@host` are ids, not addresses).
          const standalone = new RegExp(
            `(?<![^\\s<>"'(,:;])${address.address?.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`,
          );
          if (address.address?.includes('@'))
            assert.doesNotMatch(published, standalone, `${file}: ${address.address} is published`);
        }
      }
      const id = email.messageId?.replace(/^<|>$/g, '');
      const document = id ? documents.get(id) : undefined;
      // A repeated Message-ID is reported as skipped; only the first copy is the document.
      if (!document || !email.text || seen.has(id!)) continue;
      seen.add(id!);
      // Every word of the text postal-mime reads is in the document (U+FFFD words aside: there Almanac reads better).
      const have = words(document.content);
      // Addresses are left out on purpose (names stay), also those the sender already wrote `user at host`.
      const missing = [...words(email.text.replace(/\S+@\S+|[\w.+-]+ at [\w-]+(?:\.[\w-]+)+/g, ' '))].filter(
        (word) => !word.includes('\ufffd') && !have.has(word),
      );
      assert.deepEqual(missing.slice(0, 10), [], `${file}: ${id}: ${email.text.slice(0, 3000)}`);
    }
  }
});

test('the single messages of the eml/ folders import one document each, or say why not', {
  skip: corpusMissing(),
}, async () => {
  for (const folder of [
    'public-inbox',
    'hyperkitty',
    'mailparser',
    'postal-mime',
    'stalwart-mail-parser/legacy',
    'stalwart-mail-parser/malformed',
    'stalwart-mail-parser/rfc',
    'stalwart-mail-parser/thirdparty',
  ]) {
    const names = (await readdir(path.join(MBOX, 'eml', folder))).sort();
    const inputs = names.map((name) => path.join(MBOX, 'eml', folder, name));
    const { report } = await importOne(inputs, folder.replace(/\W+/g, '-'));
    assert.ok(
      report.written + report.skipped.length >= inputs.length,
      `${folder}: ${report.written} written, ${JSON.stringify(report.skipped)}`,
    );
    const documents = await writtenDocuments(report);
    for (const document of documents.values()) {
      assert.match(String(document.data.date), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      assert.doesNotMatch(
        document.text,
        /<[^\s<>@]+@[^\s<>@]+\.[a-z]{2,}>/i,
        `${folder}: an address in ${document.data.message_id}`,
      );
    }
  }
});

test('git t5100: 18 messages, RFC 2047 subjects decoded, in-body pseudo-headers kept as text', {
  skip: corpusMissing(),
}, async () => {
  const { report } = await importOne([path.join(MBOX, 'git-t5100-sample.mbox')], 't5100');
  assert.equal(report.written + report.skipped.length, 18);
  const titles = [...(await writtenDocuments(report)).values()].map((document) => String(document.data.title));
  assert.ok(
    titles.some((title) => /Пример/.test(title) || /[\u0400-\u04ff]/.test(title)),
    titles.join(' | '),
  );
  const rfc2047 = await importOne([path.join(MBOX, 'git-t5100-rfc2047-samples.mbox')], 'rfc2047');
  const authors = [...(await writtenDocuments(rfc2047.report)).values()].map((document) =>
    String(document.data.author ?? ''),
  );
  assert.ok(authors.includes('Keith Moore'), authors.join(' | '));
  assert.ok(
    authors.some((author) => author.includes('Olle Järnefors')),
    authors.join(' | '),
  );
});

test('duplicates: byte-identical copies are reported as such, the first is imported', {
  skip: corpusMissing(),
}, async () => {
  const { report } = await importOne([path.join(MBOX, 'notmuch-lkml.mbox')], 'lkml');
  assert.equal(report.written, 176);
  assert.equal(report.skipped.length, 34);
  assert.ok(report.skipped.every((skip) => /a second copy of message .* \(identical\)/.test(skip.reason)));
});

test('re-importing writes nothing; importing in another order gives every message the same permalink', {
  skip: corpusMissing(),
}, async () => {
  const inputs = ['notmuch-default.mbox', 'notmuch-threading-ghost-root.mbox', 'perceval-mbox_no_fields.mbox'].map(
    (name) => path.join(MBOX, name),
  );
  const first = await importOne(inputs, 'mixed');
  const again = await importOne(inputs, 'mixed', first.out);
  assert.equal(again.report.written, 0);
  assert.equal(again.report.unchanged, first.report.written);
  const reversed = await importOne([...inputs].reverse(), 'mixed');
  const permalinks = (documents: Map<string, Written>) =>
    Object.fromEntries([...documents].map(([id, document]) => [id, [document.data.permalink, document.data.thread]]));
  assert.deepEqual(
    permalinks(await writtenDocuments(reversed.report)),
    permalinks(await writtenDocuments(first.report)),
  );
});
