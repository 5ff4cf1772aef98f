/**
 * Strings ↔ small integers, held as UTF-8 in one growing Buffer with an open-addressing hash index
 * in an Int32Array: a string costs its bytes plus ~12, where a Map or Set of strings costs ~100
 * (measured: a 460,000-message import kept ~1.3 KB of live heap a message in Maps, Sets and objects).
 * Exact: a hash match is confirmed byte for byte. (UTF-8: a lone surrogate reads back as U+FFFD.)
 */
export class StringTable {
  private bytes: Buffer = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private starts: Int32Array = new Int32Array(1024);
  private hashes: Int32Array = new Int32Array(1024);
  /** Slots hold a number + 1; 0 is empty. Kept at most half full. */
  private slots: Int32Array = new Int32Array(2048);
  size = 0;

  /** The string numbered `number` (a new string each call). */
  get(number: number): string {
    return this.bytes.toString('utf8', this.starts[number], this.end(number));
  }

  private end(number: number): number {
    return number + 1 < this.size ? this.starts[number + 1] : this.used;
  }

  /** The number of `text`, added when new. */
  intern(text: string): number {
    // Written at the end of the arena, hashed there and compared there; kept only when new.
    if (this.used + text.length * 3 > this.bytes.length) this.growBytes(this.used + text.length * 3);
    const start = this.used;
    const length = this.bytes.write(text, start, 'utf8');
    const end = start + length;
    let hash = 0x811c9dc5; // FNV-1a
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ this.bytes[at], 0x01000193);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot];
      if (held === 0) break;
      const number = held - 1;
      if (this.hashes[number] === hash && this.bytes.compare(this.bytes, this.starts[number], this.end(number), start, end) === 0) return number;
    }
    if (this.size === this.starts.length) {
      this.starts = grown(this.starts);
      this.hashes = grown(this.hashes);
    }
    const number = this.size++;
    this.starts[number] = start;
    this.hashes[number] = hash;
    this.used = end;
    if (this.size * 2 > this.slots.length) this.rehash();
    else this.place(number);
    return number;
  }

  private place(number: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[number] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = number + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let number = 0; number < this.size; number++) this.place(number);
  }

  private growBytes(atLeast: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(atLeast, this.bytes.length * 2));
    this.bytes.copy(bigger, 0, 0, this.used);
    this.bytes = bigger;
  }
}

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * Strings ↔ small integers by a 64-bit fingerprint of each string, the strings themselves not kept:
 * ~20 bytes a string, for sets whose strings are never read back (the writer's ids, permalinks and files
 * of a 460,000-message import). Two strings with one fingerprint count as one: for a million strings,
 * a chance of about 3 in 100 million.
 */
export class StringFingerprints {
  private high: Int32Array = new Int32Array(1024);
  private low: Int32Array = new Int32Array(1024);
  /** Slots hold a number + 1; 0 is empty. Kept at most half full. */
  private slots: Int32Array = new Int32Array(2048);
  size = 0;

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
    a = mix(a);
    b = mix(b);
    const mask = this.slots.length - 1;
    for (let slot = a & mask; ; slot = (slot + 1) & mask) {
      const held = this.slots[slot];
      if (held === 0) break;
      if (this.high[held - 1] === a && this.low[held - 1] === b) return held - 1;
    }
    if (!add) return -1;
    if (this.size === this.high.length) {
      this.high = grown(this.high);
      this.low = grown(this.low);
    }
    const number = this.size++;
    this.high[number] = a;
    this.low[number] = b;
    if (this.size * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let each = 0; each < this.size; each++) this.place(each);
    } else this.place(number);
    return number;
  }

  private place(number: number): void {
    const mask = this.slots.length - 1;
    let slot = this.high[number] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = number + 1;
  }
}

function mix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}
