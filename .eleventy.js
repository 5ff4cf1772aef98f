// What only a config file can tell Eleventy 3 (it has no setter for it): Markdown is never run
// through Liquid first, so `{{ x }}` in a post is text. The site itself is src/site/eleventySite.ts,
// which `almanac build` and `almanac serve` (src/site/build.ts) hand Eleventy with their config, as data.
export const config = { markdownTemplateEngine: false };

export default function () {}
