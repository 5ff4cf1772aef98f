/**
 * The real CLI as the hostile tests run it: under a 500 MB heap, with its CPU time and peak
 * memory measured by GNU time. CPU time, not wall time, is what a case is held to: the machine
 * is shared, and a load of 10 stretches wall time without the work growing. A wall-clock guard
 * still kills a run that hangs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ALMANAC } from '../helpers/cli.ts';

const GNU_TIME = '/usr/bin/time';

export interface BoundedRun {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** User + system CPU time of the run (wall time when GNU time is missing). */
  cpuMs: number;
  /** Peak resident memory in MB (0 when GNU time is missing). */
  peakMb: number;
}

export async function boundedAlmanac(args: string[], options: { cwd?: string; env?: Record<string, string>; hangMs?: number } = {}): Promise<BoundedRun> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'almanac-time-'));
  const timeFile = path.join(scratch, 'time');
  const node = [process.execPath, '--max-old-space-size=500', ALMANAC, ...args];
  const command = existsSync(GNU_TIME) ? [GNU_TIME, '-o', timeFile, '-f', '%U %S %M', ...node] : node;
  const started = Date.now();
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: options.cwd, env: { ...process.env, CI: '1', ...options.env }, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    // The whole process group: GNU time and the node it started.
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), options.hangMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
  const wallMs = Date.now() - started;
  const measured = await readFile(timeFile, 'utf8').catch(() => '');
  await rm(scratch, { recursive: true, force: true });
  const [user, system, peakKb] = (measured.trim().split('\n').pop() ?? '').split(' ').map(Number);
  const timed = Number.isFinite(user) && Number.isFinite(system);
  return { ...result, wallMs, cpuMs: timed ? Math.round((user + system) * 1000) : wallMs, peakMb: Number.isFinite(peakKb) ? Math.round(peakKb / 1024) : 0 };
}
