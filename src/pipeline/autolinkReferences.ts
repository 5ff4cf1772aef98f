import { existsSync, readFileSync } from 'node:fs';
import type { Root } from 'mdast';
import { findAndReplace, type RegExpMatchObject } from 'mdast-util-find-and-replace';
import { InputError } from '../errors.ts';
import { safeUrl } from '../url/normalizeUrl.ts';

/** One rule: text matching `pattern` links to `url`, where `$&`, `$1`…`$9` and `$<name>` stand for what it matched. */
export interface AutolinkRule {
  pattern: string | RegExp;
  url: string;
  /** RegExp flags for a string pattern (`i`, `u`, …); `g` is implied. */
  flags?: string;
}

export interface Options {
  /** Rules tried after the built-in ones (from almanac.config.json `autolinks`). */
  rules?: readonly AutolinkRule[];
}

/** References every illumos and security post makes. */
export const builtinRules: readonly AutolinkRule[] = Object.freeze([
  { pattern: /\bCVE-\d{4}-\d{4,}\b/, url: 'https://www.cve.org/CVERecord?id=$&' },
  { pattern: /\billumos\s+(?:#|(?:issue|bug)\s+#?)(\d+)\b/i, url: 'https://www.illumos.org/issues/$1' },
]);

/**
 * Issue, bug and CVE references in text become links to their trackers, rule by rule
 * (mdast-util-find-and-replace: text only, never inside links or code).
 */
export default function autolinkReferences(options: Options = {}) {
  const rules = [...builtinRules, ...(options.rules ?? [])].map(compile);
  return (tree: Root) => {
    findAndReplace(
      tree,
      rules.map(
        (rule) =>
          [
            rule.find,
            (whole: string, ...rest: unknown[]) => {
              if (whole === '') return false;
              const match = rest[rest.length - 1] as RegExpMatchObject;
              rule.again.lastIndex = match.index;
              const url = safeUrl(expand(rule.url, rule.again.exec(match.input)!));
              return url === undefined
                ? false
                : { type: 'link', url, title: null, children: [{ type: 'text', value: whole }] };
            },
          ] as const,
      ),
      { ignore: ['link', 'linkReference'] },
    );
  };
}

function compile(rule: AutolinkRule) {
  const source = typeof rule.pattern === 'string' ? rule.pattern : rule.pattern.source;
  const flags = [
    ...new Set(`${typeof rule.pattern === 'string' ? (rule.flags ?? '') : rule.pattern.flags}`.replace(/[gy]/g, '')),
  ].join('');
  // findAndReplace hands over captures but not named groups; a sticky twin re-reads the match with them.
  return { find: new RegExp(source, `${flags}g`), again: new RegExp(source, `${flags}y`), url: rule.url };
}

/** The URL template with the match's groups, each percent-encoded so a match cannot add a path, query or host. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(?:(&)|(\d)|<([^>]+)>)/g, (token, whole?: string, number?: string, name?: string) => {
    const value = whole ? match[0] : number ? match[Number(number)] : match.groups?.[name!];
    return value === undefined ? token : encodeURIComponent(value);
  });
}

/** The `autolinks` rules of almanac.config.json (`[{ "pattern": "…", "url": "…", "flags": "i" }]`), checked; none when there is no such file or key. */
export function readAutolinkRules(file = 'almanac.config.json'): AutolinkRule[] {
  if (!existsSync(file)) return [];
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(file, `not valid JSON: ${(error as Error).message}`);
  }
  const rules = (config as { autolinks?: unknown })?.autolinks;
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) throw new InputError(file, '"autolinks" must be a list of { "pattern", "url" } rules');
  return rules.map((rule: Partial<AutolinkRule>, index) => {
    const where = `autolinks[${index}]`;
    if (typeof rule?.pattern !== 'string' || typeof rule.url !== 'string')
      throw new InputError(file, `${where} needs "pattern" and "url" strings`);
    try {
      new RegExp(rule.pattern, rule.flags ?? '');
    } catch (error) {
      throw new InputError(file, `${where}.pattern: ${(error as Error).message}`);
    }
    if (!/^https?:\/\//i.test(rule.url))
      throw new InputError(
        file,
        `${where}.url must start with https:// or http://, e.g. "https://bugs.example.org/$1"`,
      );
    return { pattern: rule.pattern, url: rule.url, flags: rule.flags };
  });
}
