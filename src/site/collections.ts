import { buildSiteIndex, type SiteIndex, type SourceSettings } from './siteIndex.ts';

/**
 * Eleventy plugin: one collection, `almanac`, holding the whole site index (sources, archives,
 * tags, threads, neighbours) built in one pass; the list pages paginate over its arrays.
 * Drafts never reach it: they are not built at all.
 */
export default function collections(eleventyConfig: any, options: { sources?: SourceSettings[] } = {}) {
  // `draft: true` is never built, not even to a hidden URL.
  eleventyConfig.addPreprocessor('drafts', '*', (data: Record<string, unknown>) => (data.draft === true ? false : undefined));
  eleventyConfig.addCollection('almanac', (collectionApi: any): SiteIndex => buildSiteIndex(collectionApi.getAll(), options.sources ?? []));
}
