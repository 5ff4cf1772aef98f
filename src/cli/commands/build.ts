import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_FILE, loadConfig } from '../../site/config.ts';
import { buildPages, importConfiguredSources, runPagefind } from '../../site/build.ts';
import type { Command } from '../main.ts';

const usage = `
Usage: almanac build [--config FILE] [--content DIR] [--out DIR] [--force]

Builds the knowledge base: imports every source listed in the config (unchanged input
writes nothing), renders content/ with Eleventy into the output folder, writes the
redirects the config asks for, and indexes the articles for search with Pagefind.

Options:
  --config FILE   the config (default: ${CONFIG_FILE}): sources to import, redirects, site title and URL
  --content DIR   build this folder as it is, importing nothing (default: content, after imports)
  --out DIR       the output folder (default: _site)
  --force         render every page even when nothing changed since the last build
                  (by default an unchanged site is left as it is, like make)

Examples:
  almanac build                                  # import the configured sources, build _site/
  almanac build --content content --out public   # build what is already in content/
  almanac serve                                  # the same, served at http://localhost:8080
`;

const command: Command = {
  summary: 'import the configured sources and build the site (Eleventy + search)',
  usage,
  async run(args) {
    const { values } = parseArgs({ args, options: { config: { type: 'string' }, content: { type: 'string' }, out: { type: 'string', default: '_site' }, force: { type: 'boolean', default: false } } });
    await buildSite({ config: values.config, content: values.content, out: values.out!, force: values.force });
    return 0;
  },
};

export default command;

export interface BuildOptions {
  config?: string;
  content?: string;
  out: string;
  force?: boolean;
}

/** The whole build, shared with `almanac serve`. Prints what it did; returns the folders used. */
export async function buildSite(options: BuildOptions): Promise<{ content: string; out: string; configFile?: string }> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = performance.now();
  const config = await loadConfig(options.config);
  const content = path.resolve(options.content ?? 'content');
  const out = path.resolve(options.out);
  if (!options.content) await importConfiguredSources(config, content, log);
  const { pages, upToDate } = await buildPages({ content, out, configFile: config.file ?? '', log, force: options.force });
  const redirects = await writeRedirects(config.redirects, content, out, log);
  const where = `${path.relative(process.cwd(), out) || '.'}/`;
  if (upToDate && existsSync(path.join(out, 'pagefind/pagefind-ui.js'))) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`Up to date: ${pages} pages in ${where}, nothing changed since the last build (${seconds} s; --force renders them again)${redirects ? `; redirects: ${redirects}` : ''}.\n`);
    return { content, out, configFile: config.file };
  }
  const indexed = await runPagefind(out);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`Built ${pages} pages into ${where} in ${seconds} s; search index of ${indexed} pages${redirects ? `; redirects: ${redirects}` : ''}.\n`);
  return { content, out, configFile: config.file };
}

/** The redirect formats the config lists, through `almanac redirects` (when that command is installed). */
async function writeRedirects(formats: string[], content: string, out: string, log: (line: string) => void): Promise<string> {
  if (formats.length === 0) return '';
  const module = path.join(path.dirname(new URL(import.meta.url).pathname), 'redirects.ts');
  if (!existsSync(module)) {
    log(`warning: the config asks for redirects (${formats.join(', ')}) but this Almanac has no redirects command; skipped`);
    return '';
  }
  const { default: redirects } = (await import(module)) as { default: Command };
  const written: string[] = [];
  for (const format of formats) {
    const target = format === 'html' ? out : path.join(out, format === 'netlify' || format === 'cloudflare' ? '_redirects' : `redirects.${format}`);
    const status = await redirects.run(['--content', content, '--format', format, '--out', target]);
    if (status !== 0) throw new Error(`almanac redirects --format ${format} failed (exit ${status})`);
    written.push(format);
  }
  return written.join(', ');
}
