/**
 * Importing a generated classic Blogger backup (bench/generate/blogger.ts: 5,000 posts and 2,500
 * comments; --quick: 200 and 100) with the real CLI into a fresh folder, against the floor:
 * fast-xml-parser alone parsing the same file, as a command of its own (same Node start-up).
 * Figures: blogger_posts_per_s (documents written per second), blogger_vs_xml_parse (import ÷ parse),
 * blogger_peak_rss_mb (the import's peak resident memory, from the kernel via GNU time),
 * blogger_reimport_posts_per_s (importing again, its input touched so every entry is read and
 * found unchanged) and blogger_unchanged_import_s (importing again with nothing changed since:
 * src/write/importRun.ts answers from the last run).
 */
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './run.ts';
import { writeBloggerBackup } from './generate/blogger.ts';
import { describe, measureCommand, repeat, unmeasured } from './lib/measure.ts';

export const name = 'blogger';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALMANAC = path.join(ROOT, 'bin/almanac.js');
const PARSER = path.join(ROOT, 'node_modules/fast-xml-parser/src/fxp.js');

export async function run({ quick }: BenchOptions): Promise<Record<string, number | null>> {
  const posts = quick ? 200 : 5000;
  const comments = posts / 2;
  // Quick: two runs each, so the module stays within its 10 s on a busy two-core machine.
  const runs = quick ? 2 : 5;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almanac-bench-blogger-'));
  try {
    const input = path.join(dir, 'blog-01-01-2020.xml');
    await writeBloggerBackup(input, { posts, comments });
    const out = path.join(dir, 'content');
    // The imports' last runs are kept here, not in the checkout's .almanac-cache/.
    const env = { ALMANAC_CACHE_DIR: path.join(dir, 'cache') };
    // Every post but the drafts is written; the drafts (every 50th) are written too, with draft: true.
    const documents = posts;

    const parse = await repeat(runs, () =>
      measureCommand(process.execPath, [
        '--input-type=module',
        '-e',
        `import { XMLParser } from ${JSON.stringify(PARSER)}; import { readFileSync } from 'node:fs'; new XMLParser({ ignoreAttributes: false }).parse(readFileSync(${JSON.stringify(input)}, 'utf8'));`,
      ]),
    );
    const fresh = await repeat(runs, async () => {
      await rm(out, { recursive: true, force: true });
      return measureCommand(process.execPath, [ALMANAC, 'import', input, '--source', 'bench', '--out', out], { env });
    });
    // The last run left its output: importing again, each entry is read, rendered and found unchanged (the input touched, so it is read)…
    let touched = Date.now() / 1000;
    const again = await repeat(
      runs,
      async () => {
        await utimes(input, touched, ++touched);
        return measureCommand(process.execPath, [ALMANAC, 'import', input, '--source', 'bench', '--out', out], { env });
      },
      { warmup: false },
    );
    // …and with nothing changed at all since, the last run's report is the answer.
    const unchanged = await repeat(
      runs,
      () => measureCommand(process.execPath, [ALMANAC, 'import', input, '--source', 'bench', '--out', out], { env }),
      { warmup: false },
    );

    process.stderr.write(
      `input: ${posts} posts, ${comments} comments, ${(await import('node:fs')).statSync(input).size / 1e6} MB\n`,
    );
    process.stderr.write(`fast-xml-parser alone (the floor): ${describe(parse.seconds)}\n`);
    process.stderr.write(
      `import into an empty folder:       ${describe(fresh.seconds)}, peak RSS ${describe(fresh.peakRssMb, 'MB')}\n`,
    );
    process.stderr.write(`re-import, all read, all unchanged: ${describe(again.seconds)}\n`);
    process.stderr.write(`re-import, nothing changed since:  ${describe(unchanged.seconds)}\n`);
    if (fresh.seconds.median <= 0)
      return { blogger_posts_per_s: unmeasured('blogger_posts_per_s', 'the import took no measurable time') };
    return {
      blogger_posts_per_s: documents / fresh.seconds.median,
      blogger_vs_xml_parse: fresh.seconds.median / parse.seconds.median,
      blogger_peak_rss_mb: fresh.peakRssMb.median,
      blogger_reimport_posts_per_s: documents / again.seconds.median,
      blogger_unchanged_import_s: unchanged.seconds.median,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
