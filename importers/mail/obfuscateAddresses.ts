import type { Nodes, Root } from 'mdast';

/**
 * Mail addresses are never published verbatim: `Name <user@host>` shows the name, a bare address
 * becomes `user at host` (Pipermail's own spelling), in text, code (patches' `From:` and
 * `Signed-off-by:` lines) and links. URLs are left alone (lore-style links carry Message-IDs).
 */

const ADDRESS = String.raw`[\w.!#$%&'*+/=?^\`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+`;
/** `Name <addr>`, `<addr>`, a bare `addr`, and URLs (kept as they are). */
const PATTERN = new RegExp(
  String.raw`(\b[a-z][a-z0-9+.-]*://[^\s<>"]+)|([ \t]*)<(?:mailto:)?(${ADDRESS})>|(?<![\w.+-])(?:mailto:)?(${ADDRESS})`,
  'gi',
);

/** The address written so it still reads as one but is no longer harvested: `user at host`. */
export function obfuscateAddress(address: string): string {
  return address.replace('@', ' at ');
}

export function obfuscateText(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(
    PATTERN,
    (
      _match: string,
      url: string | undefined,
      space: string | undefined,
      bracketed: string | undefined,
      bare: string | undefined,
      offset: number,
      whole: string,
    ) => {
      if (url) return url;
      if (bracketed) {
        // A name before it on the same line stands for the person: drop the address.
        const before = whole.slice(whole.lastIndexOf('\n', offset) + 1, offset);
        // Gmail's `Name <a@b>wrote:` has no space after it: one stays between the name and the word.
        if (/[\p{L}\p{N}"')]\s*$/u.test(before) && !/:\s*$/.test(before))
          return /^[\p{L}\p{N}]/u.test(whole.slice(offset + _match.length)) ? ' ' : '';
        return `${space ?? ''}${obfuscateAddress(bracketed)}`;
      }
      return obfuscateAddress(bare!);
    },
  );
}

/** Every text, code and link of a tree with addresses obfuscated; mailto: links become their text. */
export function obfuscateTree(tree: Root): Root {
  // A loop of its own, not unist-util-visit: profiled, the visitor's bookkeeping cost more than the obfuscation of mostly address-free text.
  const walk = (children: Nodes[]) => {
    for (let index = 0; index < children.length; ) {
      const node = children[index];
      if (node.type === 'link' && /^mailto:/i.test(node.url)) {
        const label = node.children.map((child) => ('value' in child ? child.value : '')).join('');
        // The text that replaces the link is read in turn, at the same place.
        children.splice(index, 1, {
          type: 'text',
          value: obfuscateText(label.includes('@') ? label : node.url.replace(/^mailto:/i, '').split('?')[0]),
        });
        continue;
      }
      if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code' || node.type === 'html') {
        node.value = obfuscateText(node.value);
      } else if (
        (node.type === 'link' || node.type === 'image') &&
        node.url.includes('@') &&
        !/^[a-z][a-z0-9+.-]*:\/\//i.test(node.url)
      ) {
        node.url = '';
      }
      if ('title' in node && typeof node.title === 'string') node.title = obfuscateText(node.title);
      if ('children' in node) walk(node.children);
      index++;
    }
  };
  walk(tree.children);
  return tree;
}
