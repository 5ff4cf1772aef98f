/**
 * Real faults for the tests of issue 22: a small tmpfs, read-only mounts, an unprivileged user,
 * almanac processes to stop, signal and kill, and folders compared byte for byte.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { bloggerBackup } from '../../bench/generate/blogger.ts';
import { ALMANAC, ROOT } from './cli.ts';

/** Root ignores permission bits: as root the CLI runs as nobody:nogroup (setpriv), as anyone else as that user. */
export const UNPRIVILEGED = process.getuid?.() === 0 ? ['--reuid=65534', '--regid=65534', '--clear-groups'] : undefined;

/**
 * A tmpfs of `size` (with `options`: ro, …), empty. As root (this machine runs the tests as root)
 * one is mounted at `fresh` and unmounted by the returned function. As another user the tests use
 * /tmp/almanac-faults-<size>[-ro], mounted beforehand: without it they stop with the command to run.
 */
export function tmpfsFolder(fresh: string, size: string, options: string[] = []): { dir: string; unmount: () => void } {
  const mountOptions = [`size=${size}`, 'mode=1777', ...options].join(',');
  if (process.getuid?.() === 0) {
    mkdirSync(fresh, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', mountOptions, 'tmpfs', fresh]);
    return { dir: fresh, unmount: () => execFileSync('umount', ['-l', fresh]) };
  }
  const fixed = `/tmp/almanac-faults-${size}${options.includes('ro') ? '-ro' : ''}`;
  const mounted = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[1] === fixed && line.split(' ')[2] === 'tmpfs');
  if (!mounted)
    throw new Error(
      `these tests need a small tmpfs, which only root can mount: run them as root, or first: sudo mkdir -p ${fixed} && sudo mount -t tmpfs -o ${mountOptions} tmpfs ${fixed}`,
    );
  if (!options.includes('ro'))
    for (const name of readdirSync(fixed)) rmSync(path.join(fixed, name), { recursive: true, force: true });
  return { dir: fixed, unmount: () => undefined };
}

/**
 * A classic Blogger backup of `posts` generated posts (bench/generate/blogger.ts), written to `file`;
 * `padTo` bytes with an XML comment, so that few posts are an input large enough for the render workers.
 */
export async function writeBloggerBackup(file: string, posts: number, { seed = 1, padTo = 0 } = {}): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const xml = bloggerBackup({ posts, comments: 0, seed });
  const padding = padTo > xml.length ? `<!--${' '.repeat(padTo - xml.length)}-->` : '';
  // After the root element (valid XML there), so that sniffing the format still sees the feed first.
  writeFileSync(file, xml + padding);
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** The exit: status (null when a signal ended it) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the real `almanac` (CI set: no progress bar), optionally as another user through setpriv. */
export function start(
  args: string[],
  options: { env?: Record<string, string>; as?: string[]; cwd?: string } = {},
): Running {
  const command = options.as ? 'setpriv' : process.execPath;
  const commandArgs = options.as ? [...options.as, process.execPath, ALMANAC, ...args] : [ALMANAC, ...args];
  const child = spawn(command, commandArgs, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, CI: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs `almanac` to its end. */
export async function run(
  args: string[],
  options: { env?: Record<string, string>; as?: string[] } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const running = start(args, options);
  const { code, signal } = await running.exited;
  return { code, signal, stdout: running.stdout(), stderr: running.stderr() };
}

/** Waits until `condition` holds (polled every 5 ms), or throws after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  for (const started = Date.now(); !condition(); await new Promise((resolve) => setTimeout(resolve, 5))) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
  }
}

/** Every file below `dir` (dotfiles too) with its bytes, by relative path; empty when there is no `dir`. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full), readFileSync(full).toString('base64'));
  }
  return files;
}

/** The files that differ between two snapshots, for an assertion's message. */
export function differences(actual: Map<string, string>, expected: Map<string, string>): string[] {
  const names = new Set([...actual.keys(), ...expected.keys()]);
  return [...names].filter((name) => actual.get(name) !== expected.get(name)).sort();
}

/** `files` matching `pattern` below `dir`. */
export function filesMatching(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => pattern.test(path.basename(name)));
}
