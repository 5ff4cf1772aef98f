// The knowledge base, read top to bottom: what Eleventy builds from content/ and how.
// `almanac build` / `almanac serve` (src/site/build.ts) hand it to Eleventy with the loaded config, as
// data. Input is the content folder, output _site/.
// Docs: https://www.11ty.dev/docs/config/
import path from 'node:path';
import eleventyNavigation from '@11ty/eleventy-navigation';
import rss from '@11ty/eleventy-plugin-rss';
import { PROJECT_ROOT as root } from '../project.ts';
import collections from './collections.ts';
import type { AlmanacConfig } from './config.ts';
import filters from './filters.ts';
import markdownEngine from './markdownEngine.ts';
import neighbours from './neighbours.ts';
import pages from './pages.ts';
import releases from './releases.ts';
const ATTACHMENTS = ['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'pdf', 'patch', 'diff', 'txt', 'gz', 'tar', 'zip'];

/** The site, configured with `config`: Eleventy's configuration callback. */
export function almanacSite(eleventyConfig: any, config: AlmanacConfig): void {
  // Imported text is data, never a template: Markdown is not run through Liquid (see the end
  // of this function), which also leaves a Markdown file's `permalink` unrendered (test/site.test.ts
  // proves `{{ x }}` stays literal in both). Dynamic permalinks stay on for the site's own paginated
  // pages, whose permalinks are functions; setDynamicPermalinks(false) would break exactly those.
  // JavaScript front matter is refused.
  eleventyConfig.setFrontMatterParsingOptions({ engines: { js: refuseCode, javascript: refuseCode } });
  // Sources `almanac build` imports are git-ignored (.gitignore: content/<source>/), yet they are the site.
  eleventyConfig.setUseGitIgnore(false);
  eleventyConfig.addGlobalData('layout', 'document.njk');
  eleventyConfig.addGlobalData('site', config.site);

  // Layouts are the project's, wherever the content folder is (relative to the input folder, as Eleventy wants).
  eleventyConfig.setLayoutsDirectory(path.relative(eleventyConfig.directories.input, path.join(root, 'layouts')));
  eleventyConfig.setIncludesDirectory(path.relative(eleventyConfig.directories.input, path.join(root, 'layouts')));
  // Escape everything a layout prints unless it says `| safe` (rendered Markdown, nothing else).
  eleventyConfig.setNunjucksEnvironmentOptions({ autoescape: true, throwOnUndefined: false });

  // Markdown: Almanac's unified pipeline (sanitized, highlighted), cached by content hash.
  eleventyConfig.addPlugin(markdownEngine);
  // Collections: sources, archives, tags, threads and neighbours, in one pass; drafts never built.
  eleventyConfig.addPlugin(collections, { sources: config.sources });
  // A rebuild while serving renders the changed document's older/newer neighbours too: they print its title.
  eleventyConfig.addPlugin(neighbours);
  // Filters: dates as written, summaries, comment trees, tag slugs.
  eleventyConfig.addPlugin(filters, { siteUrl: config.site.url });
  // Docs sidebar: guides under content/docs/ declare `eleventyNavigation` in their frontmatter.
  eleventyConfig.addPlugin(eleventyNavigation);
  // Atom feeds: date and absolute-URL filters for src/site/pages/*feed.njk.
  eleventyConfig.addPlugin(rss);
  // The site's own pages (home, source indexes, archives, tags, threads, feeds, sitemap, 404).
  eleventyConfig.addPlugin(pages);
  // Release pages: their own collections, pages and feeds.
  eleventyConfig.addPlugin(releases);
  eleventyConfig.addGlobalData('releasesPage', true);

  // Stylesheet and the search box's start-up script, as they are.
  eleventyConfig.addPassthroughCopy({ [path.join(root, 'assets')]: 'assets' });

  // Markdown is never run through Liquid first: `{{ x }}` in a post is text. Files beside the
  // documents (mail attachments, images) are copied where they are, as Eleventy does for
  // template formats it has no engine for.
  // (.eleventy.js sets markdownTemplateEngine: false, which only a config file can.)
  eleventyConfig.setTemplateFormats(['md', 'njk', ...ATTACHMENTS]);
}

function refuseCode(): never {
  throw new Error('front matter in JavaScript is not run; use YAML');
}
