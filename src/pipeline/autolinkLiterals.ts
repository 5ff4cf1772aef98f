import type { Link, PhrasingContent, Root, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';
import { linkAutolinkLiterals } from '../url/findUrls.ts';
import { safeUrl } from '../url/normalizeUrl.ts';

/**
 * Bare URLs and `www.` addresses in imported text become links, by GFM's autolink-literal rules
 * (src/url/findUrls.ts), their targets normalized (punycode host, percent-encoded path); one the
 * WHATWG parser refuses (`http://999.1.1.1/`) stays text.
 * Email addresses never become links: a published archive is where spammers harvest them, so
 * bare addresses and `mailto:`/`xmpp:` links alike are written `user at host`, as list archives do.
 */
export default function autolinkLiterals() {
  return (tree: Root) => {
    const existing = new Set<Link>();
    visit(tree, 'link', (link: Link) => {
      existing.add(link);
    });
    linkAutolinkLiterals(tree);
    visit(tree, 'link', (link: Link, index, parent) => {
      if (!parent || index === undefined) return;
      const address = /^(?:mailto|xmpp):/i.test(link.url);
      if (!address && existing.has(link)) return;
      const url = address ? undefined : safeUrl(link.url);
      if (url !== undefined) {
        link.url = url;
        return SKIP;
      }
      parent.children.splice(index, 1, ...withoutAddress(link));
      return index;
    });
  };
}

/** A link that must not be one, as its text with addresses obfuscated; an address the text hid is added in parentheses. */
function withoutAddress(link: Link): PhrasingContent[] {
  const children = link.children.map((child) => (child.type === 'text' ? { ...child, value: obfuscate(child.value) } : child));
  const address = link.url.replace(/^mailto:/i, '').replace(/\?.*$/s, '');
  if (!/^(?:mailto|xmpp):/i.test(link.url) || toString(link).includes(address)) return children;
  return [...children, { type: 'text', value: ` (${obfuscate(address)})` } as Text];
}

/** `user@host` → `user at host`, the way Mailman and Pipermail archives print addresses. */
export function obfuscate(text: string): string {
  return text.replace(/(?<![\w+\-.])mailto:(?=[\w+\-.]+@)/gi, '').replace(/([\w+\-.]+)@([\w-]+(?:\.[\w-]+)+)/g, '$1 at $2');
}
