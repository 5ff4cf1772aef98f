import { analyse } from 'chardet';
import { decodeCharset, hasEightBit } from './charset.ts';

/**
 * The charset of 8-bit bodies that name none. Mailman writes a Pipermail volume's bodies in the
 * list's charset (HyperArch's as_text) and declares nothing, so a Polish list's `.txt` is
 * ISO-8859-2 that windows-1252 would turn into "³añcuch", "¿e". chardet (ICU's detector) reads a
 * sample of a volume's bodies that are not UTF-8 and names the charset.
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Enough text for chardet's n-gram statistics; more only costs time. */
const SAMPLE_BYTES = 64 * 1024;
/** Below this chardet is guessing at random: keep windows-1252, what mail readers assume. */
const MIN_CONFIDENCE = 10;

/** A volume's bodies that are 8-bit and not UTF-8, sampled message by message. */
export class UndeclaredText {
  /** How many messages had such a body. */
  messages = 0;
  private sample: Buffer[] = [];
  private sampled = 0;

  add(body: Uint8Array): void {
    if (!hasEightBit(body)) return;
    try {
      strictUtf8.decode(body);
      return;
    } catch {
      this.messages++;
    }
    if (this.sampled >= SAMPLE_BYTES) return;
    const part = Buffer.from(body.subarray(0, SAMPLE_BYTES - this.sampled));
    this.sample.push(part);
    this.sampled += part.length;
  }

  /** The best guess (a TextDecoder label) and chardet's confidence, or undefined when every body is ASCII or UTF-8. */
  guess(): { charset: string; confidence: number } | undefined {
    if (this.messages === 0) return undefined;
    const best = analyse(Buffer.concat(this.sample)).find(
      (match) => match.name !== 'UTF-8' && isKnownCharset(match.name),
    );
    this.sample = [];
    // ISO-8859-1 mail is windows-1252 in practice (curly quotes in 0x80–0x9F); charset.ts decodes it so.
    if (!best || best.confidence < MIN_CONFIDENCE || best.name === 'ISO-8859-1')
      return { charset: 'windows-1252', confidence: best?.confidence ?? 0 };
    return { charset: best.name, confidence: best.confidence };
  }
}

/** Whether the TextDecoder knows a charset name (`--encoding`). */
export function isKnownCharset(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** A body that names no charset: UTF-8 when it is valid UTF-8, else in the charset the volume was found to be in. */
export function decodeUndeclared(bytes: Uint8Array, charset: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeCharset(bytes, charset);
  }
}
