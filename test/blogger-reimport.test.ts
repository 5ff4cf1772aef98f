/**
 * What the writer promises around an import of a Blogger backup: a re-import of unchanged input
 * changes no byte; a file edited by hand is kept unless --force; a broken or truncated file is
 * one clear line and exit 1; --report and --dry-run; a progress bar on terminals only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { almanac, ALMANAC, ROOT, temporaryDirectory } from './helpers/cli.ts';

const CLASSIC = path.join(ROOT, 'test/fixtures/blogger/blog-11-23-2026.xml');
const GUIDE = 'notes/2009/03/building-illumos-quick-guide.md';

/** Every file under dir (dot-files included) with its bytes and modification time. */
async function snapshot(dir: string): Promise<Map<string, { bytes: string; mtimeMs: number }>> {
  const files = new Map<string, { bytes: string; mtimeMs: number }>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), { bytes: await readFile(file, 'latin1'), mtimeMs: (await stat(file)).mtimeMs });
  }
  return files;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

test('re-import of unchanged input changes no byte and no mtime, and says so', async () => {
  const out = await temporaryDirectory();
  const first = await almanac(['import', CLASSIC, '--source', 'notes', '--out', out]);
  assert.equal(first.code, 0, first.stderr);
  const before = await snapshot(out);
  assert.ok(before.has('notes/.almanac-import.json'));
  assert.equal(before.size, 21);
  await settle();
  const again = await almanac(['import', CLASSIC, '--source', 'notes', '--out', out]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stdout,
    /: 0 written, 20 unchanged, 5 skipped, 2 comments \(nothing changed since the last import\)\n$/,
  );
  assert.deepEqual(await snapshot(out), before);
});

test('an import with nothing changed since its last run reports at once what reading it all would; any change reads it all', async () => {
  const dir = await temporaryDirectory();
  const out = path.join(dir, 'content');
  const input = path.join(dir, 'backup.xml');
  await copyFile(CLASSIC, input);
  const run = async (...extra: string[]) => {
    const reportFile = path.join(dir, 'report.json');
    const result = await almanac([
      'import',
      input,
      '--source',
      'notes',
      '--out',
      out,
      '--report',
      reportFile,
      ...extra,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { upToDate, ...report } = JSON.parse(await readFile(reportFile, 'utf8'));
    return { upToDate: upToDate === true, report, stderr: result.stderr };
  };
  await run();
  const remembered = await run();
  assert.equal(remembered.upToDate, true);
  // The input touched, not changed: read in full, the same report (and the same warnings, printed again).
  await utimes(input, new Date(), new Date(Date.now() + 5_000));
  const read = await run();
  assert.equal(read.upToDate, false);
  assert.deepEqual(remembered.report, read.report);
  assert.equal(remembered.stderr, read.stderr);
  assert.equal(read.report.unchanged, 20);
  assert.equal((await run()).upToDate, true);
  // Anything in the content folder changed (another source's document here) is read in full again, as is --force.
  await mkdir(path.join(out, 'other'), { recursive: true });
  await writeFile(path.join(out, 'other', 'page.md'), '---\ntitle: Page\n---\n\nText.\n');
  assert.equal((await run()).upToDate, false);
  assert.equal((await run()).upToDate, true);
  assert.equal((await run('--force')).upToDate, false);
  // A document deleted since is written again, not reported unchanged.
  await rm(path.join(out, GUIDE));
  const restored = await run();
  assert.equal(restored.upToDate, false);
  assert.equal(restored.report.written, 1);
  assert.ok(existsSync(path.join(out, GUIDE)));
});

test('a file edited by hand survives a re-import and is reported as kept; --force overwrites it', async () => {
  const out = await temporaryDirectory();
  const reportFile = path.join(out, 'report.json');
  assert.equal((await almanac(['import', CLASSIC, '--source', 'notes', '--out', out])).code, 0);
  const imported = await readFile(path.join(out, GUIDE), 'utf8');
  const edited = imported.replace('takes three steps', 'takes three easy steps');
  await writeFile(path.join(out, GUIDE), edited);
  const before = await snapshot(out);
  await settle();

  const again = await almanac(['import', CLASSIC, '--source', 'notes', '--out', out, '--report', reportFile]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await readFile(path.join(out, GUIDE), 'utf8'), edited);
  assert.match(
    again.stderr,
    new RegExp(
      `kept: ${path.join(out, GUIDE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: edited since the last import; kept as it is \\(use --force to overwrite\\)`,
    ),
  );
  assert.match(again.stdout, /0 written, 19 unchanged, 1 kept \(edited by hand\), 5 skipped/);
  const report = JSON.parse(await readFile(reportFile, 'utf8'));
  assert.deepEqual(
    report.kept.map((kept: { file: string }) => kept.file),
    [path.join(out, GUIDE)],
  );
  assert.equal(
    report.entries,
    report.written + report.unchanged + report.kept.length + report.comments + report.skipped.length,
  );
  const after = await snapshot(out);
  after.delete('report.json');
  assert.deepEqual(after, before, 'nothing else was touched either');

  // Still kept the next time: the hand edit is not mistaken for a previous import.
  assert.match((await almanac(['import', CLASSIC, '--source', 'notes', '--out', out])).stdout, /1 kept/);
  const forced = await almanac(['import', CLASSIC, '--source', 'notes', '--out', out, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /1 written, 19 unchanged/);
  assert.equal(await readFile(path.join(out, GUIDE), 'utf8'), imported);
});

test('a truncated backup: one line naming the file with line:column, exit 1, nothing written', async () => {
  const dir = await temporaryDirectory();
  const xml = await readFile(CLASSIC, 'utf8');
  const truncated = path.join(dir, 'blog-truncated.xml');
  await writeFile(truncated, xml.slice(0, Math.floor(xml.length / 2)));
  const result = await almanac(['import', truncated, '--source', 'notes', '--out', path.join(dir, 'out')]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(
    lines[0],
    new RegExp(`^almanac import: ${truncated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: .*truncated`),
  );
  assert.equal(existsSync(path.join(dir, 'out', 'notes')), false);
});

test('a broken backup: one line with the line:column of the damage, exit 1, no stack trace', async () => {
  const dir = await temporaryDirectory();
  const pretty = (await readFile(CLASSIC, 'utf8')).replace(/<entry>/g, '\n<entry>');
  const line = pretty.split('\n').findIndex((text) => text.includes('post-1005')) + 1;
  const broken = path.join(dir, 'blog-broken.xml');
  await writeFile(broken, pretty.replace("<title type='text'>#x</title>", "<title type='text'>#x</titel>"));
  const result = await almanac(['import', broken, '--source', 'notes', '--out', path.join(dir, 'out')]);
  assert.equal(result.code, 1);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(
    lines[0],
    new RegExp(`^almanac import: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+: broken XML: .*title`),
  );
  assert.doesNotMatch(result.stderr, /\n\s+at |internal error/);
});

test('--dry-run writes nothing and says what would be written', async () => {
  const dir = await temporaryDirectory();
  const out = path.join(dir, 'out');
  const result = await almanac(['import', CLASSIC, '--source', 'notes', '--out', out, '--dry-run']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /20 would be written, 0 unchanged, 5 skipped/);
  assert.equal(existsSync(out), false);
});

test('progress bar: none when output is piped, even outside CI', async () => {
  const result = await almanac(['import', CLASSIC, '--source', 'notes', '--out', await temporaryDirectory()], {
    env: { CI: '' },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stderr + result.stdout, /\r|\x1b\[|░|█|Importing/);
});

test('progress bar: drawn on a terminal', {
  skip: existsSync('/usr/bin/script') ? false : 'script(1) from util-linux is needed for a pseudo-terminal',
}, async () => {
  const out = await temporaryDirectory();
  const command = [process.execPath, ALMANAC, 'import', CLASSIC, '--source', 'notes', '--out', out]
    .map((part) => `'${part}'`)
    .join(' ');
  const env = { ...process.env };
  delete env.CI;
  const result = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], { env, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Importing notes \[[█░]+\] \d+% \d+\/\d+/);
});
