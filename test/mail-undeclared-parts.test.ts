import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDocument } from '../src/content/frontmatter.ts';
import { importSource } from '../src/write/importSource.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';

// MIME parts that name no charset: QP `=AF` in a text/plain part, a part with no Content-Type holding 8-bit Latin-1 French, and one in valid UTF-8.
const MAILBOX = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail/undeclared-parts.mbox');

async function bodies(folder: string): Promise<string> {
  const texts: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.md'))
      texts.push(parseDocument(await readFile(path.join(entry.parentPath, entry.name), 'utf8')).body);
  }
  return texts.sort().join('\n');
}

test('8-bit text in a MIME part with no charset is read as windows-1252 when it is not UTF-8, with one warning counting the parts', async () => {
  const out = await temporaryDirectory();
  const result = await almanac(['import', MAILBOX, '--source', 'parts', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const text = await bodies(path.join(out, 'parts'));
  assert.doesNotMatch(text, /\uFFFD/);
  assert.match(text, /¯¯¯¯¯¯/);
  assert.match(text, /Cher collègue, j'ai reçu ta thèse à Noël: très réussie\./);
  assert.match(text, /Grüße aus Köln, und schöne Feiertage\./);
  const warnings = result.stderr.split('\n').filter((line) => /names no charset/.test(line));
  assert.equal(warnings.length, 1, result.stderr);
  assert.match(
    warnings[0],
    /2 message parts have 8-bit text that is not UTF-8 and names no charset; read as windows-1252.*--encoding/,
  );
});

test('the encoding option names the charset of parts that declare none, and then no warning is given', async () => {
  const out = await temporaryDirectory();
  const report = await importSource({
    inputs: [MAILBOX],
    source: 'parts',
    out,
    importerOptions: { encoding: 'iso-8859-15' },
  });
  assert.equal(report.written, 3);
  assert.deepEqual(report.warnings, []);
  const text = await bodies(path.join(out, 'parts'));
  assert.match(text, /Cher collègue/);
  assert.match(text, /Grüße aus Köln/);
});
