/**
 * `almanac build` and `almanac serve`, above the three parts they run: the configured imports
 * (src/write/), the site (src/site/) and the redirects (src/redirects/), each called as a function.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { shownPath } from '../errors.ts';
import { contentLockFile, lockFolder, outputLockFile } from '../folderLock.ts';
import { interruption, stopsGently } from '../interrupt.ts';
import { writeRedirectFiles } from '../redirects/output.ts';
import { buildPages, runPagefind } from '../site/build.ts';
import { type AlmanacConfig, loadConfig } from '../site/config.ts';
import type { ImportReport } from '../write/importSource.ts';

export interface BuildOptions {
  config?: string;
  content?: string;
  out: string;
  force?: boolean;
  /** false: no Pagefind index (`--no-search`). */
  search?: boolean;
  /** Wait for another almanac using the content or output folder (`--wait`). */
  wait?: boolean;
}

export interface SiteBuilt {
  content: string;
  out: string;
  config: AlmanacConfig;
  /** Stopped by this signal during the imports (src/interrupt.ts): nothing was built. */
  interrupted?: 'SIGINT' | 'SIGTERM';
}

/**
 * The whole build, shared with `almanac serve`, holding the content and output folders'
 * locks (src/folderLock.ts; content first, as every build takes them). Prints what it did; returns the folders used and the config.
 */
export async function buildSite(options: BuildOptions): Promise<SiteBuilt> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const content = path.resolve(options.content ?? 'content');
  const out = path.resolve(options.out);
  const releaseContent = await lockFolder(contentLockFile(content), content, { wait: options.wait, log });
  try {
    const releaseOut = await lockFolder(outputLockFile(out), out, { wait: options.wait, log });
    try {
      return await buildLocked(options, content, out, log);
    } finally {
      releaseOut();
    }
  } finally {
    releaseContent();
  }
}

async function buildLocked(
  options: BuildOptions,
  content: string,
  out: string,
  log: (line: string) => void,
): Promise<SiteBuilt> {
  const started = performance.now();
  const config = await loadConfig(options.config);
  if (!options.content) {
    // Ctrl-C here stops after the documents in hand, then the build stops too: the site is left as it was.
    await stopsGently(() => importConfiguredSources(config, content, log));
    const signal = interruption();
    if (signal) {
      log(
        `almanac build: interrupted (${signal}) during the imports; ${shownPath(out)}/ is left as the last build made it`,
      );
      return { content, out, config, interrupted: signal };
    }
  }
  let redirects = '';
  let indexed: number | undefined;
  const { pages, upToDate, removed, recordOutputs } = await buildPages({
    content,
    out,
    config,
    log,
    force: options.force,
    // Into the new folder, before it is swapped in: a deploy never has pages without their search index or redirects.
    beforePublish: async (folder) => {
      redirects = await writeRedirects(config.redirects, content, out, folder);
      indexed = options.search === false ? undefined : await runPagefind(folder);
    },
  });
  // What the last build wrote and this one did not: deleted or drafted documents, tags and months no longer used.
  if (removed.length > 0)
    log(
      `Removed ${removed.length} ${removed.length === 1 ? 'file' : 'files'} the last build wrote and this one did not (deleted or drafted documents, tags or archives no longer used): ${removed.slice(0, 3).join(', ')}${removed.length > 3 ? ', …' : ''}`,
    );
  if (upToDate) redirects = await writeRedirects(config.redirects, content, out, out);
  const where = `${path.relative(process.cwd(), out) || '.'}/`;
  if (upToDate && existsSync(path.join(out, 'pagefind/pagefind-ui.js'))) {
    recordOutputs();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `Up to date: ${pages} pages in ${where}, nothing changed since the last build (${seconds} s; --force renders them again)${redirects ? `; redirects: ${redirects}` : ''}.\n`,
    );
    return { content, out, config };
  }
  if (upToDate && options.search !== false) indexed = await runPagefind(out);
  // The search index and redirects are in the output folder too: recorded, the next build finds them as they are.
  recordOutputs();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const search = indexed === undefined ? 'no search index (--no-search)' : `search index of ${indexed} pages`;
  process.stdout.write(
    `Built ${pages} pages into ${where} in ${seconds} s; ${search}${redirects ? `; redirects: ${redirects}` : ''}.\n`,
  );
  return { content, out, config };
}

/** Formats a static host reads from the site's own folder; the others are server configs, kept out of what is published. */
const SITE_ROOT_FILES: Record<string, string> = {
  netlify: '_redirects',
  cloudflare: '_redirects',
  vercel: 'vercel.json',
  htaccess: '.htaccess',
  html: '',
};

/**
 * The redirect formats the config lists, for the pages this build made (only targets that exist in
 * `site`, the folder being built): host files into the site, server configs beside the output folder in `<out>-redirects/<format>`.
 */
async function writeRedirects(formats: string[], content: string, out: string, site: string): Promise<string> {
  const written: string[] = [];
  // Named where they will be once the new folder is swapped in.
  const shownAs = (file: string) =>
    file.startsWith(site + path.sep) || file === site ? path.join(out, path.relative(site, file)) : file;
  for (const format of formats) {
    const target =
      format in SITE_ROOT_FILES
        ? path.join(site, SITE_ROOT_FILES[format])
        : path.join(`${out.replace(/[\\/]+$/, '')}-redirects`, format);
    await writeRedirectFiles({ format, content, out: target, siteDir: site, shownAs });
    written.push(`${format} → ${path.relative(process.cwd(), shownAs(target)) || '.'}`);
  }
  return written.join(', ');
}

/** Imports every configured source into `content`, printing each import's summary line. */
export async function importConfiguredSources(
  config: AlmanacConfig,
  content: string,
  log: (line: string) => void,
): Promise<ImportReport[]> {
  const reports: ImportReport[] = [];
  // Loaded only when there is something to import: `build --content` and `serve --content` never import.
  const { importSource, summarize } = await import('../write/importSource.ts');
  for (const source of config.sources) {
    // Ctrl-C stopped the last import after its documents in hand: the next sources are not begun.
    if (interruption()) break;
    const report = await importSource({
      inputs: source.inputs,
      format: source.format,
      source: source.id,
      out: content,
      oldBase: source.oldBase,
      importerOptions: source.options,
      progressLabel: `Importing ${source.id}`,
    });
    for (const warning of report.warnings)
      log(`warning: ${source.id}: ${warning.id ? `${warning.id}: ` : ''}${warning.message}`);
    for (const kept of report.kept) log(`kept: ${kept.file}: ${kept.reason}`);
    log(summarize(report));
    reports.push(report);
  }
  return reports;
}
