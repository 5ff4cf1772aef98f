import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

export interface Options {
  /** The base URL (absolute, or a root-relative path) the HTML's relative references resolve against; by default the file's `data.base`. */
  base?: string;
}

/** The attributes that hold one URL, and the one that holds a list of them (`srcset`). */
const URL_PROPERTIES = ['href', 'src', 'poster', 'cite', 'longDesc', 'action', 'data'];
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const RELATIVE_ORIGIN = 'http://relative.invalid';

/**
 * Relative `href`/`src` in imported HTML made absolute against the entry's base (its `xml:base`,
 * RFC 3986 §5): off its old site a relative link or image points nowhere. An in-page `#anchor`
 * stays as it is; with a base that is only a path, references resolve to root-relative paths.
 */
export default function rehypeResolveUrls(options: Options = {}) {
  return (tree: Root, file?: VFile) => {
    const base = options.base ?? (file?.data.base as string | undefined);
    if (!base) return;
    const resolve = resolverFor(base);
    if (!resolve) return;
    visit(tree, 'element', (node: Element) => {
      for (const name of URL_PROPERTIES) {
        const value = node.properties[name];
        if (typeof value === 'string') node.properties[name] = resolve(value);
      }
      const srcSet = node.properties.srcSet;
      // hast splits srcset at commas: each candidate is a URL, then a width or density.
      if (Array.isArray(srcSet)) Object.assign(node.properties, { srcSet: srcSet.map((candidate) => String(candidate).replace(/^\s*(\S+)/, (_, url: string) => resolve(url))) });
    });
  };
}

function resolverFor(base: string): ((reference: string) => string) | undefined {
  const absolute = SCHEME.test(base);
  if (!absolute && !base.startsWith('/')) return undefined;
  if (absolute && !URL.canParse(base)) return undefined;
  const anchor = absolute ? base : RELATIVE_ORIGIN + base;
  return (reference) => {
    const trimmed = reference.trim();
    if (trimmed === '' || trimmed.startsWith('#') || SCHEME.test(trimmed)) return reference;
    if (!absolute && trimmed.startsWith('//')) return reference;
    if (!URL.canParse(trimmed, anchor)) return reference;
    const url = new URL(trimmed, anchor).href;
    return absolute ? url : url.slice(RELATIVE_ORIGIN.length);
  };
}
