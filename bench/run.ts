/**
 * `npm run bench [-- --quick] [-- --only=name,…] [-- --skip=name,…]`: the benchmarks in
 * bench/*.bench.ts, each measured in the same run as its baseline. A benchmark module exports
 * `name` and `run({ quick })`, returning figures (numbers, or null with the reason on stderr).
 *
 * A full run keeps each module's figures and log in bench/out/last/<name>.json and writes
 * bench/RESULTS.md from the modules it ran plus the last full run of the others (marked so):
 * the whole suite takes the better part of an hour on two cores, so a module can be measured
 * again alone (--only=site). A quick run writes RESULTS.md only when no full results are there,
 * and says so at its top. The last line printed is always one JSON object of this run's figures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchOptions {
  quick: boolean;
}

export interface BenchModule {
  name: string;
  run(options: BenchOptions): Promise<Record<string, number | null>>;
}

/** One module's run, as RESULTS.md shows it and bench/out/last/<name>.json keeps it. */
interface ModuleRun {
  name: string;
  /** ISO 8601, when the run ended. */
  date: string;
  seconds: number;
  cpuSeconds: number;
  figures: Record<string, number | null>;
  log: string;
  failed?: string;
  /** Loaded from an earlier run, not measured by this one. */
  earlier?: boolean;
}

/** The figures the suite promises (issue 9), with their targets. */
const TARGETS: Record<string, { target: string; met: (value: number) => boolean }> = {
  blogger_posts_per_s: { target: '≥ 1,000 posts/s', met: (value) => value >= 1000 },
  blogger_vs_xml_parse: { target: '≤ 4× the XML parse', met: (value) => value <= 4 },
  mbox_msgs_per_s: { target: '≥ 4,000 messages/s', met: (value) => value >= 4000 },
  mbox_peak_rss_mb: { target: '< 300 MB importing a 1 GB mbox (--quick: the small one)', met: (value) => value < 300 },
  mail_vs_mhonarc: { target: '< 1.0× MHonArc (our import + site build)', met: (value) => value < 1 },
  build_vs_bare_eleventy: { target: '≤ 1.5× bare Eleventy', met: (value) => value <= 1.5 },
  warm_build_vs_bare_eleventy: { target: '≤ 1.0× bare Eleventy', met: (value) => value <= 1 },
  rebuild_one_s: { target: '≤ 2 s', met: (value) => value <= 2 },
  nginx_100k_vs_10: { target: '≤ 1.1× latency at 10 rules', met: (value) => value <= 1.1 },
  apache_100k_vs_10: { target: '≤ 1.5× latency at 10 rules', met: (value) => value <= 1.5 },
};

/** The first words of a quick run's RESULTS.md, by which a later quick run knows it may replace it. */
const QUICK_NOTE = '**Quick run** (`npm run bench -- --quick`): small inputs';

const here = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(here, 'RESULTS.md');
const LAST = path.join(here, 'out/last');
const quick = process.argv.includes('--quick');
const listed = (option: string) =>
  process.argv
    .find((arg) => arg.startsWith(`--${option}=`))
    ?.slice(option.length + 3)
    .split(',');
const only = listed('only');
const skip = listed('skip') ?? [];
const runs: ModuleRun[] = [];
const notRun: string[] = [];
const suiteStarted = Date.now();

// Each module's stderr is shown live and kept for RESULTS.md: its baselines and spreads live there.
const writeStderr = process.stderr.write.bind(process.stderr);
let captured = '';
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  return (writeStderr as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stderr.write;

for (const file of (await readdir(here)).filter((name) => name.endsWith('.bench.ts')).sort()) {
  const module = (await import(path.join(here, file))) as BenchModule;
  if ((only && !only.includes(module.name)) || skip.includes(module.name)) {
    notRun.push(module.name);
    continue;
  }
  captured = '';
  process.stderr.write(`\n== ${module.name}${quick ? ' (quick)' : ''}\n`);
  const started = Date.now();
  const cpuStarted = cpuSeconds();
  let result: Record<string, number | null> = {};
  let failed: string | undefined;
  try {
    result = await module.run({ quick });
  } catch (error) {
    failed = (error as Error).message;
    process.stderr.write(`${module.name}: failed: ${failed}\n`);
  }
  const seconds = (Date.now() - started) / 1000;
  const cpu = cpuSeconds() - cpuStarted;
  process.stderr.write(`== ${module.name}: ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU\n`);
  const run: ModuleRun = {
    name: module.name,
    date: new Date().toISOString(),
    seconds,
    cpuSeconds: cpu,
    figures: result,
    log: captured.trim(),
    failed,
  };
  runs.push(run);
  if (!quick && !failed) {
    await mkdir(LAST, { recursive: true });
    await writeFile(path.join(LAST, `${module.name}.json`), `${JSON.stringify(run, null, 2)}\n`);
  }
}
process.stderr.write = writeStderr;

const suiteSeconds = (Date.now() - suiteStarted) / 1000;
const figures = collect(runs);
const returned = new Set(runs.flatMap((run) => Object.keys(run.figures)));
for (const [key, value] of Object.entries(figures)) {
  if (value !== null || !TARGETS[key] || (only && !returned.has(key))) continue;
  process.stderr.write(
    `${key}: null (${returned.has(key) ? 'see the log above for the reason' : 'not measured: its module failed, was skipped, or is missing'})\n`,
  );
}
process.stderr.write(
  `\nsuite (wall / CPU): ${runs.map(({ name, seconds, cpuSeconds }) => `${name} ${seconds.toFixed(1)} / ${cpuSeconds.toFixed(1)} s`).join(', ')}; total ${suiteSeconds.toFixed(1)} s${quick && suiteSeconds > 60 ? ' (over the one minute --quick is allowed)' : ''}\n`,
);
if (!(quick && only)) await writeResults();
process.stdout.write(`${JSON.stringify(figures)}\n`);

/** Every promised figure (null when not measured), then the others, in module order. */
function collect(moduleRuns: readonly ModuleRun[]): Record<string, number | null> {
  const all: Record<string, number | null> = Object.fromEntries(Object.keys(TARGETS).map((key) => [key, null]));
  for (const run of moduleRuns) Object.assign(all, run.figures);
  return all;
}

/**
 * CPU seconds of this process and of every child it has reaped (and theirs): what a module costs
 * whatever else the shared machine runs. /proc/self/stat fields 14–17, in USER_HZ (100 on Linux).
 */
function cpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The last full runs of the modules this run did not run, for RESULTS.md. */
async function earlierRuns(names: readonly string[]): Promise<ModuleRun[]> {
  const found: ModuleRun[] = [];
  for (const name of names) {
    const file = path.join(LAST, `${name}.json`);
    if (existsSync(file)) found.push({ ...(JSON.parse(await readFile(file, 'utf8')) as ModuleRun), earlier: true });
  }
  return found;
}

/** bench/RESULTS.md; a quick run writes it only when no full run's results are there. */
async function writeResults(): Promise<void> {
  if (quick && existsSync(RESULTS) && !(await readFile(RESULTS, 'utf8')).includes(QUICK_NOTE)) {
    process.stderr.write(
      `kept ${path.relative(process.cwd(), RESULTS)} from a full run (a quick run does not replace it)\n`,
    );
    return;
  }
  const shown = [...runs, ...(quick ? [] : await earlierRuns(notRun))].sort((a, b) => a.name.localeCompare(b.name));
  await writeFile(RESULTS, resultsMarkdown(shown));
  process.stderr.write(`wrote ${path.relative(process.cwd(), RESULTS)}\n`);
}

function resultsMarkdown(shown: readonly ModuleRun[]): string {
  const earlierKeys = new Set(shown.filter((run) => run.earlier).flatMap((run) => Object.keys(run.figures)));
  const rows = Object.entries(collect(shown)).map(([key, value]) => {
    const target = TARGETS[key];
    const verdict = value === null ? 'not measured' : target ? (target.met(value) ? 'met' : '**missed**') : '';
    return `| \`${key}\` | ${value === null ? '—' : Number(value.toPrecision(4))}${earlierKeys.has(key) ? ' †' : ''} | ${target?.target ?? ''} | ${verdict} |`;
  });
  const earlier = shown.filter((run) => run.earlier);
  const missing = notRun.filter((name) => !shown.some((run) => run.name === name));
  const sections = shown.map(
    ({ name, seconds, cpuSeconds, log, date, earlier }) =>
      `### ${name} (${seconds.toFixed(0)} s, ${cpuSeconds.toFixed(0)} s CPU${earlier ? `; earlier run, ${date.slice(0, 16).replace('T', ' ')} UTC` : ''})\n\n\`\`\`\n${log}\n\`\`\``,
  );
  return [
    '# Benchmark results',
    '',
    ...(quick
      ? [
          `> ${QUICK_NOTE} (hundreds of posts, not the thousands the targets speak of), one run each; start-up dominates and the figures are indicative only. \`npm run bench\` measures the real sizes.`,
          '',
        ]
      : []),
    `Measured by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    `Ratios are ours ÷ the baseline measured in the same run of the module (the machine is shared and noisy); medians of several runs, spreads in the logs. This run took ${suiteSeconds.toFixed(0)} s (load average at the end: ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(', ')}).`,
    ...(earlier.length
      ? [
          '',
          `† from an earlier full run of its module (not run this time): ${earlier.map((run) => `${run.name} (${run.date.slice(0, 16).replace('T', ' ')} UTC)`).join(', ')}.`,
        ]
      : []),
    ...(missing.length
      ? ['', `Not run, and no earlier full run kept: ${missing.join(', ')}; their figures show as not measured.`]
      : []),
    ...shown.filter((run) => run.failed).map((run) => `\n**${run.name} failed**: ${run.failed}`),
    '',
    `| figure | value | target | ${quick ? 'at quick sizes (indicative)' : ''} |`,
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '## Scaling',
    '',
    'Import and build time against the number of posts; a straight line on these log–log axes with slope 1 is linear (the grey line).',
    '',
    '![Import and build time by number of posts](scaling.svg)',
    '',
    '## Logs, with the baselines of each figure',
    '',
    ...sections,
    '',
  ].join('\n');
}
