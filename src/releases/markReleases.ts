/**
 * `--release-pattern REGEX --product NAME` on any import: an entry whose title (list tag and
 * `Fwd:` aside) matches becomes `kind: release`, with its versions, CVE ids and reboot note in
 * the frontmatter. Replies are never releases; a reply to a release is linked to it instead.
 */
import type { Nodes } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { htmlToText } from '../convert/bodyText.ts';
import { UsageError } from '../errors.ts';
import type { Entry, EntryBody } from '../model.ts';
import { extractVersions } from './extractVersions.ts';
import { findCves } from './findCves.ts';
import { requiresReboot } from './requiresReboot.ts';

export interface ReleaseOptions {
  releasePattern?: unknown;
  product?: unknown;
}

/** What one import run knows: the compiled pattern, and the releases seen so far (for their replies). */
interface ReleaseMarker {
  pattern: RegExp;
  product: string;
  /** Message-ID (or original id) of each release → the page its replies link to. */
  releases: Map<string, string>;
}

const markers = new WeakMap<object, ReleaseMarker | null>();

/** A leading `[list-name]` tag, and `Re:`, `Fwd:`, `AW:`, `Re[2]:` prefixes, in any order and number. */
const SUBJECT_PREFIX = /^\s*(?:\[[^\]\n]{1,80}\]|(?:re|fwd?|aw|sv|vs|antw)(?:\[\d+\]|\(\d+\))?\s*:)\s*/i;
const REPLY_PREFIX = /^(?:re|aw|sv|vs|antw)(?:\[\d+\]|\(\d+\))?\s*:/i;

/** The subject with its list tag and reply/forward prefixes removed, and whether one of those was a reply's. */
export function cleanSubject(title: string): { subject: string; reply: boolean } {
  let subject = title;
  let reply = false;
  for (let match = SUBJECT_PREFIX.exec(subject); match && match[0] !== ''; match = SUBJECT_PREFIX.exec(subject)) {
    if (REPLY_PREFIX.test(match[0].trim())) reply = true;
    subject = subject.slice(match[0].length);
  }
  return { subject: subject.trim(), reply };
}

/**
 * Marks the entry in place (the import runner plans and writes the same object) and returns it.
 * Without `releasePattern` it does nothing. A bad pattern or a missing product is a UsageError.
 */
export function markRelease(entry: Entry, options: Readonly<ReleaseOptions>): Entry {
  const marker = markerFor(options);
  if (!marker || entry.kind === 'page') return entry;
  const extra = entry.extra ?? {};
  const { subject, reply } = cleanSubject(entry.title);
  const repliesTo = [
    extra.in_reply_to,
    ...(Array.isArray(extra.references) ? extra.references : []),
    extra.thread,
  ].filter((id): id is string => typeof id === 'string' && id !== '' && id !== extra.message_id);
  const isReply = reply || (typeof extra.in_reply_to === 'string' && extra.in_reply_to !== '');
  if (isReply) {
    const release = repliesTo.map((id) => marker.releases.get(id)).find(Boolean);
    if (release) entry.extra = { ...extra, release };
    return entry;
  }
  const match = marker.pattern.exec(subject);
  if (!match) return entry;
  const versions = extractVersions(match[1] ?? '');
  if (versions.length === 0) return entry;
  const text = `${entry.title}\n\n${bodyText(entry.body)}`;
  entry.kind = 'release';
  const id = typeof extra.message_id === 'string' ? extra.message_id : entry.originalId;
  entry.extra = {
    ...extra,
    product: marker.product,
    versions,
    security: findCves(text),
    requires_reboot: requiresReboot(text),
    // Its discussion is the mail thread it starts (the site links the thread page).
    ...(typeof extra.message_id === 'string'
      ? { discussion: typeof extra.thread === 'string' ? extra.thread : extra.message_id }
      : {}),
  };
  // Replies link the release's page: the permalink the importer chose (mail), else its old address.
  const link = entry.permalink ?? entry.originalUrl;
  if (link) marker.releases.set(id, link);
  return entry;
}

function markerFor(options: Readonly<ReleaseOptions>): ReleaseMarker | undefined {
  const known = markers.get(options);
  if (known !== undefined) return known ?? undefined;
  const marker = compileMarker(options);
  markers.set(options, marker ?? null);
  return marker;
}

/** Validates the options once per import: a usage error names the option and what to do. */
export function compileMarker(options: Readonly<ReleaseOptions>): ReleaseMarker | undefined {
  const { releasePattern, product } = options;
  const hasPattern = typeof releasePattern === 'string' && releasePattern !== '';
  const hasProduct = typeof product === 'string' && product.trim() !== '';
  if (!hasPattern && !hasProduct) return undefined;
  if (!hasPattern)
    throw new UsageError(
      '--product names the product of --release-pattern; give a pattern too, e.g. --release-pattern "OmniOS Community Edition (r\\d+\\w*(?:(?:, | and )r\\d+\\w*)*)"',
    );
  if (!hasProduct)
    throw new UsageError(
      `--release-pattern needs --product NAME: the product these releases are of (e.g. --product omnios)`,
    );
  const pattern = compilePattern(releasePattern as string);
  return { pattern, product: (product as string).trim(), releases: new Map() };
}

/** `REGEX` or `/REGEX/flags`; it must have a capture group around the version(s). */
export function compilePattern(text: string): RegExp {
  const literal = /^\/(.+)\/([dgimsuvy]*)$/s.exec(text);
  let pattern: RegExp;
  try {
    pattern = literal ? new RegExp(literal[1], literal[2].replace(/[gy]/g, '')) : new RegExp(text);
  } catch (error) {
    throw new UsageError(
      `--release-pattern "${text}" is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}`,
    );
  }
  const groups = new RegExp(`${pattern.source}|`, pattern.flags).exec('')!.length - 1;
  if (groups < 1)
    throw new UsageError(
      `--release-pattern "${text}" has no capture group: put ( ) around the version, e.g. "OmniOS (r\\d+\\w*)"`,
    );
  return pattern;
}

/** The body as sentences: each block of a tree (mail) apart, so "…r151044." and "No reboot…" never run together. */
function bodyText(body: EntryBody): string {
  if (body.type === 'html') return htmlToText(body.value);
  if (body.type !== 'mdast') return body.value;
  const blocks: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'code' || node.type === 'tableCell')
      blocks.push(toString(node));
    else if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(body.value);
  return blocks.join('\n\n');
}
