/**
 * WordPress exports (WXR, every version: 1.0 of WordPress 2.5 to 1.2 of today's). They are RSS on
 * the outside, and read as a feed they would lose pages, drafts, comments and attachments, so
 * they are recognised and refused until the WordPress importer exists: never imported as RSS.
 */
import { InputError } from '../src/errors.ts';
import type { Importer } from './importer.ts';
import { namespaceUris, rootElement, type XmlNode } from './xml.ts';

const WXR_NAMESPACE = /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/$/;

/** Its one line: what the file is, and that it cannot be imported yet. */
export function refuseWordPress(file: string): never {
  throw new InputError(file, 'this is a WordPress export (WXR); the WordPress importer is not available yet');
}

/** A parsed `<rss>` and its channel that are a WXR export: the WXR namespace declared, or a `wp:` element (WordPress.com leaves some prefixes undeclared). */
export function isWordPressDocument(top: XmlNode | undefined, channel: XmlNode | undefined): boolean {
  if (namespaceUris(top).some((uri) => WXR_NAMESPACE.test(uri))) return true;
  return Object.keys(channel ?? {}).some((key) => key.startsWith('wp:'));
}

const wordpress: Importer = {
  name: 'wordpress',

  sniff(head) {
    const root = rootElement(head);
    if (root?.name !== 'rss') return false;
    return (
      root.namespaces.some((uri) => WXR_NAMESPACE.test(uri)) ||
      /<wp:(wxr_version|base_site_url|base_blog_url)>/.test(head)
    );
  },

  // biome-ignore lint/correctness/useYield: it only refuses, until the WordPress importer lands
  async *entries(inputs) {
    refuseWordPress(inputs[0]);
  },
};

export default wordpress;
