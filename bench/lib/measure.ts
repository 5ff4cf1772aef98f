/**
 * Measuring, the same way for every benchmark: wall time and peak RSS of a whole command
 * (GNU time reads the kernel's rusage, so the child's real peak, not a sample), repeated,
 * summarized as median and spread. The machine is shared and noisy: compare ratios taken
 * in the same run, never absolute seconds across runs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Measurement {
  seconds: number;
  /** User + system CPU seconds: less at the mercy of other processes on a shared machine than wall time. */
  cpuSeconds: number;
  peakRssMb: number;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1)!, runs: sorted.length };
}

/** `1.23 s (1.10–1.40, 5 runs)`. */
export function describe(summary: Summary, unit = 's'): string {
  const digits = summary.median < 10 ? 3 : 1;
  return `${summary.median.toFixed(digits)} ${unit} (${summary.min.toFixed(digits)}–${summary.max.toFixed(digits)}, ${summary.runs} runs)`;
}

/** Runs a command to completion under GNU time; throws with its stderr when it fails or outlives `timeoutSeconds`. */
export function measureCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutSeconds?: number } = {},
): Promise<Measurement> {
  if (!existsSync('/usr/bin/time')) throw new Error('GNU time is missing: apt-get install time');
  // coreutils timeout between GNU time and the command: it kills the command (not GNU time) and still reports its rusage.
  const limit = options.timeoutSeconds ? ['timeout', '--kill-after=10', String(options.timeoutSeconds)] : [];
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '@@time %e %M %x %U %S', ...limit, command, ...args], {
      cwd: options.cwd,
      env: { ...process.env, CI: '1', ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const match = /@@time ([\d.]+) (\d+) (\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      if (options.timeoutSeconds && match && (match[3] === '124' || match[3] === '137'))
        return reject(new TimeLimitExceeded(`took longer than ${options.timeoutSeconds} s (stopped)`));
      if (code !== 0 || !match)
        return reject(
          new Error(
            `${command} ${args.join(' ')} failed (${code}): ${stderr
              .replace(/@@time.*/, '')
              .trim()
              .slice(-500)}`,
          ),
        );
      resolve({
        seconds: Number(match[1]),
        cpuSeconds: Number(match[4]) + Number(match[5]),
        peakRssMb: Number(match[2]) / 1024,
      });
    });
  });
}

/** A measured command that outlived its time budget. */
export class TimeLimitExceeded extends Error {}

/** Repeats a measurement (after one warm-up run unless told otherwise) and summarizes time and memory. */
export async function repeat(
  times: number,
  measure: () => Promise<Measurement>,
  { warmup = true } = {},
): Promise<{ seconds: Summary; cpuSeconds: Summary; peakRssMb: Summary }> {
  if (warmup) await measure();
  const results: Measurement[] = [];
  for (let run = 0; run < times; run++) results.push(await measure());
  return {
    seconds: summarize(results.map((result) => result.seconds)),
    cpuSeconds: summarize(results.map((result) => result.cpuSeconds)),
    peakRssMb: summarize(results.map((result) => result.peakRssMb)),
  };
}

/** High-resolution seconds of an in-process function, repeated. */
export async function timeInProcess(times: number, work: () => unknown | Promise<unknown>): Promise<Summary> {
  await work();
  const seconds: number[] = [];
  for (let run = 0; run < times; run++) {
    const started = process.hrtime.bigint();
    await work();
    seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return summarize(seconds);
}

/** A figure that could not be measured: null, with the reason on stderr (the suite's contract). */
export function unmeasured(name: string, reason: string): null {
  process.stderr.write(`${name}: not measured: ${reason}\n`);
  return null;
}
