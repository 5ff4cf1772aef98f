import { resized } from './typedArrays.ts';

/**
 * Strings ↔ small integers, held as UTF-8 in 1 MB Buffers with an open-addressing hash index
 * in an Int32Array: a string costs its bytes plus ~12, where a Map or Set of strings costs ~100
 * (measured: a 460,000-message import kept ~1.3 KB of live heap a message in Maps, Sets and objects).
 * Chunks, not one growing Buffer: growing copies, and holds the old and the new at once (20 and 33 MB
 * for the Message-IDs of a 1 GB mbox). Exact: a hash match is confirmed byte for byte.
 * (UTF-8: a lone surrogate reads back as U+FFFD.)
 */
export class StringTable {
  private readonly chunks: Buffer[] = [];
  /** Where the last chunk's free space starts. */
  private used = CHUNK_BYTES;
  /** Each string's chunk number × CHUNK_BYTES + its start in that chunk, and its length in bytes. */
  private starts: Float64Array = new Float64Array(1024);
  private lengths: Int32Array = new Int32Array(1024);
  private readonly index = new HashIndex();

  get size(): number {
    return this.index.size;
  }

  /** The string numbered `number` (a new string each call). */
  get(number: number): string {
    const [chunk, start] = this.where(number);
    return chunk.toString('utf8', start, start + this.lengths[number]);
  }

  private where(number: number): [Buffer, number] {
    const at = this.starts[number];
    return [this.chunks[Math.floor(at / CHUNK_BYTES)], at % CHUNK_BYTES];
  }

  /** The number of `text`, added when new. */
  intern(text: string): number {
    // Written at the end of the last chunk, hashed there and compared there; kept only when new.
    const room = text.length * 3;
    if (this.used + room > CHUNK_BYTES) {
      this.chunks.push(Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room)));
      this.used = 0;
    }
    const chunk = this.chunks[this.chunks.length - 1];
    const start = this.used;
    const end = start + chunk.write(text, start, 'utf8');
    let hash = 0x811c9dc5; // FNV-1a
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ chunk[at], 0x01000193);
    const known = this.index.find(hash, (number) => {
      const [other, otherStart] = this.where(number);
      return (
        this.lengths[number] === end - start &&
        other.compare(chunk, start, end, otherStart, otherStart + end - start) === 0
      );
    });
    if (known !== -1) return known;
    if (this.size === this.starts.length) {
      this.starts = grown(this.starts);
      this.lengths = grown(this.lengths);
    }
    this.starts[this.size] = (this.chunks.length - 1) * CHUNK_BYTES + start;
    this.lengths[this.size] = end - start;
    this.used = end;
    return this.index.add(hash);
  }
}

/** A longer string gets a chunk of its own. */
const CHUNK_BYTES = 1 << 20;

/**
 * Strings ↔ small integers by a 64-bit fingerprint of each string, the strings themselves not kept:
 * ~20 bytes a string, for sets whose strings are never read back (the writer's ids, permalinks and files
 * of a 460,000-message import). Two strings with one fingerprint count as one: for a million strings,
 * a chance of about 3 in 100 million.
 */
export class StringFingerprints {
  /** The fingerprint's low half by number; the index holds the high half. */
  private low: Int32Array = new Int32Array(1024);
  private readonly index = new HashIndex();

  get size(): number {
    return this.index.size;
  }

  /** The number of `text`, added when new. */
  intern(text: string): number {
    return this.find(text, true);
  }

  /** The number of `text`, or -1 when it is not in the table. */
  lookup(text: string): number {
    return this.find(text, false);
  }

  has(text: string): boolean {
    return this.find(text, false) !== -1;
  }

  private find(text: string, add: boolean): number {
    // Two independent 32-bit hashes of the UTF-16 code units (FNV-1a and a MurmurHash2 step), each finished by MurmurHash3's mix.
    let a = 0x811c9dc5;
    let b = text.length ^ 0x9747b28c;
    for (let at = 0; at < text.length; at++) {
      const unit = text.charCodeAt(at);
      a = Math.imul(a ^ unit, 0x01000193);
      b = Math.imul(b ^ Math.imul(unit, 0x5bd1e995), 0x5bd1e995);
      b ^= b >>> 13;
    }
    const high = mix(a);
    const low = mix(b);
    const known = this.index.find(high, (number) => this.low[number] === low);
    if (known !== -1 || !add) return known;
    if (this.size === this.low.length) this.low = grown(this.low);
    this.low[this.size] = low;
    return this.index.add(high);
  }
}

/**
 * Numbers 0, 1, 2… by a 32-bit hash of what each stands for: open addressing with linear probing
 * in an Int32Array, kept at most half full. The tables above tell numbers of one hash apart.
 */
class HashIndex {
  private hashes: Int32Array = new Int32Array(1024);
  /** Slots hold a number + 1; 0 is empty. */
  private slots: Int32Array = new Int32Array(2048);
  size = 0;

  /** The number with this hash for which `same` holds, or -1. */
  find(hash: number, same: (number: number) => boolean): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const number = this.slots[slot] - 1;
      if (this.hashes[number] === hash && same(number)) return number;
    }
    return -1;
  }

  /** The next number, under this hash. */
  add(hash: number): number {
    if (this.size === this.hashes.length) this.hashes = grown(this.hashes);
    const number = this.size++;
    this.hashes[number] = hash;
    if (this.size * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let each = 0; each < this.size; each++) this.place(each);
    } else this.place(number);
    return number;
  }

  private place(number: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[number] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = number + 1;
  }
}

/** By half, not double: doubling leaves up to half of a table unused (a quarter on average), and while it copies, both are held. */
const GROWTH = 1.5;

function grown<T extends Int32Array | Float64Array>(array: T): T {
  return resized(array, Math.ceil(array.length * GROWTH));
}

function mix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}
