import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This file's folder: src/ when run from the sources (tests, under tsx), dist/src/ when compiled. */
const here = path.dirname(fileURLToPath(import.meta.url));
const compiled = path.basename(path.dirname(here)) === 'dist';

/** The checkout: layouts/, assets/, .eleventy.js and dist/ live here, whether this runs compiled or not. */
export const PROJECT_ROOT = compiled ? path.resolve(here, '../..') : path.resolve(here, '..');
/** Where `npm install` (its `prepare` script, scripts/build.sh) compiles the TypeScript to. */
export const DIST = path.join(PROJECT_ROOT, 'dist');

/**
 * A worker thread's module, `relative` to the module `from` (its import.meta.url): always the
 * compiled file in dist/, because a worker thread cannot load TypeScript.
 */
export function compiledModule(relative: string, from: string): URL {
  const source = path.relative(PROJECT_ROOT, fileURLToPath(new URL(relative, from))).replace(/\.ts$/, '.js');
  const file = source.startsWith(`dist${path.sep}`) ? path.join(PROJECT_ROOT, source) : path.join(DIST, source);
  if (!existsSync(file))
    throw new Error(
      `${path.relative(process.cwd(), file)} is missing: compile Almanac first (npm install, or npm run prepare)`,
    );
  return pathToFileURL(file);
}

function hashFolder(hash: Hash, folder: string): void {
  const entries = readdirSync(folder, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile());
  const files = entries.map((entry) => path.join(entry.parentPath, entry.name)).sort();
  for (const file of files)
    hash
      .update(`${path.relative(folder, file)}\0`)
      .update(readFileSync(file))
      .update('\0');
}

const digests = new Map<string, string>();

/**
 * What Almanac's own output is made by: the compiled code (dist/), the exact versions of every
 * dependency (package-lock.json) and the fixes applied to them (patches/). Caches (the Markdown
 * cache, the site's build record, an import's last run) key on it: any change to any of them
 * invalidates them all, with no list of files to keep up to date. By content: `npm install`
 * compiles dist/ afresh each time, and an unchanged compile keeps every cache. Once per process.
 */
export function codeDigest(root = PROJECT_ROOT): string {
  const known = digests.get(root);
  if (known) return known;
  const hash = createHash('sha256');
  for (const part of ['dist', 'patches']) {
    const folder = path.join(root, part);
    hash.update(`${part}\0`);
    if (existsSync(folder)) hashFolder(hash, folder);
  }
  const lockfile = path.join(root, 'package-lock.json');
  hash.update(existsSync(lockfile) ? readFileSync(lockfile) : 'no lockfile');
  const digest = hash.digest('hex');
  digests.set(root, digest);
  return digest;
}
