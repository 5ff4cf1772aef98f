import { addressParser, decodeWords } from 'postal-mime';

/**
 * Who wrote a message, as the site may show it: a name, never an address. The From field comes in
 * the forms of real archives: `Name <user@host>`; Pipermail's `user at host (Name)`, with the
 * address as Mailman 2.0 left it (`user@host (Name)`) or as large installs rewrite it
 * (`jane@doe @end|ng |rom ex@mp|e@com (Jane Doe)`: "sending from", letters replaced, not reversible);
 * and `addr (addr)` when the sender gave no name, which Pipermail writes with the address twice.
 */

export interface Sender {
  name?: string;
  /** The address as the archive wrote it (`user@host`, `user at host`, `x @end|ng |rom y`). */
  address?: string;
}

/** How an author was chosen, for the import's one warning about senders without a name. */
export type AuthorSource = 'name' | 'local part' | 'list' | 'address' | 'none';

/** An address in any of the archives' spellings, anywhere in a text. Every part is bounded (RFC 5321's sizes), so a long hostile line costs linear time. */
const LOCAL = String.raw`[\w.!#$%&'*+/=?^\`{|}~-]{1,64}`;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const OBFUSCATED = String.raw`[^\s<>()"',;]{1,64} @end\|ng \|rom [^\s<>()"',;]{1,253}`;
export const ADDRESS_FORMS = `${OBFUSCATED}|${LOCAL} at ${LABEL}(?:\\.${LABEL}){0,8}\\.[A-Za-z]{2,24}|${LOCAL}@${LABEL}(?:\\.${LABEL}){1,8}`;
const ADDRESS_ANYWHERE = new RegExp(ADDRESS_FORMS, 'g');
/** A whole field that is one address; the local part may hold any byte an archive left there (`lucíacharlie at …`). */
const WHOLE_ADDRESS = /^(?:\S+ @end\|ng \|rom \S+|\S+ at \S+\.\S+|\S+@\S+)$/;
/** `addr (Name)`: Pipermail's form, and RFC 822's comment. */
const ADDRESS_THEN_NAME = /^([^()<>"]+)\(((?:[^()\\]|\\.|\([^()]*\))*)\)$/;
/** `Name <addr>`, whatever the address looks like inside the brackets. */
const NAME_THEN_ADDRESS = /^(?:"((?:[^"\\]|\\.)*)"\s*|([^<>"]*))<([^<>]*)>$/;
/** Senders that are the list's software, not a person: shown as the list. */
const LIST_ROBOT =
  /^(?:mailman|listserv|majordomo|listproc|ezmlm|sympa|mailer[-_]daemon|postmaster)$|^(?:owner|mailman)-|[-+](?:request|owner|bounces?)(?:\+.*)?$/i;

export function senderOf(field: string | undefined): Sender {
  if (!field?.trim()) return {};
  // No real From field is longer; a hostile one must not make the patterns below slow.
  const from = field.slice(0, 1024).trim();
  // The patterns read a trimmed field, their parts trimmed after: no two quantifiers compete for the same spaces.
  const pipermail = ADDRESS_THEN_NAME.exec(from);
  if (pipermail && isAddress(pipermail[1].trim()))
    return { address: pipermail[1].trim(), name: personName(pipermail[2], pipermail[1].trim()) };
  const bracketed = NAME_THEN_ADDRESS.exec(from);
  if (bracketed && isAddress(bracketed[3].trim()))
    return { address: bracketed[3].trim(), name: personName(bracketed[1] ?? bracketed[2] ?? '', bracketed[3]) };
  if (isAddress(from.trim())) return { address: from.trim() };
  const [first] = addressParser(from, { flatten: true });
  if (!first) return { name: personName(from, '') };
  return { address: first.address || undefined, name: personName(first.name, first.address ?? '') };
}

function isAddress(text: string): boolean {
  return WHOLE_ADDRESS.test(text);
}

/** The name as a person's: encoded-words decoded, quotes and spaces trimmed, and no address in it (`"jane@doe.com"`, `(list-admin at example.org)`). */
function personName(raw: string, address: string): string | undefined {
  let name = decodeWords(raw).replace(/\\(.)/g, '$1');
  if (address && name.trim().toLowerCase() === address.trim().toLowerCase()) return undefined;
  name = name.replace(ADDRESS_ANYWHERE, ' ').replace(/<\s*>|\(\s*\)|\[\s*\]/g, ' ');
  const cleaned = name
    .replace(/\s+/g, ' ')
    .replace(/^["'\s,;:<>-]+|["'\s,;:<>-]+$/g, '')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

/** The part before the @ (or before ` at `, or ` @end|ng |rom `), as the archive wrote it. */
export function localPart(address: string): string {
  const cut =
    /^(.*?) @end\|ng \|rom /.exec(address)?.[1] ??
    /^(.*?) at /.exec(address)?.[1] ??
    address.slice(0, Math.max(0, address.lastIndexOf('@')));
  return cut.trim() || address;
}

/** The author to publish: the name; without one, the list for its robots, else the address's local part. */
export function authorOf(
  sender: Sender,
  options: { showAddresses: boolean; list?: string },
): { author?: string; source: AuthorSource } {
  if (sender.name) return { author: sender.name, source: 'name' };
  if (!sender.address) return { source: 'none' };
  if (options.showAddresses) return { author: sender.address.replace(/^(\S+) at (\S+)$/, '$1@$2'), source: 'address' };
  const local = localPart(sender.address);
  if (options.list && LIST_ROBOT.test(local.replace(/^"|"$/g, ''))) return { author: options.list, source: 'list' };
  return { author: local, source: 'local part' };
}

/** The key an address is known by in bodies, where it is published as `user at host` (or the install's own spelling). */
export function addressKey(address: string): string {
  return address
    .trim()
    .toLowerCase()
    .replace(/^([^\s@]+)@([^\s@]+)$/, '$1 at $2');
}
