/**
 * Issue 6: the site build on a generated 5,000-post content folder, against bare Eleventy
 * (its default markdown-it, no plugins, no config) on the same Markdown files, measured in the
 * same run as whole processes (GNU time: wall time and peak RSS):
 *   build_vs_bare_eleventy       cold build (no Markdown cache, empty output) ÷ bare Eleventy
 *   warm_build_vs_bare_eleventy  build again with unchanged content ÷ bare Eleventy
 *                                (and site_warm_force_vs_bare_eleventy: the same with --force, every page rendered)
 *   rebuild_one_s                one changed post, rebuilt by the watching (incremental) build
 * Debian's Hugo on the same files is a reference figure; Pagefind is timed apart.
 * Each build runs in its own process: this file is also the child (`--child=<mode>`).
 * --quick: 100 posts, one round, no Hugo install (about 12 s); the ratios are start-up's then.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateContent } from './generate/content.ts';
import { describe, measureCommand, summarize, unmeasured } from './lib/measure.ts';
import type { BenchOptions } from './run.ts';

export const name = 'site';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..');
// One folder per run: two benchmark runs at once (a shared machine) must not delete each other's output.
const WORK = process.env.ALMANAC_SITE_BENCH_DIR ?? path.join(here, `out/site-${process.pid}`);

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** `node --import tsx bench/site.bench.ts --child=MODE …`, under GNU time. */
function child(mode: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return measureCommand(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), `--child=${mode}`, ...args],
    { cwd: WORK, env: { ...env, ALMANAC_SITE_BENCH_DIR: WORK } },
  );
}

export async function run({ quick }: BenchOptions): Promise<Record<string, number | null>> {
  // Quick: a small site, so the whole module stays within its 15 s (start-up dominates anyway).
  const posts = quick ? 100 : 5000;
  const repetitions = quick ? 1 : 3;
  await mkdir(WORK, { recursive: true });
  const content = path.join(WORK, 'content');
  const generated = await generateContent(content, posts);
  log(`${posts} posts generated in ${path.relative(ROOT, content)}/`);
  const cache = path.join(WORK, 'cache');
  const env = { ALMANAC_CACHE_DIR: cache };
  // The children run in WORK, where this is the config they find (almanac.config.json of the working folder).
  await writeFile(
    path.join(WORK, 'almanac.config.json'),
    JSON.stringify({ sources: [], site: { title: 'Bench', url: 'https://kb.example.org/' } }),
  );
  await writeFile(
    path.join(WORK, 'bare.config.js'),
    '// Bare Eleventy: no configuration at all.\nexport default function () {}\n',
  );

  const bare: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const rerender: number[] = [];
  const rss: number[] = [];
  // Interleaved, so drift on the shared machine hits every series alike.
  for (let round = 0; round < repetitions; round++) {
    await rm(path.join(WORK, 'bare'), { recursive: true, force: true });
    bare.push((await child('bare', [content, path.join(WORK, 'bare')])).seconds);
    await rm(cache, { recursive: true, force: true });
    await rm(path.join(WORK, 'ours'), { recursive: true, force: true });
    const coldRun = await child('ours', [content, path.join(WORK, 'ours')], env);
    cold.push(coldRun.seconds);
    rss.push(coldRun.peakRssMb);
    const warmRun = await child('ours', [content, path.join(WORK, 'ours')], env);
    warm.push(warmRun.seconds);
    // The same unchanged site rendered again by Eleventy anyway (`almanac build --force`): every Markdown body from the cache.
    const rerenderRun = await child('ours-force', [content, path.join(WORK, 'ours')], env);
    rerender.push(rerenderRun.seconds);
    rss.push(rerenderRun.peakRssMb);
    log(
      `round ${round + 1}: bare ${bare.at(-1)} s, cold ${cold.at(-1)} s, warm ${warm.at(-1)} s, warm --force ${rerender.at(-1)} s`,
    );
  }
  const bareSummary = summarize(bare);
  const coldSummary = summarize(cold);
  const warmSummary = summarize(warm);
  const rerenderSummary = summarize(rerender);
  log(`bare Eleventy (markdown-it): ${describe(bareSummary)}`);
  log(`Almanac cold build:          ${describe(coldSummary)}`);
  log(`Almanac warm build:          ${describe(warmSummary)} (unchanged site: the build record says so)`);
  log(
    `Almanac warm, --force:       ${describe(rerenderSummary)} (Eleventy renders every page, Markdown from the cache)`,
  );

  const rebuild = await rebuildOne(content, generated.samplePost, env);
  const pagefind = await child('pagefind', [path.join(WORK, 'ours')]);
  log(`Pagefind over the built site: ${pagefind.seconds} s (${pagefind.peakRssMb.toFixed(0)} MB)`);
  const hugo = await hugoReference(content, quick);
  await rm(WORK, { recursive: true, force: true });

  return {
    site_posts: posts,
    build_vs_bare_eleventy: round(coldSummary.median / bareSummary.median),
    warm_build_vs_bare_eleventy: round(warmSummary.median / bareSummary.median),
    site_warm_force_vs_bare_eleventy: round(rerenderSummary.median / bareSummary.median),
    rebuild_one_s: rebuild,
    site_cold_build_s: coldSummary.median,
    site_warm_build_s: warmSummary.median,
    site_bare_eleventy_s: bareSummary.median,
    site_peak_rss_mb: Math.round(Math.max(...rss)),
    site_pagefind_s: pagefind.seconds,
    site_hugo_s: hugo,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A watching build with incremental rebuilds (as `almanac serve` runs): seconds from saving one post to its rebuilt page. */
async function rebuildOne(content: string, post: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const watcher = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child=watch', content, path.join(WORK, 'ours'), post],
      {
        cwd: WORK,
        env: { ...process.env, ...env, ALMANAC_SITE_BENCH_DIR: WORK },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    let changedAt = 0;
    let finished = false;
    let rebuilt = false;
    const finish = (value: number | null) => {
      if (finished) return;
      finished = true;
      watcher.kill('SIGTERM');
      resolve(value);
    };
    const timer = setTimeout(
      () => finish(unmeasured('rebuild_one_s', 'the watching build did not rebuild within 120 s')),
      120_000,
    );
    const marker = `Edited at ${Date.now()}.`;
    watcher.stdout.on('data', async (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('@@ready') && changedAt === 0) {
        changedAt = performance.now();
        const text = await readFile(post, 'utf8');
        await writeFile(post, text.replace(/\n$/, `\n${marker}\n`));
      } else if (changedAt > 0 && !rebuilt && output.includes('@@rebuilt')) {
        rebuilt = true;
        clearTimeout(timer);
        const seconds = round((performance.now() - changedAt) / 1000);
        // A rebuild that wrote the page from stale text is no rebuild (Eleventy's path remapping once did that).
        const page = path.join(
          WORK,
          'ours',
          /^permalink: (.+)$/m.exec(await readFile(post, 'utf8'))?.[1] ?? '',
          'index.html',
        );
        if (!(await readFile(page, 'utf8').catch(() => '')).includes(marker))
          return finish(
            unmeasured('rebuild_one_s', `the watching build rebuilt, but ${path.relative(WORK, page)} lacks the edit`),
          );
        log(`one changed post rebuilt in ${seconds} s (watching, incremental)`);
        finish(seconds);
      }
    });
    watcher.on('close', (code) => {
      if (changedAt === 0) {
        clearTimeout(timer);
        resolve(unmeasured('rebuild_one_s', `the watching build exited (${code})`));
      }
    });
  });
}

/** Debian's Hugo over the same Markdown (minimal single/list layouts), installed when missing. */
async function hugoReference(content: string, quick: boolean): Promise<number | null> {
  if (!existsSync('/usr/bin/hugo')) {
    // Installing takes longer than a whole quick run may.
    if (quick)
      return unmeasured('site_hugo_s', 'hugo is not installed, and a quick run does not install it (a full run does)');
    try {
      log('installing Debian hugo for the reference figure…');
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'hugo'], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      return unmeasured('site_hugo_s', 'hugo is not installed and apt-get could not install it');
    }
  }
  const site = path.join(WORK, 'hugo');
  await rm(site, { recursive: true, force: true });
  await mkdir(path.join(site, 'layouts/_default'), { recursive: true });
  await symlink(content, path.join(site, 'content'));
  await writeFile(
    path.join(site, 'hugo.toml'),
    'baseURL = "https://kb.example.org/"\ntitle = "Bench"\ndisableKinds = ["RSS", "sitemap", "robotsTXT"]\n',
  );
  await writeFile(
    path.join(site, 'layouts/_default/single.html'),
    '<!doctype html><title>{{ .Title }}</title><main>{{ .Content }}</main>\n',
  );
  await writeFile(
    path.join(site, 'layouts/_default/list.html'),
    '<!doctype html><title>{{ .Title }}</title><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>\n',
  );
  try {
    const result = await measureCommand('/usr/bin/hugo', [
      '--quiet',
      '--source',
      site,
      '--destination',
      path.join(site, 'public'),
    ]);
    log(`Debian hugo (reference): ${result.seconds} s, ${result.peakRssMb.toFixed(0)} MB`);
    return result.seconds;
  } catch (error) {
    return unmeasured('site_hugo_s', (error as Error).message.split('\n')[0]);
  }
}

/** The child processes: one build each, so every measurement pays startup like a user does. */
async function runChild(mode: string, args: string[]): Promise<void> {
  const [input, output] = args.map((folder) => path.relative(process.cwd(), folder) || '.');
  if (mode === 'bare') {
    const { default: Eleventy } = await import('@11ty/eleventy');
    const eleventy = new Eleventy(input, output, { configPath: path.join(WORK, 'bare.config.js'), quietMode: true });
    eleventy.disableLogger();
    await eleventy.write();
  } else if (mode === 'ours' || mode === 'ours-force') {
    const { buildPages } = await import('../src/site/build.ts');
    await buildPages({ content: input, out: output, force: mode === 'ours-force' });
  } else if (mode === 'pagefind') {
    const { runPagefind } = await import('../src/site/build.ts');
    await runPagefind(args[0]);
  } else if (mode === 'watch') {
    // As `almanac serve` does, after its own build: the output is there, only changes are rendered.
    const { untilWatched, watchSite } = await import('../src/site/build.ts');
    const eleventy = await watchSite({
      content: args[0],
      out: args[1],
      skipFirstBuild: true,
      onRebuilt: () => void process.stdout.write('@@rebuilt\n'),
    });
    await untilWatched(eleventy, args[2], 120_000);
    process.stdout.write('@@ready\n');
    await new Promise(() => undefined);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv.find((arg) => arg.startsWith('--child='))?.slice('--child='.length);
  if (mode) await runChild(mode, process.argv.slice(3));
}
