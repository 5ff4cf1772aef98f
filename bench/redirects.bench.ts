/**
 * Redirect serving cost on real servers: Debian's nginx and apache2 answering an old URL from a map
 * of 10 and of 100,000 redirects, both running at once and measured alternately with ab (apache2-utils)
 * on loopback: median latency of one keep-alive connection (ab's percentile table) and requests/s
 * with 8 connections. Ratios are 100,000 ÷ 10; targets 1.1× (nginx) and 1.5× (apache2).
 * mod_rewrite caches a map lookup per process, so after the first request of a URL Apache's cost is
 * the rule itself; nginx looks the hash up every time.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchOptions } from './run.ts';
import { generateRedirects } from './generate/redirectMap.ts';
import { encodePath } from '../src/redirects/paths.ts';
import apache, { compileDbm, findHttxt2dbm } from '../src/redirects/writers/apache.ts';
import nginx from '../src/redirects/writers/nginx.ts';
import { serverMissing, startApache, startNginx, type RunningServer } from '../test/helpers/servers.ts';

export const name = 'redirects';

const AB = '/usr/bin/ab';
const exec = promisify(execFile);

interface Served {
  server: RunningServer;
  url: string;
  setupMs: number;
}

async function serve(kind: 'nginx' | 'apache', count: number, dir: string): Promise<Served> {
  const redirects = generateRedirects(count);
  await mkdir(dir, { recursive: true });
  const started = performance.now();
  let server: RunningServer;
  if (kind === 'nginx') {
    const files = nginx.write(redirects, { serverDir: dir }).files;
    for (const file of files) await writeFile(path.join(dir, file.path), file.content);
    server = await startNginx({
      root: dir,
      httpInclude: path.join(dir, files[0].path),
      serverInclude: path.join(dir, files[1].path),
    });
  } else {
    const tool = await findHttxt2dbm();
    const files = apache.write(redirects, { serverDir: dir, apacheMapType: tool ? 'dbm' : 'txt' }).files;
    for (const file of files) await writeFile(path.join(dir, file.path), file.content);
    if (tool) await compileDbm(tool, path.join(dir, 'almanac-redirects.txt'), path.join(dir, 'almanac-redirects.dbm'));
    server = await startApache({ root: dir, vhostInclude: path.join(dir, 'almanac-redirects.conf'), threads: 16 });
  }
  const setupMs = performance.now() - started;
  // An old URL from the middle of the map.
  return { server, url: `${server.base}${encodePath(redirects[Math.floor(count / 2)].from)}`, setupMs };
}

/**
 * One keep-alive connection, `requests` in a row: ab's median and its interquartile mean (the mean
 * of its 25th to 75th percentiles, in µs). A redirect takes ~10 µs here and ab's percentiles step
 * by whole microseconds; averaging the middle half refines that and, unlike the plain mean, ignores
 * the stalls of a shared machine.
 */
async function latency(url: string, requests: number, csv: string): Promise<{ medianMs: number; iqmUs: number }> {
  await exec(AB, ['-q', '-k', '-s', '5', '-c', '1', '-n', String(requests), '-e', csv, url], { timeout: 60_000 });
  const percentiles = new Map(
    (await readFile(csv, 'utf8'))
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(',').map(Number) as [number, number]),
  );
  const middle = Array.from({ length: 51 }, (_, index) => percentiles.get(25 + index)).filter(
    (value): value is number => value !== undefined,
  );
  if (!percentiles.has(50) || middle.length === 0) throw new Error('ab wrote no percentiles');
  return {
    medianMs: percentiles.get(50)!,
    iqmUs: (1000 * middle.reduce((sum, value) => sum + value, 0)) / middle.length,
  };
}

/** ab's requests per second with 8 keep-alive connections, bounded to 10 s. */
async function throughput(url: string, requests: number): Promise<number> {
  const { stdout } = await exec(AB, ['-q', '-k', '-s', '5', '-t', '10', '-c', '8', '-n', String(requests), url], {
    timeout: 60_000,
  });
  const match = /Requests per second:\s+([\d.]+)/.exec(stdout);
  const non301 = /Non-2xx responses:\s+(\d+)/.exec(stdout);
  if (!match) throw new Error(`ab printed no rate: ${stdout.slice(0, 200)}`);
  if (!non301 || Number(non301[1]) === 0) throw new Error('the URL answered 2xx: the redirect is not served');
  return Number(match[1]);
}

async function answers301(url: string): Promise<void> {
  const { stdout } = await exec('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', url]).catch(() => ({
    stdout: '',
  }));
  if (stdout && stdout !== '301') throw new Error(`${url} answered ${stdout}, not 301`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measureServer(
  kind: 'nginx' | 'apache',
  options: BenchOptions,
  tmp: string,
): Promise<Record<string, number | null>> {
  const prefix = kind;
  const large = 100_000;
  // Many short latency runs, interleaved, median of their means: the machine is shared, and a load
  // spike then spoils one run instead of the figure.
  const repetitions = options.quick ? 3 : 11;
  const latencyRequests = options.quick ? 1000 : 5000;
  const rateRepetitions = options.quick ? 1 : 3;
  const rateRequests = options.quick ? 2000 : 30000;
  const small = await serve(kind, 10, path.join(tmp, `${kind}-10`));
  let big: Served | undefined;
  try {
    big = await serve(kind, large, path.join(tmp, `${kind}-100k`));
    await answers301(small.url);
    await answers301(big.url);
    // Warm both (workers started, map cache filled), then alternate so both see the same machine.
    await latency(small.url, 500, path.join(tmp, 'warm.csv'));
    await latency(big.url, 500, path.join(tmp, 'warm.csv'));
    const medians = { small: [] as number[], big: [] as number[] };
    const iqms = { small: [] as number[], big: [] as number[] };
    const rate = { small: [] as number[], big: [] as number[] };
    for (let repetition = 0; repetition < repetitions; repetition++) {
      for (const [size, served] of [
        ['small', small],
        ['big', big],
      ] as const) {
        const measured = await latency(served.url, latencyRequests, path.join(tmp, `${size}.csv`));
        medians[size].push(measured.medianMs);
        iqms[size].push(measured.iqmUs);
        if (repetition < rateRepetitions) rate[size].push(await throughput(served.url, rateRequests));
      }
    }
    const figures = {
      [`${prefix}_10_median_ms`]: median(medians.small),
      [`${prefix}_100k_median_ms`]: median(medians.big),
      [`${prefix}_10_iqm_us`]: Number(median(iqms.small).toFixed(2)),
      [`${prefix}_100k_iqm_us`]: Number(median(iqms.big).toFixed(2)),
      [`${prefix}_10_rps`]: Math.round(median(rate.small)),
      [`${prefix}_100k_rps`]: Math.round(median(rate.big)),
      // Latency ratio from the interquartile means: ab's median alone steps by 1 µs, ~10% of a redirect here.
      [`${prefix}_100k_vs_10`]: Number((median(iqms.big) / median(iqms.small)).toFixed(3)),
      [`${prefix}_100k_setup_ms`]: Math.round(big.setupMs),
    };
    process.stderr.write(`${kind}: ${JSON.stringify(figures)}\n`);
    return figures;
  } finally {
    await small.server.stop();
    await big?.server.stop();
  }
}

export async function run(options: BenchOptions): Promise<Record<string, number | null>> {
  const figures: Record<string, number | null> = {};
  if (!existsSync(AB))
    await exec('apt-get', ['install', '-y', '-q', 'apache2-utils'], { timeout: 300_000 }).catch(() => undefined);
  const reasons = [
    serverMissing('nginx'),
    serverMissing('apache2'),
    existsSync(AB) ? false : `${AB} is not installed (apt-get install apache2-utils)`,
  ];
  if (reasons.some(Boolean)) {
    process.stderr.write(`redirects: skipped: ${reasons.filter(Boolean).join('; ')}\n`);
    return { nginx_100k_vs_10: null, apache_100k_vs_10: null };
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'almanac-bench-redirects-'));
  try {
    Object.assign(figures, await measureServer('nginx', options, tmp));
    Object.assign(figures, await measureServer('apache', options, tmp));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return figures;
}
