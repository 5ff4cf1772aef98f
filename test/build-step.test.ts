/**
 * The build step: `npm install` compiles src/ and importers/ into dist/ (its prepare script,
 * scripts/build.sh); bin/almanac.js and the worker threads run the compiled files, nothing
 * compiles TypeScript at run time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { codeDigest, compiledModule } from '../src/project.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

test('almanac runs the compiled dist/: no TypeScript there, and no run-time compiler in bin/almanac.js', async () => {
  const result = await almanac(['--version']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
  const compiled = readdirSync(path.join(ROOT, 'dist'), { recursive: true }).map(String);
  assert.ok(compiled.includes(path.join('src', 'cli', 'main.js')));
  assert.deepEqual(
    compiled.filter((file) => file.endsWith('.ts')),
    [],
  );
  assert.doesNotMatch(readFileSync(path.join(ROOT, 'bin/almanac.js'), 'utf8'), /tsx|esbuild/);
  const { dependencies } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  assert.ok(!('tsx' in dependencies) && !('esbuild' in dependencies), 'tsx and esbuild are for tests and benches only');
});

test('a worker thread is a compiled file in dist/, also when its starter runs from the sources', () => {
  const worker = compiledModule('./renderWorker.ts', pathToFileURL(path.join(ROOT, 'src/write/renderPool.ts')).href);
  assert.equal(worker.href, pathToFileURL(path.join(ROOT, 'dist/src/write/renderWorker.js')).href);
  const itself = compiledModule(
    './renderWorker.js',
    pathToFileURL(path.join(ROOT, 'dist/src/write/renderPool.js')).href,
  );
  assert.equal(itself.href, worker.href);
});

test('without dist/, almanac says to run npm install, in one line, exit 1', async () => {
  const dir = await temporaryDirectory();
  mkdirSync(path.join(dir, 'bin'));
  copyFileSync(path.join(ROOT, 'bin/almanac.js'), path.join(dir, 'bin/almanac.js'));
  const result = spawnSync(process.execPath, [path.join(dir, 'bin/almanac.js'), '--version'], { encoding: 'utf8' });
  assert.equal(result.status, 1);
  assert.equal(
    result.stderr,
    'almanac: dist/ is missing, so Almanac is not compiled yet: run npm install (or npm run prepare) in its folder first\n',
  );
});

test('a type error fails the build (and so npm install) loudly, and leaves no dist/ behind', async () => {
  const dir = await temporaryDirectory();
  for (const file of ['tsconfig.json', 'tsconfig.build.json'])
    copyFileSync(path.join(ROOT, file), path.join(dir, file));
  mkdirSync(path.join(dir, 'scripts'));
  copyFileSync(path.join(ROOT, 'scripts/build.sh'), path.join(dir, 'scripts/build.sh'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/broken.ts'), "export const answer: number = 'forty-two';\n");
  const result = spawnSync('bash', ['scripts/build.sh'], { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 1);
  assert.match(result.stdout + result.stderr, /src\/broken\.ts.*TS2322/);
  assert.match(
    result.stderr,
    /^almanac: compiling the TypeScript failed \(the errors are above\), so dist\/ was not made/m,
  );
  assert.equal(existsSync(path.join(dir, 'dist')), false);
});

test('caches key on the code as built: dist/, the lockfile and patches/, by content', async () => {
  const digestOf = async (files: Record<string, string>) => {
    const root = await temporaryDirectory();
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    return codeDigest(root);
  };
  const tree = {
    'dist/src/site/markdown.js': 'export const a = 1;\n',
    'package-lock.json': '{"lockfileVersion":3}\n',
    'patches/x+1.0.0.patch': 'diff\n',
  };
  const base = await digestOf(tree);
  assert.equal(await digestOf(tree), base, 'the same code, compiled again elsewhere and later: the same digest');
  assert.notEqual(
    await digestOf({ ...tree, 'dist/src/site/markdown.js': 'export const a = 2;\n' }),
    base,
    'a change to the built code',
  );
  assert.notEqual(await digestOf({ ...tree, 'dist/src/convert/new.js': '' }), base, 'a module added');
  assert.notEqual(
    await digestOf({ ...tree, 'package-lock.json': '{"lockfileVersion":3,"x":1}\n' }),
    base,
    'a dependency upgraded',
  );
  assert.notEqual(await digestOf({ ...tree, 'patches/x+1.0.0.patch': 'diff 2\n' }), base, 'a patch changed');
});
