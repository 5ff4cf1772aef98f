import type { Element, Text as HastText } from 'hast';
import type { Html, Link, PhrasingContent, Root, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { SKIP, visit } from 'unist-util-visit';
import { toText } from 'hast-util-to-text';
import { changeHtmlTable } from '../convert/blockTableToHtml.ts';
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
    visit(tree, 'html', hideAddressesInTable);
  };
}

/** A table kept as HTML (src/convert/blockTableToHtml.ts) publishes no address either: its `mailto:` links become their text, addresses `user at host`. */
function hideAddressesInTable(node: Html): void {
  node.value = changeHtmlTable(node.value, (table) => {
    let changed = false;
    visit(table, (child) => {
      if (child.type === 'text') {
        const value = obfuscate((child as HastText).value);
        changed ||= value !== (child as HastText).value;
        (child as HastText).value = value;
      } else if (child.type === 'element' && (child as Element).tagName === 'a') {
        const element = child as Element;
        const href = String(element.properties.href ?? '');
        if (!/^(?:mailto|xmpp):/i.test(href)) return;
        const address = href.replace(/^(?:mailto|xmpp):/i, '').replace(/\?.*$/s, '');
        delete element.properties.href;
        if (!toText(element).includes(address))
          element.children.push({ type: 'text', value: ` (${obfuscate(address)})` });
        changed = true;
      }
    });
    return changed;
  });
}

/** A link that must not be one, as its text with addresses obfuscated; an address the text hid is added in parentheses. */
function withoutAddress(link: Link): PhrasingContent[] {
  const children = link.children.map((child) =>
    child.type === 'text' ? { ...child, value: obfuscate(child.value) } : child,
  );
  const address = link.url.replace(/^mailto:/i, '').replace(/\?.*$/s, '');
  if (!/^(?:mailto|xmpp):/i.test(link.url) || toString(link).includes(address)) return children;
  return [...children, { type: 'text', value: ` (${obfuscate(address)})` } as Text];
}

/** `user@host` → `user at host`, the way Mailman and Pipermail archives print addresses. */
export function obfuscate(text: string): string {
  return text
    .replace(/(?<![\w+\-.])mailto:(?=[\w+\-.]+@)/gi, '')
    .replace(/([\w+\-.]+)@([\w-]+(?:\.[\w-]+)+)/g, '$1 at $2');
}
