// Plain JavaScript: this runs first, in the CLI or in a worker thread, before anything can load TypeScript.
//
// tsx compiles each module on the fly in a module-hooks thread of its own, one more per worker:
// measured, a render worker on tsx added 61 MB of resident memory, the same worker compiled 17 MB,
// and a 20,000-message import peaked 30–45 MB lower compiled. So an entry is compiled once with
// esbuild (the same compiler tsx uses) into node_modules/.cache/almanac/, our own files bundled and
// packages left as imports, and compiled again when any file it was built from has changed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cacheDir = path.join(root, 'node_modules', '.cache', 'almanac');
/** Compiled folders no manifest names any more are removed once a day old: a running process may still load chunks from one. */
const STALE_MS = 24 * 60 * 60 * 1000;

/** Imports the entry (a .ts file's absolute path) compiled; with tsx if it cannot be compiled here. */
export async function load(entry) {
  let compiledEntry;
  try {
    compiledEntry = await compiled(entry);
  } catch {
    // A read-only install or a missing esbuild costs memory, never correctness: tsx runs the same source.
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(entry).href);
  }
  // ALMANAC_DEBUG prints stack traces: of the TypeScript, through the compiled code's source maps.
  if (process.env.ALMANAC_DEBUG) process.setSourceMapsEnabled(true);
  return import(pathToFileURL(compiledEntry).href);
}

async function compiled(entry) {
  // Compiled for this Node version (esbuild's target), so another Node gets its own.
  const name = `${path.basename(entry, '.ts')}-${createHash('sha256').update(`${entry}\0${process.versions.node}`).digest('hex').slice(0, 12)}`;
  const manifestFile = path.join(cacheDir, `${name}.json`);
  const current = readManifest(manifestFile);
  if (current && current.inputs.every(([input, was]) => stamp(input) === was)) return path.join(cacheDir, current.dir, current.entry);

  const esbuild = await import('esbuild');
  // A folder per compilation, named in the manifest once complete: several processes (and a pool's workers) may compile at once.
  const dir = `${name}-${process.pid}-${threadId}-${Date.now()}`;
  const result = await esbuild.build({
    entryPoints: [entry], outdir: path.join(cacheDir, dir), bundle: true, splitting: true, packages: 'external',
    format: 'esm', platform: 'node', target: `node${process.versions.node}`, metafile: true, logLevel: 'silent',
    absWorkingDir: root, plugins: [keepModuleUrls], sourcemap: 'linked',
  });
  const output = Object.entries(result.metafile.outputs).find(([, { entryPoint }]) => entryPoint && path.resolve(root, entryPoint) === entry)[0];
  const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(root, input));
  const manifest = { dir, entry: path.relative(path.join(cacheDir, dir), path.resolve(root, output)), inputs: inputs.map((input) => [input, stamp(input)]) };
  writeFileSync(`${manifestFile}.${dir}.tmp`, JSON.stringify(manifest));
  renameSync(`${manifestFile}.${dir}.tmp`, manifestFile);
  removeStale(name, dir);
  return path.join(cacheDir, dir, manifest.entry);
}

/** Each of our modules keeps its own import.meta.url in the bundle: some read files beside themselves. */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

function readManifest(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function stamp(file) {
  try {
    const { size, mtimeMs } = statSync(file);
    return `${size}:${mtimeMs}`;
  } catch {
    return 'gone';
  }
}

function removeStale(name, keep) {
  for (const entry of readdirSync(cacheDir)) {
    if (!entry.startsWith(`${name}-`) || entry === keep || entry.endsWith('.json')) continue;
    const folder = path.join(cacheDir, entry);
    try {
      if (Date.now() - statSync(folder).mtimeMs > STALE_MS) rmSync(folder, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
