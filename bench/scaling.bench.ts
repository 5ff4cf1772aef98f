/**
 * Scaling: `almanac import` of a generated Blogger backup (bench/generate/blogger.ts, N posts and
 * N/2 comments) and `almanac build` of what it wrote, as whole commands at N = 500, 5,000 and
 * 50,000 posts (--quick: 100, 200, 400). The curve must be linear: the figures
 * import_scaling_exponent / build_scaling_exponent are the log–log slope between the two largest
 * sizes measured (≈ 1 linear, ≈ 2 quadratic). The baseline is each command's start-up
 * (`almanac import --help`, `almanac build --help`: loading its modules), a constant that flattens
 * the slope at small N. Writes bench/scaling.svg for bench/RESULTS.md.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './run.ts';
import { writeBloggerBackup } from './generate/blogger.ts';
import { logLogChart } from './lib/chart.ts';
import { describe, measureCommand, repeat, TimeLimitExceeded, unmeasured, type Measurement } from './lib/measure.ts';

export const name = 'scaling';

type Point = { x: number; y: number };

const here = path.dirname(fileURLToPath(import.meta.url));
const ALMANAC = path.join(here, '..', 'bin/almanac.js');
export const CHART = path.join(here, 'scaling.svg');

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

export async function run({ quick }: BenchOptions): Promise<Record<string, number | null>> {
  const sizes = quick ? [100, 200, 400] : [500, 5000, 50_000];
  // A size whose import or build outlives this is recorded as null, and the larger sizes are not tried.
  const budgetSeconds = quick ? 60 : 600;
  // One run at 5,000 and 50,000: each takes minutes, and its spread is small beside a tenfold step in N.
  const runsAt = (posts: number) => (quick || posts >= 5000 ? 1 : 3);
  const figures: Record<string, number | null> = {};
  const points = { import: [] as Point[], build: [] as Point[], importCpu: [] as Point[], buildCpu: [] as Point[] };

  const startup: Record<'import' | 'build', number> = { import: 0, build: 0 };
  for (const command of ['import', 'build'] as const) {
    const result = await repeat(quick ? 1 : 3, () => measureCommand(process.execPath, [ALMANAC, command, '--help']));
    log(
      `baseline, start-up of almanac ${command} (--help): ${describe(result.seconds)}, CPU ${describe(result.cpuSeconds)}`,
    );
    startup[command] = figures[`scaling_${command}_startup_s`] = result.seconds.median;
  }

  let stopped = '';
  for (const posts of sizes) {
    if (stopped) {
      figures[`scaling_import_s_${posts}`] = unmeasured(`scaling_import_s_${posts}`, stopped);
      figures[`scaling_build_s_${posts}`] = unmeasured(`scaling_build_s_${posts}`, stopped);
      continue;
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), `almanac-bench-scaling-${posts}-`));
    try {
      const input = path.join(dir, 'blog-01-01-2020.xml');
      await writeBloggerBackup(input, { posts, comments: posts / 2 });
      const content = path.join(dir, 'content');
      const site = path.join(dir, '_site');
      const config = path.join(dir, 'almanac.config.json');
      await writeFile(
        config,
        JSON.stringify({ sources: [], site: { title: 'Scaling', url: 'https://kb.example.org/' } }),
      );
      const runs = runsAt(posts);
      log(
        `${posts} posts, ${posts / 2} comments (${((await stat(input)).size / 1e6).toFixed(1)} MB), ${runs} run${runs > 1 ? 's' : ''} each:`,
      );

      // Every run starts from nothing: an empty content folder, an empty site and no Markdown cache.
      const importRun = () =>
        measureCommand(process.execPath, [ALMANAC, 'import', input, '--source', 'bench', '--out', content], {
          cwd: dir,
          timeoutSeconds: budgetSeconds,
        });
      const buildRun = async () => {
        await rm(site, { recursive: true, force: true });
        await rm(path.join(dir, 'cache'), { recursive: true, force: true });
        return measureCommand(
          process.execPath,
          [ALMANAC, 'build', '--config', config, '--content', content, '--out', site],
          { cwd: dir, env: { ALMANAC_CACHE_DIR: path.join(dir, 'cache') }, timeoutSeconds: budgetSeconds },
        );
      };
      const imported = await measured(`scaling_import_s_${posts}`, runs, async () => {
        await rm(content, { recursive: true, force: true });
        return importRun();
      });
      figures[`scaling_import_s_${posts}`] = imported.seconds;
      if (imported.seconds === null) {
        stopped = `the import of ${posts} posts did not finish (${imported.reason})`;
        figures[`scaling_build_s_${posts}`] = unmeasured(`scaling_build_s_${posts}`, 'nothing imported to build');
        continue;
      }
      points.import.push({ x: posts, y: imported.seconds });
      points.importCpu.push({ x: posts, y: imported.cpuSeconds! });
      const built = await measured(`scaling_build_s_${posts}`, runs, buildRun);
      figures[`scaling_build_s_${posts}`] = built.seconds;
      if (built.seconds === null) stopped = `the build of ${posts} posts did not finish (${built.reason})`;
      else {
        points.build.push({ x: posts, y: built.seconds });
        points.buildCpu.push({ x: posts, y: built.cpuSeconds! });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  figures.import_scaling_exponent = exponent('import_scaling_exponent', points.import, startup.import);
  figures.build_scaling_exponent = exponent('build_scaling_exponent', points.build, startup.build);
  // The same slopes on CPU seconds: wall time on a loaded shared machine mostly measures the other processes.
  figures.import_scaling_exponent_cpu = exponent('import_scaling_exponent_cpu', points.importCpu);
  figures.build_scaling_exponent_cpu = exponent('build_scaling_exponent_cpu', points.buildCpu);
  await writeChart(quick, points);
  return figures;
}

/** Median wall and CPU seconds of `runs` runs (no warm-up: each run is a cold start), or null with the reason. */
async function measured(
  figure: string,
  runs: number,
  measure: () => Promise<Measurement>,
): Promise<{ seconds: number | null; cpuSeconds?: number; reason?: string }> {
  try {
    const result = await repeat(runs, measure, { warmup: false });
    log(
      `  ${figure.replace(/^scaling_/, '').replace(/_s_\d+$/, '')}: ${describe(result.seconds)}, CPU ${describe(result.cpuSeconds)}, peak RSS ${describe(result.peakRssMb, 'MB')}`,
    );
    return { seconds: result.seconds.median, cpuSeconds: result.cpuSeconds.median };
  } catch (error) {
    const reason = error instanceof TimeLimitExceeded ? error.message : (error as Error).message.split('\n')[0];
    return { seconds: unmeasured(figure, reason), reason };
  }
}

/** The log–log slope between the two largest sizes measured: time ∝ N^slope. */
export function scalingExponent(points: readonly Point[]): number | null {
  if (points.length < 2) return null;
  const [smaller, larger] = points.slice(-2);
  return Math.log(larger.y / smaller.y) / Math.log(larger.x / smaller.x);
}

function exponent(figure: string, points: readonly Point[], startup?: number): number | null {
  const slope = scalingExponent(points);
  if (slope === null)
    return unmeasured(figure, `fewer than two sizes measured (${points.map((point) => point.x).join(', ') || 'none'})`);
  const [smaller, larger] = points.slice(-2);
  const net =
    startup !== undefined && smaller.y > startup
      ? scalingExponent([smaller, larger].map((point) => ({ x: point.x, y: point.y - startup })))
      : null;
  log(
    `${figure}: ${slope.toFixed(2)} between ${smaller.x} and ${larger.x} posts (≈ 1 linear, ≈ 2 quadratic)${net === null ? '' : `; ${net.toFixed(2)} net of the start-up`}`,
  );
  return slope;
}

/** bench/scaling.svg; a quick run does not overwrite the chart of a full run. */
async function writeChart(
  quick: boolean,
  points: Record<'import' | 'build' | 'importCpu' | 'buildCpu', Point[]>,
): Promise<void> {
  if (quick && existsSync(CHART) && !(await readFile(CHART, 'utf8')).includes('quick run')) {
    log(`kept ${path.relative(process.cwd(), CHART)} from a full run`);
    return;
  }
  const title = `Import and build time by number of posts${quick ? ' (quick run)' : ''}`;
  await writeFile(
    CHART,
    logLogChart(title, 'posts (Blogger backup, half as many comments)', 'seconds', [
      { label: 'import (wall)', color: '#1f77b4', points: points.import },
      { label: 'build (wall)', color: '#d62728', points: points.build },
      { label: 'import (CPU)', color: '#9ecae1', points: points.importCpu },
      { label: 'build (CPU)', color: '#fc9272', points: points.buildCpu },
      // A slope-1 guide through the first import point: a linear curve runs parallel to it.
      {
        label: 'linear, for scale',
        color: '#bbb',
        points: points.import.map((point) => ({ x: point.x, y: (points.import[0].y * point.x) / points.import[0].x })),
      },
    ]),
  );
  log(`chart: ${path.relative(process.cwd(), CHART)}`);
}
