/**
 * `almanac linkify`: throughput and peak RSS on generated terminal text of growing size (RSS
 * must stay flat: it streams), against the sed line it replaces in the same run; and the
 * worst case for URL matchers, one long line without spaces, against the matchers we did not
 * pick (mdast-util-gfm-autolink-literal's transform unguarded, linkify-it).
 */
import { stat, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import type { BenchOptions } from './run.ts';
import { writeTerminalText } from './generate/terminalText.ts';
import { describe, measureCommand, summarize } from './lib/measure.ts';
import { findUrls } from '../src/url/findUrls.ts';

export const name = 'linkify';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALMANAC = path.join(ROOT, 'bin/almanac.js');
const SED = String.raw`sed 's!https*://.*!\x1B]8;;&\x1B\\&\x1B]8;;\x1B\\!g'`;

export async function run({ quick }: BenchOptions): Promise<Record<string, number | null>> {
  const figures: Record<string, number | null> = {};
  const sizes = quick ? [4, 16] : [16, 128, 1024];
  for (const megabytes of sizes) {
    const file = path.join(os.tmpdir(), `almanac-linkify-bench-${process.pid}-${megabytes}.txt`);
    try {
      await writeTerminalText(file, megabytes << 20);
      const size = (await stat(file)).size / (1 << 20);
      const ours = [];
      const sed = [];
      // A gigabyte is measured once: the point is its peak RSS, which must match the small inputs'.
      for (let repetition = 0; repetition < (quick || megabytes >= 1024 ? 1 : 3); repetition++) {
        ours.push(
          await measureCommand('sh', ['-c', `exec "${process.execPath}" "${ALMANAC}" linkify < "${file}" > /dev/null`]),
        );
        sed.push(await measureCommand('sh', ['-c', `exec ${SED} < "${file}" > /dev/null`]));
      }
      const seconds = summarize(ours.map((measurement) => measurement.seconds));
      const rss = summarize(ours.map((measurement) => measurement.peakRssMb));
      const sedSeconds = summarize(sed.map((measurement) => measurement.seconds));
      process.stderr.write(
        `${megabytes} MB: linkify ${describe(seconds)}, ${(size / seconds.median).toFixed(1)} MB/s, peak RSS ${describe(rss, 'MB')}; sed ${describe(sedSeconds)}\n`,
      );
      figures[`linkify_${megabytes}mb_mb_per_s`] = size / seconds.median;
      figures[`linkify_${megabytes}mb_peak_rss_mb`] = rss.median;
      figures[`linkify_${megabytes}mb_time_vs_sed`] = seconds.median / sedSeconds.median;
    } finally {
      await rm(file, { force: true });
    }
  }

  // One line without spaces, candidates rejected over and over (`éhttp://a.b` repeated).
  const length = quick ? 100_000 : 1_000_000;
  const line = 'éhttp://a.b'.repeat(length / 11);
  figures.no_space_line_ours_ms = time(() => findUrls(line));
  const [transform] = gfmAutolinkLiteralFromMarkdown().transforms!;
  const short = line.slice(0, 110_000);
  figures.no_space_100kb_gfm_transform_alone_ms = time(() =>
    transform({ type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: short }] }] }),
  );
  figures.no_space_100kb_ours_ms = time(() => findUrls(short));
  try {
    // Not a dependency of ours (markdown-it brings it, for Eleventy): loaded by name, untyped.
    const specifier = 'linkify-it';
    const { default: LinkifyIt } = (await import(specifier)) as { default: new () => { match(text: string): unknown } };
    const linkify = new LinkifyIt();
    figures.no_space_100kb_linkify_it_ms = time(() => linkify.match(short));
    const schemes = 'http://'.repeat(100_000 / 7);
    figures.no_space_100kb_schemes_linkify_it_ms = time(() => linkify.match(schemes));
    figures.no_space_100kb_schemes_ours_ms = time(() => findUrls(schemes));
  } catch {
    process.stderr.write('linkify-it is not installed (it comes with markdown-it, through Eleventy); skipped\n');
    figures.no_space_100kb_linkify_it_ms = null;
  }
  process.stderr.write(
    `no-space line: ours ${figures.no_space_line_ours_ms?.toFixed(1)} ms for ${length / 1000} kB; 100 kB: GFM transform alone ${figures.no_space_100kb_gfm_transform_alone_ms?.toFixed(0)} ms, ours ${figures.no_space_100kb_ours_ms?.toFixed(1)} ms, linkify-it ${figures.no_space_100kb_linkify_it_ms?.toFixed(1)} ms; \`http://\` × 14,285: linkify-it ${figures.no_space_100kb_schemes_linkify_it_ms?.toFixed(0)} ms, ours ${figures.no_space_100kb_schemes_ours_ms?.toFixed(1)} ms\n`,
  );
  return figures;
}

function time(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}
