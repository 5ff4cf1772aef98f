import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ALMANAC = path.join(ROOT, 'bin/almanac.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The newest modification time of the .ts files below `folder`. */
function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true }))
    if (entry.isFile() && entry.name.endsWith('.ts'))
      newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  return newest;
}

let compiledChecked = false;

/** The CLI runs dist/ (compiled by scripts/build.sh, which npm test runs first): a dist/ older than the sources would test old code. */
function assertCompiledIsFresh(): void {
  if (compiledChecked) return;
  const compiled = statSync(path.join(ROOT, 'dist/src/cli/main.js'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (compiled < Math.max(newestSource(path.join(ROOT, 'src')), newestSource(path.join(ROOT, 'importers')))) {
    throw new Error(
      `dist/ is ${compiled ? 'older than the sources' : 'missing'}: the tests run the compiled CLI; run npm run prepare (npm test does) and test again`,
    );
  }
  compiledChecked = true;
}

/** Runs the real `almanac` command (compiled, dist/), as a user would, with CI set so no progress bar is drawn. */
export function almanac(
  args: string[],
  options: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<RunResult> {
  assertCompiledIsFresh();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ALMANAC, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, CI: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() }),
    );
    child.stdin.end(options.input ?? '');
  });
}

const temporaryDirectories: string[] = [];
// Each test file's builds and imports keep their records (src/cacheDirectory.ts) in a folder of their own, not the checkout's .almanac-cache/.
if (!process.env.ALMANAC_CACHE_DIR)
  temporaryDirectories.push((process.env.ALMANAC_CACHE_DIR = mkdtempSync(path.join(os.tmpdir(), 'almanac-cache-'))));
// Removed when the test file's process ends (each file runs in its own), unless a test failed or ALMANAC_KEEP_TMP is set: then they are there to look at.
process.on('exit', (code) => {
  if (code !== 0 || process.exitCode || process.env.ALMANAC_KEEP_TMP) return;
  for (const dir of temporaryDirectories) rmSync(dir, { recursive: true, force: true });
});

export async function temporaryDirectory(prefix = 'almanac-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  temporaryDirectories.push(dir);
  return dir;
}
