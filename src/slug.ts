import { createHash } from 'node:crypto';
import slugify from '@sindresorhus/slugify';

/** Longest slug in bytes: keeps every file name far below the 200-byte limit of portable paths. */
export const MAX_SLUG_BYTES = 80;

/** Names Windows refuses for files whatever their extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A URL- and file-safe slug: lower-case ASCII letters, digits and hyphens, transliterated
 * from any script, at most MAX_SLUG_BYTES, never empty and never a reserved device name.
 * `fallbackSeed` makes the empty case (a title of emoji only) deterministic.
 */
export function makeSlug(text: string, fallbackSeed: string): string {
  let slug = slugify(text, { decamelize: false }).slice(0, MAX_SLUG_BYTES).replace(/-+$/, '');
  if (slug === '') slug = `post-${shortHash(fallbackSeed)}`;
  if (RESERVED.test(slug)) slug = `${slug}-post`;
  return slug;
}

/** The slug an old platform chose, from the last segment of its URL path (`/2017/09/my-post.html` → `my-post`). */
export function slugFromUrl(url: string, fallbackSeed: string): string | undefined {
  let path: string;
  try {
    path = new URL(url, 'http://old.invalid/').pathname;
  } catch {
    return undefined;
  }
  const last = path.split('/').filter(Boolean).at(-1);
  if (!last) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    name = last;
  }
  name = name.replace(/\.(html?|php|aspx?|jsp)$/i, '');
  return name === '' ? undefined : makeSlug(name, fallbackSeed);
}

export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
