import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheDirectory } from '../cacheDirectory.ts';
import { MarkdownCache, type RenderOptions } from './markdown.ts';
import { MIN_FILES, Prerender, markdownFiles } from './markdownPrerender.ts';

/** `#x` links of a fragment rendered apart, pointed at `user-content-x` where the page has that id (and the fragment does not). */
export function pointAnchorsInto(html: string, page?: unknown): string {
  const context = page === undefined || page === null ? '' : String(page);
  if (!context || !html.includes('href="#')) return html;
  return html.replace(/href="#([^"]+)"/g, (whole, id: string) =>
    !html.includes(`id="${id}"`) && context.includes(`id="user-content-${id}"`) ? `href="#user-content-${id}"` : whole,
  );
}

export interface MarkdownEngineOptions {
  /** Where rendered Markdown is kept between builds (default `.almanac-cache/` in the working directory). */
  cacheDir?: string;
}

/** A cold build's worker, started before Eleventy loads (prerenderAhead), for the plugin to take over. */
let ahead: { input: string; output: string; cache: MarkdownCache; prerender: Prerender } | undefined;

/**
 * Starts rendering a cold build's Markdown on the second core before Eleventy has even loaded
 * (`almanac build` calls this): with no cache at all every body is to be rendered, so there is
 * nothing to decide first. Meanwhile Eleventy loads and reads its configuration: on the bench's
 * 5,000 posts the worker's share went from 2,870 bodies to 3,040–3,200, each one Eleventy's thread
 * no longer renders. Returns whether it started one.
 */
export async function prerenderAhead(input: string, output: string, cacheDir = cacheDirectory()): Promise<boolean> {
  await stopPrerenderAhead();
  const cache = new MarkdownCache(cacheDir);
  // With a cache to consult, the plugin decides in eleventy.before, once it has loaded it.
  if (existsSync(cache.file)) return false;
  const files = await markdownFiles(input);
  if (files.length < MIN_FILES) return false;
  ahead = {
    input: path.resolve(input),
    output: path.resolve(output),
    cache,
    prerender: new Prerender(files, cache, output),
  };
  return true;
}

/** Stops a worker prerenderAhead started that no build took over (Eleventy failed before it began). */
export async function stopPrerenderAhead(): Promise<void> {
  await ahead?.prerender.stop();
  ahead = undefined;
}

/**
 * Eleventy plugin: `.md` is rendered by Almanac's unified pipeline (src/site/markdown.ts),
 * cached by content hash, and is never a template — `{{ x }}` and `{% raw %}` in a post are
 * text. Mail messages get their long quotes folded.
 */
export default function markdownEngine(eleventyConfig: any, options: MarkdownEngineOptions = {}) {
  let cache = new MarkdownCache(options.cacheDir ?? cacheDirectory());
  let prerender: Prerender | undefined;
  // What Eleventy's thread rendered itself (ALMANAC_DEBUG): the split with the worker.
  const here = { bodies: 0, comments: 0, ms: 0 };
  // The worker's HTML when it has this body already, else rendered here.
  const render = (markdown: string, renderOptions: RenderOptions, comment: boolean): string => {
    const key = MarkdownCache.key(markdown, renderOptions);
    const fromWorker = prerender?.take(key);
    if (fromWorker !== undefined) return fromWorker;
    const [start, misses] = [performance.now(), cache.misses];
    const html = cache.render(markdown, renderOptions, key);
    if (cache.misses > misses) {
      here[comment ? 'comments' : 'bodies']++;
      here.ms += performance.now() - start;
    }
    return html;
  };
  eleventyConfig.setLibrary('md', {
    render: (markdown: string, data: Record<string, unknown> | undefined) =>
      render(markdown, { foldQuotes: data?.kind === 'message' }, false),
  });
  // For comments (Markdown in frontmatter): their `#anchor` links point into the post they belong to.
  eleventyConfig.addFilter('markdown', (markdown: unknown, within?: string) =>
    typeof markdown === 'string' ? pointAnchorsInto(render(markdown, {}, true), within) : '',
  );
  eleventyConfig.on(
    'eleventy.before',
    async ({ directories, runMode }: { directories: { input: string; output: string }; runMode: string }) => {
      // The worker `almanac build` started for this very folder before Eleventy loaded (prerenderAhead).
      if (
        runMode === 'build' &&
        ahead?.input === path.resolve(directories.input) &&
        ahead.output === path.resolve(directories.output) &&
        ahead.cache.file === cache.file
      ) {
        ({ cache, prerender } = ahead);
        ahead = undefined;
      }
      cache.load();
      // A whole build (not a watcher's rebuild) with enough bodies missing from the cache to pay for the worker's start.
      if (runMode !== 'build' || prerender) return;
      // Listed here once, and handed to the worker: globbing again there delayed its first render.
      const files = await markdownFiles(directories.input);
      if (files.length - cache.size >= MIN_FILES) prerender = new Prerender(files, cache, directories.output);
    },
  );
  eleventyConfig.on('eleventy.after', async () => {
    await prerender?.stop();
    prerender = undefined;
    cache.save();
    if (process.env.ALMANAC_DEBUG)
      process.stderr.write(
        `markdown cache: ${cache.hits} hits, ${cache.misses} rendered; Eleventy's thread rendered ${here.bodies} bodies and ${here.comments} comments itself in ${Math.round(here.ms)} ms\n`,
      );
  });
}
