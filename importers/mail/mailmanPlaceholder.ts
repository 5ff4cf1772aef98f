import type { Headers } from './headers.ts';

/**
 * Mailman's stand-in for an article it keeps no sender for: HyperArch's as_text writes
 * `From bogus@does.not.exist.com` when the article's address is empty, and a lost message
 * (seen in whole BerliOS volumes) is left with that, "No subject" and no body. The article still
 * had its NNNNNN.html page, so it keeps its number in the volume.
 */

const PLACEHOLDER_ADDRESS = 'bogus@does.not.exist.com';

/** Whether the From field is Mailman's placeholder address (`bogus@does.not.exist.com ()`, or ` at ` written). */
export function isPlaceholderSender(from: string | undefined): boolean {
  const address = /^\s*(\S+(?: at \S+)?)/
    .exec(from ?? '')?.[1]
    .toLowerCase()
    .replace(' at ', '@');
  return address === PLACEHOLDER_ADDRESS;
}

/** Whether a message is a placeholder for one whose text is gone: the placeholder sender and nothing but blank lines. */
export function isMailmanPlaceholder(headers: Headers, body: Uint8Array): boolean {
  if (!isPlaceholderSender(headers.get('from'))) return false;
  for (const byte of body) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  return true;
}
