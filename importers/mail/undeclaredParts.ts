import PostalMime, { type Email } from 'postal-mime';
import { decodeCharset, isUtf8 } from './charset.ts';

/**
 * postal-mime with one rule changed: a text part that names no charset and whose bytes are not
 * UTF-8 is read as windows-1252 (or the source's `encoding`), as mutt, Thunderbird and Python do;
 * postal-mime reads it as UTF-8 and every 8-bit letter becomes U+FFFD. postal-mime has no option
 * for it, so this hooks its per-part text test, the one step that sees every inline text part
 * before it is decoded.
 */

/** The part of postal-mime's MimeNode this reads (internal to postal-mime, stable across 4.x). */
interface TextPart {
  content: ArrayBuffer | null;
  contentType: { parsed: { params: Record<string, string> } };
}

interface ParserInternals {
  isInlineTextNode(node: TextPart): boolean;
}

class UndeclaredCharsetParser extends PostalMime {
  /** Text parts read in the fallback charset. */
  undeclaredParts = 0;

  constructor(private readonly fallback: string) {
    super({ attachmentEncoding: 'arraybuffer' });
  }

  isInlineTextNode(node: TextPart): boolean {
    const inline = (PostalMime.prototype as unknown as ParserInternals).isInlineTextNode.call(this, node);
    if (inline && node.content && !node.contentType.parsed.params.charset && !isUtf8(node.content)) {
      // Decoded here and handed back as UTF-8, so postal-mime's own decoder reads it right.
      const text = decodeCharset(new Uint8Array(node.content), this.fallback);
      const bytes = Buffer.from(text, 'utf8');
      node.content = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      this.undeclaredParts++;
    }
    return inline;
  }
}

/** A MIME message parsed by postal-mime, and how many of its text parts were 8-bit with no charset. */
export async function parseMime(message: Buffer, fallback: string): Promise<{ email: Email; undeclaredParts: number }> {
  const parser = new UndeclaredCharsetParser(fallback);
  const email = await parser.parse(message);
  return { email, undeclaredParts: parser.undeclaredParts };
}
