import type { Element, Root, RootContent } from 'hast';
import type { VFile } from 'vfile';

export interface Options {
  /** The base URL (absolute, or a root-relative path) the HTML's relative references resolve against; by default the file's `data.base`. */
  base?: string;
}

/** The attributes holding a URL that reach Markdown (links, images, video and audio, iframes). */
const URL_PROPERTIES = ['href', 'src', 'poster'];
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const RELATIVE_ORIGIN = 'http://relative.invalid';

/**
 * Relative `href`/`src` in imported HTML made absolute against the entry's base (its `xml:base`,
 * RFC 3986 §5): off its old site a relative link or image points nowhere. An `xml:base` inside
 * XHTML content applies to its subtree, against the base around it. An in-page `#anchor` stays as
 * it is; with a base that is only a path, references resolve to root-relative paths.
 */
export default function rehypeResolveUrls(options: Options = {}) {
  return (tree: Root, file?: VFile) => {
    const base = options.base ?? (file?.data.base as string | undefined);
    for (const node of tree.children) resolveIn(node, base);
  };
}

function resolveIn(node: RootContent, base: string | undefined): void {
  if (node.type !== 'element') return;
  const own = node.properties.xmlBase;
  if (typeof own === 'string')
    base = SCHEME.test(own.trim()) && URL.canParse(own.trim()) ? own.trim() : (resolve(own, base) ?? base);
  if (base !== undefined) resolveProperties(node, base);
  for (const child of node.children) resolveIn(child, base);
  if (node.tagName === 'template' && node.content) for (const child of node.content.children) resolveIn(child, base);
}

function resolveProperties(node: Element, base: string): void {
  for (const name of URL_PROPERTIES) {
    const value = node.properties[name];
    if (typeof value === 'string') node.properties[name] = resolve(value, base) ?? value;
  }
}

/** A relative reference against a base (absolute, or a path); undefined when it is not one to resolve (a fragment, another scheme, nothing to resolve against). */
function resolve(reference: string, base: string | undefined): string | undefined {
  const trimmed = reference.trim();
  if (base === undefined || trimmed === '' || trimmed.startsWith('#') || SCHEME.test(trimmed)) return undefined;
  const absolute = SCHEME.test(base);
  if (!absolute && (!base.startsWith('/') || trimmed.startsWith('//'))) return undefined;
  const anchor = absolute ? base : RELATIVE_ORIGIN + base;
  if (!URL.canParse(trimmed, anchor)) return undefined;
  const url = new URL(trimmed, anchor).href;
  return absolute ? url : url.slice(RELATIVE_ORIGIN.length);
}
