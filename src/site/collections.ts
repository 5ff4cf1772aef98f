import { buildSiteIndex, type SiteIndex, type SourceSettings } from './siteIndex.ts';

/**
 * Eleventy plugin: one collection, `almanac`, holding the whole site index (sources, archives,
 * tags, threads, neighbours) built in one pass; the list pages paginate over its arrays.
 * Drafts never reach it: they are not built at all.
 */
export default function collections(eleventyConfig: any, options: { sources?: SourceSettings[] } = {}) {
  // `draft: true` is never built, not even to a hidden URL.
  eleventyConfig.addPreprocessor('drafts', '*', (data: Record<string, unknown>) =>
    data.draft === true ? false : undefined,
  );
  // A document stays out of Eleventy's own collection per tag: the site index groups tags itself,
  // and nothing reads `collections.<tag>`. Profiled on 5,000 posts with 30 tags: sorting and
  // filtering every document once per tag, then looking each member up again, was ~0.7 s of
  // every rebuild (Eleventy's TemplateMap: getFilteredByTag, populateCollectionsWithContent).
  const parseYaml = eleventyConfig.frontMatterParsingOptions.engines.yaml;
  eleventyConfig.setFrontMatterParsingOptions({
    engines: { yaml: (text: string, parsing: unknown) => outOfTagCollections(parseYaml(text, parsing)) },
  });
  eleventyConfig.addCollection('almanac', (collectionApi: any): SiteIndex => {
    const index = buildSiteIndex(collectionApi.getAll(), options.sources ?? []);
    // For plugins that compare builds (src/site/neighbours.ts).
    eleventyConfig.emit('almanac.siteIndex', index);
    return index;
  });
}

/**
 * Front matter whose `tags` name no Eleventy collection (`eleventyExcludeFromCollections` lists
 * them, read as Eleventy reads `tags`); `all` stays, and so does an exclusion the document set.
 */
export function outOfTagCollections(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || 'eleventyExcludeFromCollections' in data)
    return data;
  const tags = (data as { tags?: unknown }).tags;
  const names = typeof tags === 'string' ? tags.split(',') : Array.isArray(tags) ? tags.map(String) : [];
  const excluded = [...new Set(names)].filter((name) => name !== 'all');
  return excluded.length > 0 ? { ...data, eleventyExcludeFromCollections: excluded } : data;
}
