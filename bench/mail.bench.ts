/**
 * Importing a generated mailing-list mbox (bench/generate/mbox.ts: 20,000 messages, ~44 MB;
 * --quick: 500) with the real CLI into a fresh folder, against Debian's MHonArc archiving the
 * same file into HTML in the same run (installed with apt-get when missing); each run writes a new
 * folder after `sync`, none deleted till the end.
 * Figures: mbox_msgs_per_s (messages written per second, end to end), mbox_peak_rss_mb (the import's
 * peak resident memory, from the kernel via GNU time, importing a generated 1 GB mbox in a full run;
 * mbox_20k_peak_rss_mb the same for the 20,000 messages), mail_vs_mhonarc (our import and site build,
 * search index apart, ÷ MHonArc's archiving; mail_import_vs_mhonarc the import alone),
 * and mbox_parse_msgs_per_s (the importer alone, in process: split, thread, MIME, Markdown trees;
 * no rendering or writing), which shows how much of the time is the shared writer's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mbox from '../importers/mbox.ts';
import type { BenchOptions } from './run.ts';
import { writeMbox } from './generate/mbox.ts';
import { describe, measureCommand, repeat, timeInProcess, unmeasured } from './lib/measure.ts';

export const name = 'mail';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALMANAC = path.join(ROOT, 'bin/almanac.js');

export async function run({ quick }: BenchOptions): Promise<Record<string, number | null>> {
  const messages = quick ? 500 : 20000;
  const runs = 3;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almanac-bench-mail-'));
  try {
    const input = path.join(dir, 'bench-list.mbox');
    await writeMbox(input, { messages });
    process.stderr.write(`input: ${messages} messages, ${(statSync(input).size / 1e6).toFixed(1)} MB\n`);
    // Every run writes a folder of its own, on a disk done with the runs before: measured, creating a file took
    // 34–850 µs while the disk was still deleting or flushing a previous run's 20,000 (MHonArc's runs slowed alike).
    let runNumber = 0;
    const freshFolder = async (name: string) => {
      const folder = path.join(dir, `${name}-${++runNumber}`);
      spawnSync('sync');
      return folder;
    };
    let out = '';

    const parse = await timeInProcess(runs, async () => {
      const context = { source: 'bench', options: {}, warn() {}, skip() {}, progress() {} };
      for await (const entry of mbox.entries([input], context)) void entry;
    });
    process.stderr.write(
      `importer alone, in process (no writing): ${describe(parse)} → ${(messages / parse.median).toFixed(0)} messages/s\n`,
    );

    // Each run starts from an empty folder: the first run is as fresh as the others, so no warm-up.
    const ours = await repeat(
      runs,
      async () => {
        out = await freshFolder('content');
        return measureCommand(process.execPath, [ALMANAC, 'import', input, '--source', 'bench', '--out', out]);
      },
      { warmup: false },
    );
    process.stderr.write(
      `almanac import into an empty folder: ${describe(ours.seconds)}, peak RSS ${describe(ours.peakRssMb, 'MB')} → ${(messages / ours.seconds.median).toFixed(0)} messages/s\n`,
    );

    const result: Record<string, number | null> = {
      mbox_msgs_per_s: messages / ours.seconds.median,
      mbox_peak_rss_mb: ours.peakRssMb.median,
      mbox_20k_peak_rss_mb: ours.peakRssMb.median,
      mbox_parse_msgs_per_s: messages / parse.median,
      mail_vs_mhonarc: null,
    };
    const mhonarc = findMhonarc();
    if (!mhonarc) {
      result.mail_vs_mhonarc = unmeasured(
        'mail_vs_mhonarc',
        'mhonarc is not installed and apt-get install mhonarc failed',
      );
      return result;
    }
    const theirs = await repeat(
      runs,
      async () => {
        const html = await freshFolder('mhonarc');
        await mkdir(html);
        return measureCommand(mhonarc, ['-quiet', '-outdir', html, '-add', input]);
      },
      { warmup: false },
    );
    process.stderr.write(
      `mhonarc into an empty folder:        ${describe(theirs.seconds)}, peak RSS ${describe(theirs.peakRssMb, 'MB')} → ${(messages / theirs.seconds.median).toFixed(0)} messages/s\n`,
    );
    // MHonArc's output is a browsable archive: ours is the import plus the site build (search indexed apart, MHonArc has none).
    const site = await buildSite(dir, out);
    result.mail_import_vs_mhonarc = ours.seconds.median / theirs.seconds.median;
    result.mail_vs_mhonarc = (ours.seconds.median + site.buildSeconds) / theirs.seconds.median;
    result.mail_build_s = site.buildSeconds;
    result.mail_build_peak_rss_mb = site.peakRssMb;
    result.mail_search_index_s = site.searchSeconds;
    // The memory target is for a 1 GB archive: a full run imports one (460,000 messages, once); a quick run reports the small input's peak.
    if (!quick) result.mbox_peak_rss_mb = await gigabytePeak(dir);
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `almanac build` of the imported list without its search index, then the search index alone (the build has nothing else left to do). */
async function buildSite(
  dir: string,
  content: string,
): Promise<{ buildSeconds: number; searchSeconds: number; peakRssMb: number }> {
  const config = path.join(dir, 'almanac.config.json');
  await writeFile(config, JSON.stringify({ sources: [], site: { title: 'Bench list', url: 'http://localhost:8080' } }));
  const site = path.join(dir, 'site');
  const args = [ALMANAC, 'build', '--config', config, '--content', content, '--out', site];
  const env = { ALMANAC_CACHE_DIR: path.join(dir, 'cache') };
  const build = await measureCommand(process.execPath, [...args, '--no-search'], { env });
  const search = await measureCommand(process.execPath, args, { env });
  process.stderr.write(
    `almanac build of the list (no search index): ${build.seconds} s, peak RSS ${build.peakRssMb} MB; then the search index alone: ${search.seconds} s\n`,
  );
  return { buildSeconds: build.seconds, searchSeconds: search.seconds, peakRssMb: build.peakRssMb };
}

/** Peak RSS of importing a generated 1 GB mbox (a streaming import must stay bounded whatever the size). */
async function gigabytePeak(dir: string): Promise<number> {
  const input = path.join(dir, 'gigabyte.mbox');
  await writeMbox(input, { messages: 460_000 });
  const out = path.join(dir, 'gigabyte');
  spawnSync('sync');
  const run = await measureCommand(process.execPath, [ALMANAC, 'import', input, '--source', 'gigabyte', '--out', out]);
  process.stderr.write(
    `1 GB mbox (${(statSync(input).size / 1e6).toFixed(0)} MB, 460,000 messages): ${run.seconds} s, peak RSS ${run.peakRssMb} MB\n`,
  );
  await rm(out, { recursive: true, force: true });
  return run.peakRssMb;
}

/** MHonArc, installed from Debian when missing (the benchmark's baseline must run here, not be assumed). */
function findMhonarc(): string | undefined {
  if (existsSync('/usr/bin/mhonarc')) return '/usr/bin/mhonarc';
  process.stderr.write('mhonarc is missing: apt-get install mhonarc\n');
  const install = spawnSync('apt-get', ['install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300', 'mhonarc'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return install.status === 0 && existsSync('/usr/bin/mhonarc') ? '/usr/bin/mhonarc' : undefined;
}
