/**
 * Issue 22: two runs at once. A real second almanac process finds the folder locked by the first
 * (held still with SIGSTOP), refuses in one line naming it, or waits with --wait and goes on when
 * it is released; a lock whose process was killed with -9 is taken over, and the import finishes
 * byte for byte as one uninterrupted import.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { temporaryDirectory } from './helpers/cli.ts';
import { differences, filesMatching, run, snapshot, start, until, writeBloggerBackup } from './helpers/faults.ts';

const SINCE = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('a second import into the same content folder refuses, naming the first; with --wait it waits and goes on', async () => {
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'blog.xml');
  await writeBloggerBackup(input, 40);
  const content = path.join(dir, 'content');
  const lock = path.join(content, '.almanac.lock');
  const first = start(['import', input, '--out', content, '--source', 'busy']);
  await until(() => existsSync(lock), 'the first import to take its lock');
  first.child.kill('SIGSTOP');
  try {
    const firstCommand = `"almanac import ${input} --out ${content} --source busy"`;
    const refused = await run(['import', input, '--out', content, '--source', 'other']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.stdout, '');
    assert.match(
      refused.stderr,
      new RegExp(
        `^almanac import: ${escape(content)}/ is in use by another almanac: PID ${first.child.pid}, ${escape(firstCommand)}, since ${SINCE}; run again when it has finished, or add --wait to wait for it\\n$`,
      ),
    );
    assert.equal(existsSync(path.join(content, 'other')), false, 'the refused import wrote');

    const waiting = start(['import', input, '--out', content, '--source', 'other', '--wait']);
    await until(() => waiting.stderr().includes('waiting'), 'the second import to wait');
    assert.match(
      waiting.stderr(),
      new RegExp(
        `^almanac: waiting for PID ${first.child.pid} \\(${escape(firstCommand)}, since ${SINCE}\\) to finish with ${escape(content)}/ …\\n$`,
      ),
    );
    // Still waiting while the first holds the lock.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(
      existsSync(path.join(content, 'other')),
      false,
      'the waiting import wrote before the lock was released',
    );
    first.child.kill('SIGCONT');
    assert.equal((await first.exited).code, 0, first.stderr());
    const waited = await waiting.exited;
    assert.equal(waited.code, 0, waiting.stderr());
    assert.match(waiting.stderr(), new RegExp(`\\nalmanac: ${escape(content)}/ is free; going on\\n`));
    assert.match(waiting.stdout(), /^other: \d+ entries \(blogger\) → .*: \d+ written, 0 unchanged/);
    assert.equal(existsSync(lock), false, 'a lock was left');
  } finally {
    first.child.kill('SIGCONT');
    first.child.kill('SIGKILL');
  }
});

test('a lock left by an import killed with -9 is taken over, and the import finishes as if uninterrupted', async () => {
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'blog.xml');
  await writeBloggerBackup(input, 40);
  const reference = path.join(dir, 'reference');
  assert.equal((await run(['import', input, '--out', reference, '--source', 'killed'])).code, 0);
  const content = path.join(dir, 'content');
  const killed = start(['import', input, '--out', content, '--source', 'killed']);
  await until(() => existsSync(path.join(content, '.almanac.lock')), 'the import to take its lock');
  killed.child.kill('SIGKILL');
  await killed.exited;
  assert.ok(existsSync(path.join(content, '.almanac.lock')), 'kill -9 left no lock to take over');

  const again = await run(['import', input, '--out', content, '--source', 'killed']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stderr,
    new RegExp(
      `^almanac: ${escape(content)}/ was locked by PID ${killed.child.pid} \\("almanac import ${escape(input)} --out ${escape(content)} --source killed", since ${SINCE}\\), which is no longer running; lock taken over\\n$`,
    ),
  );
  assert.deepEqual(differences(snapshot(content), snapshot(reference)), []);
  assert.deepEqual(filesMatching(content, /\.tmp$|\.lock$/), []);
});

test('a lock whose PID now belongs to another process (reused since) is taken over', async () => {
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'blog.xml');
  await writeBloggerBackup(input, 5);
  const content = path.join(dir, 'content');
  await mkdir(content, { recursive: true });
  // This test's own PID is alive, but it started at another moment than the lock says its holder did.
  const lock = {
    pid: process.pid,
    host: hostname(),
    command: '"almanac import old.xml"',
    since: '2026-01-01T00:00:00.000Z',
    token: 'f00d',
    started: '1',
  };
  await writeFile(path.join(content, '.almanac.lock'), JSON.stringify(lock));
  const again = await run(['import', input, '--out', content, '--source', 'reused']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(
    again.stderr,
    new RegExp(
      `was locked by PID ${process.pid} \\("almanac import old.xml", since 2026-01-01 00:00:00 UTC\\), which is no longer running; lock taken over`,
    ),
  );
});

test('a second build into the same output folder refuses, naming the first', async () => {
  const dir = await temporaryDirectory();
  await writeBloggerBackup(path.join(dir, 'blog.xml'), 5);
  const content = path.join(dir, 'content');
  assert.equal((await run(['import', path.join(dir, 'blog.xml'), '--out', content, '--source', 'site'])).code, 0);
  const out = path.join(dir, 'site');
  const lock = path.join(dir, '.site.almanac.lock');
  const first = start(['build', '--content', content, '--out', out, '--no-search']);
  await until(() => existsSync(lock), 'the first build to take its lock');
  first.child.kill('SIGSTOP');
  try {
    // Another content folder, the same output folder.
    const other = path.join(dir, 'other-content');
    const refused = await run(['build', '--content', other, '--out', out, '--no-search']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(
        `^almanac build: ${escape(out)}/ is in use by another almanac: PID ${first.child.pid}, "almanac build --content ${escape(content)} --out ${escape(out)} --no-search", since ${SINCE}; run again when it has finished, or add --wait to wait for it\\n$`,
      ),
    );
  } finally {
    first.child.kill('SIGCONT');
  }
  assert.equal((await first.exited).code, 0, first.stderr());
  assert.equal(existsSync(lock), false, 'the build left its lock');
});
