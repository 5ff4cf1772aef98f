/**
 * Issue 22: when the machine misbehaves. A full disk (a real 3 MB tmpfs), a folder the user may
 * not write (the CLI run as nobody), a read-only file system (a read-only tmpfs): one line naming
 * the operation and the path, what was done, what to do next, exit 1; never "a bug". After the
 * disk is freed, the same command finishes the work, byte for byte as if nothing had happened.
 */
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { temporaryDirectory } from './helpers/cli.ts';
import {
  differences,
  filesMatching,
  run,
  snapshot,
  tmpfsFolder,
  UNPRIVILEGED,
  writeBloggerBackup,
} from './helpers/faults.ts';

const unmounts: (() => void)[] = [];
after(() => {
  for (const unmount of unmounts.reverse()) unmount();
});

/** An empty tmpfs of `size`; unmounted when the file's tests end. */
async function tmpfs(size: string, options: string[] = []): Promise<string> {
  const { dir, unmount } = tmpfsFolder(
    path.join(await temporaryDirectory('almanac-faults-disk-'), 'disk'),
    size,
    options,
  );
  unmounts.push(unmount);
  return dir;
}

/** Fills `disk` with a file until `left` bytes remain. */
function fill(disk: string, left: number): string {
  const { bavail, bsize } = statfsSync(disk);
  const filler = path.join(disk, 'filler');
  writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - left)));
  return filler;
}

function assertNoBug(stderr: string): void {
  assert.doesNotMatch(stderr, /internal error|a bug|\n\s+at /, stderr);
}

test('an import onto a full disk says so in one line (from the render workers too), and the same command finishes it byte for byte', async () => {
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'blog.xml');
  // Padded to 2.1 MB: rendered and written by worker threads (src/write/renderPool.ts), whose errors cross back to the main thread.
  await writeBloggerBackup(input, 80, { padTo: 2_100_000 });
  const reference = path.join(dir, 'reference');
  assert.equal((await run(['import', input, '--out', reference, '--source', 'full'])).code, 0);
  const documents = filesMatching(path.join(reference, 'full'), /\.md$/).length;

  const disk = await tmpfs('3m');
  const filler = fill(disk, 150_000);
  const content = path.join(disk, 'content');
  const full = await run(['import', input, '--out', content, '--source', 'full']);
  assert.equal(full.code, 1, full.stderr);
  assertNoBug(full.stderr);
  const line = new RegExp(
    `^almanac import: cannot (?:write|create the folder) ${content}/full/(\\S+): no space left on device \\(ENOSPC\\); (\\d+) of (\\d+) documents written; free some space and run the same command again: it continues where it stopped\\n$`,
  );
  const match = line.exec(full.stderr);
  assert.ok(match, full.stderr);
  assert.equal(Number(match[3]), documents);
  assert.ok(Number(match[2]) > 0 && Number(match[2]) < documents, match[0]);
  // Nothing half-written: no temporary file, and every document there is whole.
  assert.deepEqual(filesMatching(content, /\.tmp$|\.lock$/), []);
  const expected = snapshot(reference);
  for (const [file, bytes] of snapshot(content))
    if (file.endsWith('.md')) assert.equal(bytes, expected.get(file), `${file} is not whole`);

  rmSync(filler);
  const again = await run(['import', input, '--out', content, '--source', 'full']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(differences(snapshot(content), expected), []);
});

test('a build onto a full disk leaves the last site as it was, says how far it got, and the same command finishes it', async () => {
  const dir = await temporaryDirectory();
  const content = path.join(dir, 'content');
  await writeBloggerBackup(path.join(dir, 'one.xml'), 4);
  assert.equal((await run(['import', path.join(dir, 'one.xml'), '--out', content, '--source', 'one'])).code, 0);
  const disk = await tmpfs('3m');
  const site = path.join(disk, 'site');
  assert.equal((await run(['build', '--content', content, '--out', site, '--no-search'])).code, 0);
  const before = snapshot(site);

  // More posts, more pages: the new build does not fit.
  await writeBloggerBackup(path.join(dir, 'two.xml'), 16);
  assert.equal((await run(['import', path.join(dir, 'two.xml'), '--out', content, '--source', 'one'])).code, 0);
  const filler = fill(disk, 120_000);
  const full = await run(['build', '--content', content, '--out', site, '--no-search']);
  assert.equal(full.code, 1, full.stderr);
  assertNoBug(full.stderr);
  const faults = full.stderr.split('\n').filter((line) => line.startsWith('almanac build:'));
  assert.equal(faults.length, 1, full.stderr);
  assert.match(
    faults[0],
    new RegExp(
      `^almanac build: cannot (?:write|create the folder) ${disk}/\\.site\\.almanac-new/\\S+: no space left on device \\(ENOSPC\\); \\d+ pages? built, not published: ${site}/ is left as the last build made it; free some space and run the same command again: it continues where it stopped$`,
    ),
  );
  assert.deepEqual(differences(snapshot(site), before), [], 'the last site changed');
  assert.deepEqual(filesMatching(disk, /almanac/), [], 'the unfinished build or its lock was left beside the site');

  rmSync(filler);
  const again = await run(['build', '--content', content, '--out', site, '--no-search']);
  assert.equal(again.code, 0, again.stderr);
  const reference = path.join(dir, 'reference-site');
  assert.equal((await run(['build', '--content', content, '--out', reference, '--no-search'])).code, 0);
  assert.deepEqual(differences(snapshot(site), snapshot(reference)), []);
});

test('no permission: an --out the user may not write, or a folder in it, is one line with what was written and exit 1 (as root: run as nobody)', async () => {
  const dir = await temporaryDirectory();
  chmodSync(dir, 0o755);
  const input = path.join(dir, 'blog.xml');
  // 100 posts, 13 hours apart: January and February 2006.
  await writeBloggerBackup(input, 100);
  const cache = path.join(dir, 'cache');
  mkdirSync(cache, { mode: 0o1777 });
  chmodSync(cache, 0o1777);
  const env = { ALMANAC_CACHE_DIR: cache };

  const locked = path.join(dir, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o555);
  const refused = await run(['import', input, '--out', path.join(locked, 'content'), '--source', 'denied'], {
    as: UNPRIVILEGED,
    env,
  });
  assert.equal(refused.code, 1, refused.stderr);
  assert.equal(refused.stdout, '');
  assert.equal(
    refused.stderr,
    `almanac import: cannot create the folder ${locked}/content: permission denied (EACCES); nothing written; give your user access to that folder, or choose another with --out, and run the same command again\n`,
  );

  // The user's content folder, with one month's folder the user may not write: the documents of the other month are written.
  const content = path.join(dir, 'content');
  mkdirSync(path.join(content, 'denied', '2006', '02'), { recursive: true });
  chmodSync(path.join(content, 'denied', '2006', '02'), 0o555);
  if (UNPRIVILEGED)
    for (const folder of ['', 'denied', 'denied/2006']) chownSync(path.join(content, folder), 65534, 65534);
  const partly = await run(['import', input, '--out', content, '--source', 'denied'], {
    as: UNPRIVILEGED,
    env: { ...env, ALMANAC_NO_WORKERS: '1' },
  });
  assert.equal(partly.code, 1, partly.stderr);
  const line = new RegExp(
    `^almanac import: cannot write ${content}/denied/2006/02/\\S+\\.md: permission denied \\(EACCES\\); (\\d+) of 100 documents written; give your user access to that folder, or choose another with --out, and run the same command again\\n$`,
  ).exec(partly.stderr);
  assert.ok(line && Number(line[1]) > 0, partly.stderr);
  assertNoBug(partly.stderr);
  assert.deepEqual(filesMatching(content, /\.tmp$|\.lock$/), []);
});

test('a read-only file system (EROFS) is said as such, for an import and for a build', async () => {
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'blog.xml');
  await writeBloggerBackup(input, 5);
  const readOnly = await tmpfs('1m', ['ro']);
  const imported = await run(['import', input, '--out', path.join(readOnly, 'content'), '--source', 'ro']);
  assert.equal(imported.code, 1, imported.stderr);
  assert.equal(
    imported.stderr,
    `almanac import: cannot create the folder ${readOnly}/content: read-only file system (EROFS); nothing written; choose a folder on a writable file system with --out, or remount it read-write, and run the same command again\n`,
  );

  const content = path.join(dir, 'content');
  assert.equal((await run(['import', input, '--out', content, '--source', 'ro'])).code, 0);
  const built = await run(['build', '--content', content, '--out', path.join(readOnly, 'site'), '--no-search']);
  assert.equal(built.code, 1, built.stderr);
  assert.equal(
    built.stderr,
    `almanac build: cannot create the lock ${readOnly}/.site.almanac.lock: read-only file system (EROFS); nothing written; choose a folder on a writable file system with --out, or remount it read-write, and run the same command again\n`,
  );
});

test('a file where a folder is needed (ENOTDIR) and a name too long (ENAMETOOLONG) are said as such', async () => {
  const dir = await temporaryDirectory();
  const input = path.join(dir, 'blog.xml');
  await writeBloggerBackup(input, 2);
  writeFileSync(path.join(dir, 'a-file'), '');
  const notFolder = await run(['import', input, '--out', path.join(dir, 'a-file', 'content'), '--source', 'x']);
  assert.equal(notFolder.code, 1);
  assert.equal(
    notFolder.stderr,
    `almanac import: cannot create the folder ${dir}/a-file/content: a file stands where a folder is needed (ENOTDIR); nothing written; move that file away or choose another folder, and run the same command again\n`,
  );
  const long = path.join(dir, 'x'.repeat(300));
  const tooLong = await run(['import', input, '--out', path.join(long, 'content'), '--source', 'x']);
  assert.equal(tooLong.code, 1);
  assert.equal(
    tooLong.stderr,
    `almanac import: cannot create the folder ${long}: file name too long (ENAMETOOLONG); nothing written; choose a shorter output folder (--out) or source id, and run the same command again\n`,
  );
});
