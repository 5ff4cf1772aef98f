import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
// @ts-expect-error plain JavaScript, run before TypeScript can be loaded (see its header)
import { load } from '../src/worker/loadCompiled.js';
import { startWorker } from '../src/worker/startWorker.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

const CACHE = path.join(ROOT, 'node_modules/.cache/almanac');

/** The cache's manifests (name → its compiled folder) of modules built from `entry`; removed when the tests end. */
function compiledFrom(entry: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of readdirSync(CACHE).filter((name) => name.endsWith('.json'))) {
    const manifest = JSON.parse(readFileSync(path.join(CACHE, file), 'utf8'));
    if (manifest.inputs.some(([input]: [string]) => input === entry)) found.set(file.replace(/\.json$/, ''), manifest.dir);
  }
  return found;
}
const compiledHere: string[] = [];
process.on('exit', () => {
  for (const entry of compiledHere) {
    for (const name of compiledFrom(entry).keys()) {
      for (const file of readdirSync(CACHE)) if (file === `${name}.json` || file.startsWith(`${name}-`)) rmSync(path.join(CACHE, file), { recursive: true, force: true });
    }
  }
});

/** A two-file TypeScript module in a temporary folder. */
async function twoFileModule(value: number): Promise<{ entry: string; helper: string }> {
  const dir = await temporaryDirectory();
  const entry = path.join(dir, 'entry.ts');
  const helper = path.join(dir, 'helper.ts');
  writeFileSync(entry, "import { value, where } from './helper.ts';\nexport const answer: number = value;\nexport { where };\n");
  writeFileSync(helper, `export const value: number = ${value};\nexport const where: string = import.meta.url;\n`);
  compiledHere.push(entry);
  return { entry, helper };
}

test('a TypeScript module is compiled once, keeps its own import.meta.url, and is compiled again when a file it imports changes', async () => {
  const { entry, helper } = await twoFileModule(41);
  const compiledFolders = () => [...compiledFrom(entry).values()];
  const first = await load(entry);
  assert.equal(first.answer, 41);
  assert.equal(first.where, pathToFileURL(helper).href, 'a bundled module still knows where its source is');
  const [folder] = compiledFolders();
  assert.ok(folder, 'compiled into the cache');

  assert.equal((await load(entry)).answer, 41);
  assert.deepEqual(compiledFolders(), [folder], 'unchanged sources are not compiled again');

  writeFileSync(helper, 'export const value: number = 42;\nexport const where: string = import.meta.url;\n');
  const later = new Date(Date.now() + 5000);
  utimesSync(helper, later, later);
  assert.equal((await load(entry)).answer, 42, 'an edited import is compiled again');
  assert.notDeepEqual(compiledFolders(), [folder]);
});

test('a worker thread runs its TypeScript entry from the compiled copy', async () => {
  const dir = await temporaryDirectory();
  const entry = path.join(dir, 'worker.ts');
  writeFileSync(entry, "import { parentPort } from 'node:worker_threads';\nconst running: string = new Error().stack ?? '';\nparentPort!.postMessage({ url: import.meta.url, running });\n");
  compiledHere.push(entry);
  const worker = startWorker(pathToFileURL(entry));
  const [message] = await once(worker, 'message');
  await worker.terminate();
  assert.equal(message.url, pathToFileURL(entry).href);
  assert.match(message.running, /node_modules\/\.cache\/almanac\/worker-[0-9a-f]{12}-\d+-\d+-\d+\/worker\.js/);
});

test('the CLI runs compiled: without its manifest, almanac --version compiles it again, then answers', async () => {
  const manifests = () => readdirSync(CACHE).filter((file) => /^main-[0-9a-f]{12}\.json$/.test(file));
  // Only the manifest goes (a CLI running meanwhile compiles again): the compiled folders other processes may be loading from stay.
  for (const file of manifests()) rmSync(path.join(CACHE, file), { force: true });
  const result = await almanac(['--version']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.equal(manifests().length, 1, 'the CLI compiled itself into the cache');
});
