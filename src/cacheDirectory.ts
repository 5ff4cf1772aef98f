import path from 'node:path';

/** Where rendered Markdown, build records and imports' last runs are kept between runs (gitignored): `ALMANAC_CACHE_DIR`, or `.almanac-cache/` here. */
export function cacheDirectory(): string {
  return path.resolve(process.env.ALMANAC_CACHE_DIR ?? '.almanac-cache');
}
