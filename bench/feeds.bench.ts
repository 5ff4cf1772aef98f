/**
 * Importing a generated Apache Roller entries feed (bench/generate/feeds.ts: 5,000 entries and
 * 2,500 comment entries mixed in; --quick: 200 and 100) with the real CLI into a fresh folder,
 * against the floor: fast-xml-parser alone parsing the same file, as a command of its own (same
 * Node start-up). Figures: feeds_entries_per_s (documents written per second), feeds_vs_xml_parse
 * (import ÷ parse), feeds_peak_rss_mb (the import's peak resident memory, via GNU time).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './run.ts';
import { writeRollerFeed } from './generate/feeds.ts';
import { describe, measureCommand, repeat, unmeasured } from './lib/measure.ts';

export const name = 'feeds';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ALMANAC = path.join(ROOT, 'bin/almanac.js');
const PARSER = path.join(ROOT, 'node_modules/fast-xml-parser/src/fxp.js');

export async function run({ quick }: BenchOptions): Promise<Record<string, number | null>> {
  const entries = quick ? 200 : 5000;
  const comments = entries / 2;
  const runs = quick ? 1 : 3;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'almanac-bench-feeds-'));
  try {
    const input = path.join(dir, 'entries.atom');
    await writeRollerFeed(input, { entries, comments });
    const out = path.join(dir, 'content');

    const parse = await repeat(runs, () =>
      measureCommand(process.execPath, [
        '--input-type=module',
        '-e',
        `import { XMLParser } from ${JSON.stringify(PARSER)}; import { readFileSync } from 'node:fs'; new XMLParser({ ignoreAttributes: false }).parse(readFileSync(${JSON.stringify(input)}, 'utf8'));`,
      ]),
    );
    const fresh = await repeat(runs, async () => {
      await rm(out, { recursive: true, force: true });
      return measureCommand(process.execPath, [ALMANAC, 'import', input, '--source', 'bench', '--out', out]);
    });

    process.stderr.write(
      `input: Roller feed, ${entries} entries, ${comments} comment entries, ${((await stat(input)).size / 1e6).toFixed(1)} MB\n`,
    );
    process.stderr.write(`fast-xml-parser alone (the floor): ${describe(parse.seconds)}\n`);
    process.stderr.write(
      `import into an empty folder:       ${describe(fresh.seconds)}, peak RSS ${describe(fresh.peakRssMb, 'MB')}\n`,
    );
    if (fresh.seconds.median <= 0)
      return { feeds_entries_per_s: unmeasured('feeds_entries_per_s', 'the import took no measurable time') };
    return {
      feeds_entries_per_s: entries / fresh.seconds.median,
      feeds_vs_xml_parse: fresh.seconds.median / parse.seconds.median,
      feeds_peak_rss_mb: fresh.peakRssMb.median,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
