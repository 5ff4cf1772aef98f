import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InputError } from '../src/errors.ts';
import { importSource } from '../src/write/importSource.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';
import { CORPUS } from './helpers/corpus.ts';

/**
 * DESIGN.md's accounting, checked from outside: Python's stdlib mailbox.mbox (an independent reader
 * that starts a message at every line beginning "From ") counts the messages of each file, and every
 * one must be an Almanac document, a reported skip, or a "From " line Almanac reports keeping as text.
 */

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail');
// The shared corpus beside the checkout (test/helpers/corpus.ts), or where the project's machines keep it.
const CORPUS_MBOX = [path.join(CORPUS, 'mbox'), '/work/shared/corpus/mbox'].find((folder) => existsSync(folder));

const PYTHON = `
import email, json, mailbox, sys
result = {}
for name in sys.argv[1:]:
    box = mailbox.mbox(name, create=False)
    # get_bytes: get_message refuses a From_ line that is not ASCII.
    headed = sum(1 for key in box.keys() if len(email.message_from_bytes(box.get_bytes(key)).keys()) > 0)
    result[name] = {'messages': len(box), 'withHeaders': headed}
print(json.dumps(result))
`;

/** Python's count for each file: messages, and how many of them have any header. */
function pythonCounts(files: string[]): Record<string, { messages: number; withHeaders: number }> {
  return JSON.parse(execFileSync('python3', ['-c', PYTHON, ...files], { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

async function mboxFiles(): Promise<string[]> {
  // The files of the folder (Pipermail's have a folder of their own, read as Pipermail by their tests).
  const files = (await readdir(FIXTURES, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name !== 'not-mail.txt')
    .map((entry) => path.join(FIXTURES, entry.name));
  if (CORPUS_MBOX) {
    for (const name of await readdir(CORPUS_MBOX))
      if ((await stat(path.join(CORPUS_MBOX, name))).isFile()) files.push(path.join(CORPUS_MBOX, name));
  }
  // CRLF copies of the fixtures: Python's reader takes CRLF too (CR-only files it reads as one line, so they are left to test/mbox-separators.test.ts).
  const crlfFolder = await temporaryDirectory();
  for (const name of await readdir(FIXTURES)) {
    if (!/\.mbox$/.test(name)) continue;
    const copy = path.join(crlfFolder, name.replace(/\.mbox$/, '-crlf.mbox'));
    await writeFile(
      copy,
      Buffer.from((await readFile(path.join(FIXTURES, name))).toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'),
    );
    files.push(copy);
  }
  return files;
}

test('every message Python’s mailbox finds in every fixture and corpus mbox is an Almanac document, a reported skip, or a reported "From " line', async (t) => {
  if (!CORPUS_MBOX)
    t.diagnostic(`the shared corpus (${path.join(CORPUS, 'mbox')}) is absent: only the fixtures are compared`);
  const files = await mboxFiles();
  const python = pythonCounts(files);
  const out = await temporaryDirectory();
  for (const [order, file] of files.entries()) {
    const expected = python[file];
    const name = path.basename(file);
    let report: Awaited<ReturnType<typeof importSource>>;
    try {
      report = await importSource({ inputs: [file], format: 'mbox', source: `s${order}`, out });
    } catch (error) {
      // Refused as not mail: then no message Python finds has a header either.
      assert.ok(error instanceof InputError && /not an mbox/.test(error.message), `${name}: ${error}`);
      assert.equal(
        expected.withHeaders,
        0,
        `${name} was refused, but Python finds ${expected.withHeaders} messages with headers in it`,
      );
      continue;
    }
    const text = (await readFile(file)).toString('latin1');
    // What comes before the first "From " line is one unit more for Almanac (a message or reported junk); Python passes over it.
    const leading = /^\s*From /.test(text) || text.trim() === '' ? 0 : 1;
    const fromLinesReported = report.warnings.filter((warning) =>
      / a "From " line .* is kept as text/.test(warning.message),
    ).length;
    assert.equal(
      report.entries - leading + fromLinesReported,
      expected.messages,
      `${name}: Python's mailbox reads ${expected.messages} messages; Almanac wrote ${report.written}, skipped ${report.skipped.length} (${JSON.stringify(report.skipped)}), reported ${fromLinesReported} "From " lines as text, ${leading} unit before the first`,
    );
  }
});

test('a message the splitter accepts and then loses stops the import with one line naming the file and the numbers, exit 1', async () => {
  const out = await temporaryDirectory();
  const file = path.join(FIXTURES, 'netscape.mbox');
  const result = await almanac(['import', file, '--source', 'lossy', '--out', out], {
    env: { ALMANAC_TEST_DROP_MESSAGE: '1' },
  });
  assert.equal(result.code, 1, result.stderr);
  assert.equal(
    result.stderr,
    `almanac import: ${file}: the mbox reader accepted 4 messages but 3 were read: 1 would be lost without a word, so the import stops (an Almanac bug: please report it with this file)\n`,
  );
  // Without the fault, the same import is whole.
  const whole = await almanac(['import', file, '--source', 'whole', '--out', out]);
  assert.equal(whole.code, 0, whole.stderr);
  assert.match(whole.stdout, /4 entries \(mbox\)/);
});
