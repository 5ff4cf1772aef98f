import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { OutputError } from '../src/errors.ts';
import {
  createAtomicWriter,
  removeStaleTemporaryFiles,
  resolveInside,
  writeFileAtomic,
} from '../src/write/atomicWrite.ts';
import { temporaryDirectory } from './helpers/cli.ts';

test('atomic write: creates folders, replaces the file whole, leaves no temporary file', async () => {
  const root = await temporaryDirectory();
  await writeFileAtomic(root, '2020/05/a.md', 'first');
  await writeFileAtomic(root, '2020/05/a.md', 'second');
  assert.equal(await readFile(path.join(root, '2020/05/a.md'), 'utf8'), 'second');
  assert.deepEqual(await readdir(path.join(root, '2020/05')), ['a.md']);
});

test('atomic write: never outside the root', async () => {
  const root = await temporaryDirectory();
  for (const bad of ['../x.md', '/etc/x.md', 'a/../../x.md', 'a\0b.md']) {
    await assert.rejects(writeFileAtomic(root, bad, 'x'), OutputError, bad);
  }
  await assert.rejects(resolveInside(root, '..'), OutputError);
});

test('atomic write: refuses a folder or file that is a symbolic link, even after the folder was used', async () => {
  const root = await temporaryDirectory();
  const outside = await temporaryDirectory();
  await symlink(outside, path.join(root, 'linked'));
  await assert.rejects(writeFileAtomic(root, 'linked/x.md', 'x'), /symbolic link/);
  const write = createAtomicWriter(root);
  await write('real/a.md', 'a');
  await symlink(path.join(outside, 'target.md'), path.join(root, 'real/b.md'));
  await assert.rejects(write('real/b.md', 'b'), /symbolic link/);
  assert.deepEqual(await readdir(outside), []);
});

test('atomic write: temporary files of a killed import are removed, other files kept', async () => {
  const root = await temporaryDirectory();
  await mkdir(path.join(root, '2020'), { recursive: true });
  await writeFile(path.join(root, '2020/.a.md.0123456789ab.tmp'), 'half');
  await writeFile(path.join(root, '2020/a.md'), 'whole');
  assert.equal(await removeStaleTemporaryFiles(root), 1);
  assert.deepEqual(await readdir(path.join(root, '2020')), ['a.md']);
});
