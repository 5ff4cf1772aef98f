import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type Eleventy from '@11ty/eleventy';
import { InputError, machineFault, shownPath, type MachineFault } from '../errors.ts';
import { onAbort } from '../interrupt.ts';
import { inputsDigest } from '../content/inputsDigest.ts';
import { cacheDirectory } from '../cacheDirectory.ts';
import { codeDigest, PROJECT_ROOT } from '../project.ts';
import { isUpToDate, readBuildRecord, recordBuild } from './buildState.ts';
import { type AlmanacConfig, loadConfig } from './config.ts';
import { almanacSite } from './eleventySite.ts';
import { beginOutputSwap, type OutputSwap } from './outputSwap.ts';
import { prerenderAhead, stopPrerenderAhead } from './markdownEngine.ts';

/** What the pages are made with besides the content and the code (src/project.ts's codeDigest): the templates, not compiled. */
const SITE_TEMPLATES = ['layouts', 'assets', 'src/site/pages', '.eleventy.js'];
const ELEVENTY_CONFIG = path.join(PROJECT_ROOT, '.eleventy.js');

export interface SiteBuildOptions {
  content: string;
  out: string;
  /** The site's settings (src/site/config.ts), handed to Eleventy as they are; default: the working directory's almanac.config.json. */
  config?: AlmanacConfig;
  log?: (line: string) => void;
}

/** Eleventy's programmatic options for the site: its configuration handed over as data, .eleventy.js for what only a file can set. */
function eleventyOptions(config: AlmanacConfig, configure?: (eleventyConfig: any) => void) {
  return {
    configPath: ELEVENTY_CONFIG,
    quietMode: true,
    config: (eleventyConfig: any) => {
      almanacSite(eleventyConfig, config);
      configure?.(eleventyConfig);
    },
  };
}

/** Eleventy over the content folder into `out`, with the site of src/site/eleventySite.ts. Returns pages written. */
export async function runEleventy(options: SiteBuildOptions): Promise<number> {
  return (await buildPages(options)).pages;
}

export interface PagesBuilt {
  pages: number;
  upToDate: boolean;
  /** Files the last build wrote and this one did not, removed (relative to the output folder). */
  removed: string[];
  /**
   * Records the output folder as it is now, for the next build's up-to-date check. buildPages
   * records what Eleventy wrote; a caller that writes more there (Pagefind, redirects) records again
   * afterwards, or the next build finds those files changed and builds everything again.
   */
  recordOutputs: () => void;
}

/**
 * Eleventy over the content folder, unless nothing it reads has changed since it last wrote
 * `out` (src/site/buildState.ts) and `force` is not set. Built into a new folder beside `out`,
 * swapped in at the end (src/site/outputSwap.ts); `beforePublish` adds to the new folder first
 * (the search index, the redirects), so a failure or Ctrl-C anywhere leaves `out` as it was.
 */
export async function buildPages(
  options: SiteBuildOptions & { force?: boolean; beforePublish?: (folder: string) => Promise<void> },
): Promise<PagesBuilt> {
  if (!existsSync(options.content))
    throw new InputError(
      options.content,
      'no such content folder; import something first (almanac import …) or pass --content DIR',
    );
  const config = options.config ?? (await loadConfig());
  const cacheDir = cacheDirectory();
  const inputs = inputsDigest(
    [options.content, ...SITE_TEMPLATES.map((part) => path.join(PROJECT_ROOT, part))],
    JSON.stringify([path.resolve(options.content), codeDigest(), config]),
  );
  const previous = readBuildRecord(cacheDir, options.out);
  const recordOutputs = (built: readonly string[], pages: number) => () =>
    recordBuild(cacheDir, options.out, inputs, filesBelow(options.out), built, pages);
  if (!options.force) {
    const state = isUpToDate(previous, options.out, inputs);
    if (state.upToDate)
      return { ...state, removed: [], recordOutputs: recordOutputs(previous?.built ?? [], state.pages) };
  }
  const swap = beginOutputSwap(options.out);
  const stopAbandons = onAbort(() => {
    swap.abandon();
    return `${shownPath(options.out)}/ is left as the last build made it`;
  });
  try {
    const { pages, built } = await renderInto(swap.folder, options, config, cacheDir);
    const removed = swap.carryOver(previous, built);
    await options.beforePublish?.(swap.folder);
    swap.publish();
    const record = recordOutputs([...built], pages);
    record();
    return { pages, upToDate: false, removed, recordOutputs: record };
  } catch (error) {
    const fault = faultOfBuild(error, swap, options.out);
    // Eleventy's other writes still land after its first one failed (measured on a full disk): removed once they have.
    await new Promise((resolve) => setTimeout(resolve, 200));
    throw fault ?? error;
  } finally {
    stopAbandons();
    swap.abandon();
  }
}

/** Eleventy over the content folder into `folder`: the pages rendered, and every file written (relative to `folder`). */
async function renderInto(
  folder: string,
  options: SiteBuildOptions,
  config: AlmanacConfig,
  cacheDir: string,
): Promise<{ pages: number; built: Set<string> }> {
  await prerenderAhead(options.content, folder, cacheDir);
  // Loaded only now: an up-to-date site is a stat walk, and loading Eleventy and Pagefind was most of a warm build (measured: 0.86 s → 0.29 s on 300 posts).
  const { default: Eleventy } = await import('@11ty/eleventy');
  // Relative folders: Eleventy strips an absolute input folder from copied files' paths inconsistently.
  const eleventy = new Eleventy(relativeFolder(options.content), relativeFolder(folder), eleventyOptions(config));
  // Our own summary line says what was built; Eleventy's errors are thrown and reported below.
  eleventy.disableLogger();
  let results: [{ map?: Record<string, string> }[], { outputPath?: string | false }[]];
  try {
    results = (await eleventy.write()) as unknown as typeof results;
  } catch (error) {
    throw faultWithin(error) ?? eleventyError(error, options.content);
  } finally {
    await stopPrerenderAhead();
  }
  const [copied = [], rendered = []] = results;
  const pages = rendered.filter((result) => result?.outputPath);
  const root = path.resolve(folder);
  const built = new Set(
    [
      ...pages.map((page) => page.outputPath as string),
      ...copied.flatMap((copy) => Object.values(copy?.map ?? {})),
    ].map((file) => path.relative(root, path.resolve(file))),
  );
  return { pages: pages.length, built };
}

/**
 * A fault of the machine among Eleventy's wrapped errors (a full disk while it writes pages), naming
 * the page as Eleventy's wrapper does ("Having trouble writing to …"): the write's own error names none.
 */
function faultWithin(error: unknown): MachineFault | undefined {
  let page: string | undefined;
  for (
    let current = error as { originalError?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0;
    current && depth < 10;
    current = (current.originalError ?? current.cause) as typeof current, depth++
  ) {
    page ??= /writing to "([^"]+)"/.exec(String(current.message))?.[1];
    const fault = machineFault(current, (current as { path?: unknown }).path === undefined ? page : undefined);
    if (fault) return fault;
  }
  return undefined;
}

/** A fault of the machine during a build, saying how far it got and that the output folder is as it was. */
function faultOfBuild(error: unknown, swap: OutputSwap, out: string): MachineFault | undefined {
  const fault = faultWithin(error);
  if (!fault) return undefined;
  const pages = existsSync(swap.folder)
    ? readdirSync(swap.folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.html')).length
    : 0;
  fault.done ??= `${pages} ${pages === 1 ? 'page' : 'pages'} built, not published: ${shownPath(out)}/ is left as the last build made it`;
  return fault;
}

function filesBelow(dir: string): string[] {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
}

export interface WatchOptions {
  content: string;
  out: string;
  config?: AlmanacConfig;
  /** After each rebuild (not after the first build, nor after the data-only pass of `skipFirstBuild`). */
  onRebuilt?: () => void | Promise<void>;
  /** The output is already built (by buildPages): read the data, render nothing until a change. */
  skipFirstBuild?: boolean;
  /** More Eleventy configuration (the dev server's options, say). */
  configure?: (eleventyConfig: any) => void;
}

/**
 * Eleventy watching the content folder with incremental rebuilds (`almanac serve`). Resolves
 * when chokidar says `ready`, which chokidar 4 says once the first of Eleventy's globs is scanned:
 * a caller that must not miss a change (the benchmark, the tests) waits with `untilWatched`.
 * (The benchmark once signalled at the first build's eleventy.after, before any watcher existed,
 * and never saw its edit.)
 */
export async function watchSite(options: WatchOptions): Promise<Eleventy> {
  const { default: Eleventy } = await import('@11ty/eleventy');
  let builds = 0;
  const eleventy = new Eleventy(relativeFolder(options.content), relativeFolder(options.out), {
    ...eleventyOptions(options.config ?? (await loadConfig()), (eleventyConfig) => {
      eleventyConfig.on('eleventy.after', async () => {
        if (builds++ > 0) await options.onRebuilt?.();
      });
      // The site's code is compiled (dist/), not edited while serving: content/, layouts/ and assets/ are what is watched.
      eleventyConfig.setWatchJavaScriptDependencies(false);
      // A saved file is read once its size has held for 50 ms, not Eleventy's 150 ms (profiled: the
      // ~0.15 s idle start of rebuilding one of 5,000 posts): an editor writes a post at once, and
      // a file still being written when it is read changes again, so it is rebuilt again.
      eleventyConfig.setChokidarConfig({ awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 10 } });
      options.configure?.(eleventyConfig);
    }),
    runMode: 'serve',
  });
  eleventy.setIgnoreInitial(options.skipFirstBuild ?? false);
  eleventy.setIncrementalBuild(true);
  await eleventy.init();
  await eleventy.watch();
  reportPathsFromWorkingDirectory((eleventy as unknown as { watcher?: ChokidarWatcher }).watcher);
  return eleventy;
}

interface ChokidarWatcher {
  options: { cwd?: string };
  emit(event: string, ...args: unknown[]): boolean;
  getWatched(): Record<string, string[]>;
}

/** Resolves once the watcher of `watchSite` watches `file`: a change saved before then is never seen. Rejects after `timeoutMs`. */
export async function untilWatched(eleventy: Eleventy, file: string, timeoutMs = 10_000): Promise<void> {
  const watcher = (eleventy as unknown as { watcher: ChokidarWatcher }).watcher;
  const folder = path.dirname(path.resolve(file));
  const name = path.basename(file);
  for (const started = Date.now(); ; await new Promise((resolve) => setTimeout(resolve, 20))) {
    if (
      Object.entries(watcher.getWatched()).some(
        ([dir, names]) => path.resolve(watcher.options.cwd ?? '', dir) === folder && names.includes(name),
      )
    )
      return;
    if (Date.now() - started > timeoutMs) throw new Error(`the watcher never reached ${file}`);
  }
}

/**
 * The layouts live outside the content folder, so Eleventy 3.1 watches from a common parent
 * (chokidar's `cwd`, its GlobRemap) but takes the changed paths chokidar reports as relative to
 * the working directory: a changed post was not recognised as itself (every page rendered
 * again, the post from its stale cached text). Measured with `almanac serve --content` outside
 * the project: the rebuilt page lacked the edit. The paths are mapped back before Eleventy sees them.
 */
function reportPathsFromWorkingDirectory(watcher: ChokidarWatcher | undefined): void {
  const cwd = watcher?.options.cwd;
  if (!watcher || !cwd || path.resolve(cwd) === process.cwd()) return;
  const emit = watcher.emit.bind(watcher);
  watcher.emit = (event: string, ...args: unknown[]) => {
    if (['add', 'change', 'unlink', 'addDir', 'unlinkDir'].includes(event) && typeof args[0] === 'string')
      args[0] = path.relative(process.cwd(), path.resolve(cwd, args[0]));
    return emit(event, ...args);
  };
}

export function relativeFolder(folder: string): string {
  return path.relative(process.cwd(), path.resolve(folder)) || '.';
}

/** Pagefind's index of the built site: only `data-pagefind-body` (the articles) is indexed. */
export async function runPagefind(out: string): Promise<number> {
  const pagefind = await import('pagefind');
  await rm(path.join(out, 'pagefind'), { recursive: true, force: true });
  const { index, errors } = await pagefind.createIndex({ keepIndexUrl: false, verbose: false });
  if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
  try {
    const added = await index.addDirectory({ path: out });
    if (added.errors.length > 0) throw new Error(`Pagefind: ${added.errors.join('; ')}`);
    const written = await index.writeFiles({ outputPath: path.join(out, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
    return added.page_count;
  } finally {
    await pagefind.close();
  }
}

/**
 * Eleventy wraps a bad document's error several times over; the user needs the innermost
 * message and the file it names.
 */
function eleventyError(error: unknown, content: string): Error {
  const chain: Error[] = [];
  for (
    let current = error as (Error & { originalError?: unknown; cause?: unknown }) | undefined;
    current && chain.length < 10;
    current = (current.originalError ?? current.cause) as typeof current
  )
    chain.push(current);
  const file = chain.map((item) => /\.\/?([^\s)]+\.md)/.exec(item.message)?.[1]).find(Boolean);
  const innermost = chain.at(-1)?.message.split('\n')[0] ?? String(error);
  const position = /line (\d+),? column (\d+)|\((\d+):(\d+)\)/.exec(chain.map((item) => item.message).join('\n'));
  if (file) {
    return new InputError(
      path.relative(process.cwd(), path.resolve(file)) || file,
      innermost,
      position ? { line: Number(position[1] ?? position[3]), column: Number(position[2] ?? position[4]) } : {},
    );
  }
  return new InputError(content, `the site could not be built: ${innermost}`);
}
