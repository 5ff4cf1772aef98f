/**
 * A release as its frontmatter says it — written by hand (`content/releases/<product>/<version>.md`)
 * or by an import with `--release-pattern` — read leniently: `versions: r151048` or a list,
 * `security` as a list or a comma-separated string; the product and version fall back to the
 * folder and file name of a hand-written note.
 */
import path from 'node:path';
import { makeSlug } from '../slug.ts';
import { findCves } from './findCves.ts';
import { extractVersions } from './extractVersions.ts';

export interface Release {
  kind?: string;
  title: string;
  product: string;
  /** The product's URL segment: `/releases/<productSlug>/`. */
  productSlug: string;
  versions: string[];
  date?: Date;
  security: string[];
  requiresReboot: boolean;
  permalink?: string;
  /** The mail thread this release started (its root Message-ID), when it came from a list. */
  discussion?: string;
  source?: string;
}

export function readRelease(data: Record<string, unknown>, file = ''): Release {
  const parts = file.split(/[\\/]/);
  const folder = parts.length >= 3 && parts.at(-3) === 'releases' ? parts.at(-2) : undefined;
  const product = text(data.product) ?? folder ?? '';
  const versions = list(data.versions).flatMap(extractVersions);
  if (versions.length === 0 && folder) versions.push(path.basename(file, path.extname(file)));
  return {
    kind: text(data.kind),
    title: text(data.title) ?? [product, versions.join(', ')].filter(Boolean).join(' '),
    product,
    productSlug: product ? productSlug(product) : '',
    versions,
    date: toDate(data.date),
    security: findCves(list(data.security).join(' ')),
    requiresReboot: data.requires_reboot === true || data.requires_reboot === 'true' || data.requires_reboot === 'yes',
    permalink: text(data.permalink),
    discussion: text(data.discussion),
    source: text(data.source),
  };
}

/** Slugging is the costly part of reading a release (measured: most of 240 ms for 1,000); products are few. */
const slugs = new Map<string, string>();

export function productSlug(product: string): string {
  let slug = slugs.get(product);
  if (slug === undefined) slugs.set(product, (slug = makeSlug(product, product)));
  return slug;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => text(item) ?? []);
  const single = text(value);
  return single ? [single] : [];
}

function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
