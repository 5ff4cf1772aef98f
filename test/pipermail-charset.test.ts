import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDocument } from '../src/content/frontmatter.ts';
import { importSource } from '../src/write/importSource.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';

// Mailman writes a volume's bodies in the list's charset and declares none: 2008-April.txt is a Polish list's ISO-8859-2, 2008-May.txt a French list's windows-1252.
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail/pipermail');

async function bodies(folder: string): Promise<string> {
  const texts: string[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.md'))
      texts.push(parseDocument(await readFile(path.join(entry.parentPath, entry.name), 'utf8')).body);
  }
  return texts.sort().join('\n');
}

test('an undeclared ISO-8859-2 volume is read as ISO-8859-2, and the guess is said', async () => {
  const out = await temporaryDirectory();
  const result = await almanac(['import', path.join(FIXTURES, '2008-April.txt'), '--source', 'zones-pl', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const text = await bodies(path.join(out, 'zones-pl'));
  assert.match(text, /Cześć, mam problem z łańcuchem strefy: zoneadm mówi, że pula jest zajęta\./);
  assert.match(text, /zależy, która pula jest źródłem\./);
  assert.doesNotMatch(text, /[³¿¶¼]/);
  assert.match(
    result.stderr,
    /2008-April\.txt: 2 messages have 8-bit text that is not UTF-8 and names no charset .*read as ISO-8859-2, the best guess .*--encoding/,
  );
});

test('an undeclared Western volume stays windows-1252 (curly quotes too), and the guess is said', async () => {
  const out = await temporaryDirectory();
  const result = await almanac(['import', path.join(FIXTURES, '2008-May.txt'), '--source', 'zones-fr', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const text = await bodies(path.join(out, 'zones-fr'));
  assert.match(text, /Bonjour à tous, la zone ne démarre plus après la mise à jour\./);
  assert.match(text, /l’état doit être « installed »/);
  assert.match(result.stderr, /2008-May\.txt: 2 messages have 8-bit text .*read as windows-1252/);
});

test('the encoding option (--encoding, or "encoding" in a source\'s options) names the charset: no guess, no warning', async () => {
  const out = await temporaryDirectory();
  const report = await importSource({
    inputs: [path.join(FIXTURES, '2008-April.txt')],
    source: 'zones-pl',
    out,
    importerOptions: { encoding: 'iso-8859-2' },
  });
  assert.equal(report.written, 2);
  assert.deepEqual(report.warnings, []);
  assert.match(await bodies(path.join(out, 'zones-pl')), /Cześć, mam problem z łańcuchem/);
  await assert.rejects(
    importSource({
      inputs: [path.join(FIXTURES, '2008-April.txt')],
      source: 'zones-pl',
      out,
      importerOptions: { encoding: 'latin-42' },
    }),
    /--encoding latin-42: not a character encoding/,
  );
});
