import type { Nodes, Paragraph, Root } from 'mdast';
import { ADDRESS_FORMS, addressKey, localPart } from './mailAuthor.ts';

/**
 * Addresses where a person is meant, as the person's name. Attribution lines ("On Mon, jane at
 * doe.com wrote:", "jane@doe @end|ng |rom ex@mp|e@com wrote:") and subjects name the person: the
 * sender's name where the archive knows it from a From field, else the address's local part; an
 * address after a name (`Jane Doe <jane at doe.com>`) is dropped. Other addresses in a body keep
 * the obfuscated `user at host` form.
 */

const ATTRIBUTION_END =
  /(?:wrote|writes|said|says|a écrit|schrieb|escribió|scrisse|ha scritto|napisał|napsal|skrev|kirjoitti|escreveu|schreef)\s*:\s*$/i;
/** Longer than this, a paragraph ending in "wrote:" is prose, not an attribution. */
const MAX_ATTRIBUTION = 400;
/** Long runs of hex or of digits: the left side of a Message-ID, never of a person's address. */
const MESSAGE_ID_LOCAL_PART = /[0-9a-f]{16,}|\d{8,}/i;
const ADDRESS = new RegExp(String.raw`([ \t]?)(<)?(?:mailto:)?(${ADDRESS_FORMS})>?(?:\s*\(([^()\n]{1,80})\))?`, 'g');

export function nameAttributions(tree: Root, nameOf: (key: string) => string | undefined): Root {
  const walk = (node: Nodes) => {
    if (node.type === 'paragraph') rename(node, nameOf);
    else if ('children' in node) node.children.forEach(walk);
  };
  walk(tree);
  return tree;
}

function rename(paragraph: Paragraph, nameOf: (key: string) => string | undefined): void {
  const text = paragraph.children
    .map((child) => (child.type === 'text' ? child.value : child.type === 'break' ? '\n' : ''))
    .join('');
  if (text.length > MAX_ATTRIBUTION || !ATTRIBUTION_END.test(text)) return;
  for (const child of paragraph.children)
    if (child.type === 'text') child.value = addressesToNames(child.value, nameOf);
}

/** Every address in a text (an attribution line, a subject) as the person's name, else its local part. */
export function addressesToNames(text: string, nameOf: (key: string) => string | undefined): string {
  return text.replace(
    ADDRESS,
    (
      match: string,
      space: string,
      bracket: string | undefined,
      address: string,
      comment: string | undefined,
      offset: number,
      whole: string,
    ) => {
      const before = whole.slice(whole.lastIndexOf('\n', offset) + 1, offset);
      // `In message <0CE8B6BE3C4AD74AB97D…@CORPEXCH1…> you wrote:` (MH, nmh): a Message-ID, not a person.
      if (/\bmessage\s*$/i.test(before) || MESSAGE_ID_LOCAL_PART.test(localPart(address))) return match;
      // `Jane Doe <jane at doe.com>`: the name is there already.
      // Gmail's `Jane Doe <jane at doe.com>wrote:` has no space after the address: one is kept between the name and the word.
      if (bracket && /[\p{L}\p{N}"')]$/u.test(before))
        return /^[\p{L}\p{N}]/u.test(whole.slice(offset + match.length)) ? ' ' : '';
      const named = comment && !new RegExp(ADDRESS_FORMS).test(comment) ? comment.trim() : undefined;
      return `${space}${named || nameOf(addressKey(address)) || localPart(address)}`;
    },
  );
}
