/**
 * Threads by the JWZ algorithm (https://www.jwz.org/doc/threading.html) over References and
 * In-Reply-To, with the refinements notmuch's threading tests expect. Hand-written: nothing on npm
 * implements it. Subjects never merge threads (public-inbox's rule): a reply whose parent is missing
 * hangs under a placeholder for that parent, and the placeholder's id is the thread's id.
 *
 * - A real message's parent comes from its own headers only: In-Reply-To when that message exists,
 *   else the last References entry that exists, else a placeholder (In-Reply-To's, else the last
 *   reference's). So a "fake root" whose In-Reply-To points nowhere still joins its real thread.
 * - References chains link placeholders (first come, newest message first); a real message with no
 *   parent of its own may hang under a placeholder (RT's auto-replies name the ticket above the
 *   message that opened it), never under another real message on a third party's word.
 * - A link that would close a loop is not made: in a loop the older message stays the parent.
 *
 * Ids are interned to numbers (importers/mail/stringTable.ts): a 1 GB archive's ids and references then fit in a few MB.
 */

/** The messages to thread, by position: a table, so a million messages cost no million objects. */
export interface ThreadSource {
  readonly count: number;
  id(index: number): number;
  /** The In-Reply-To id, or -1. */
  inReplyTo(index: number): number;
  references(index: number): ArrayLike<number>;
  /** Milliseconds since the epoch; orders the work so the result does not depend on input order. */
  time(index: number): number;
  /** Positions to leave out (repeated Message-IDs). */
  skipped(index: number): boolean;
}

/** Where each message sits, indexed by id number: parent (-1: none; a placeholder when `placeholder` is 1) and the id at the top. */
export interface ThreadPlaces {
  parent: Int32Array;
  placeholder: Uint8Array;
  thread: Int32Array;
}

/** Steps taken up parent chains: what could grow faster than the input. Counted so tests check the work, not a clock that a loaded machine stretches. */
export interface ThreadWork {
  steps: number;
}

const NONE = -1;

/** Places every message in its thread. `idCount` bounds every id number (StringTable.size). */
export function threadMessages(messages: ThreadSource, idCount: number, work: ThreadWork = { steps: 0 }): ThreadPlaces {
  const parent = new Int32Array(idCount).fill(NONE);
  const children = new Int32Array(idCount);
  const real = new Uint8Array(idCount);
  const order: number[] = [];
  for (let index = 0; index < messages.count; index++) {
    if (messages.skipped(index)) continue;
    real[messages.id(index)] = 1;
    order.push(index);
  }

  /** Whether `ancestor` is `node` or above it. A container without children is nobody's ancestor. */
  const isAncestorOrSelf = (ancestor: number, node: number): boolean => {
    if (ancestor === node) return true;
    if (children[ancestor] === 0) return false;
    for (let current = parent[node]; current !== NONE; current = parent[current]) {
      work.steps++;
      if (current === ancestor) return true;
    }
    return false;
  };
  const link = (child: number, newParent: number): boolean => {
    if (isAncestorOrSelf(child, newParent)) return false;
    if (parent[child] !== NONE) children[parent[child]]--;
    parent[child] = newParent;
    children[newParent]++;
    return true;
  };
  // References chains give parents to placeholders, and to real messages without one only under a placeholder.
  const linkPlaceholder = (child: number, newParent: number) => {
    if (parent[child] === NONE && !(real[child] && real[newParent])) link(child, newParent);
  };

  order.sort((a, b) => messages.time(b) - messages.time(a) || messages.id(a) - messages.id(b));
  for (const index of order) {
    const self = messages.id(index);
    const references = Array.from(messages.references(index)).filter((id) => id !== self);
    for (let position = 0; position + 1 < references.length; position++)
      linkPlaceholder(references[position + 1], references[position]);
    const inReplyTo = messages.inReplyTo(index) !== self ? messages.inReplyTo(index) : NONE;
    const last = references.at(-1);
    if (inReplyTo !== NONE && last !== undefined && inReplyTo !== last && !real[inReplyTo])
      linkPlaceholder(inReplyTo, last);
    const candidates: number[] = [];
    if (inReplyTo !== NONE && real[inReplyTo]) candidates.push(inReplyTo);
    for (let position = references.length - 1; position >= 0; position--)
      if (real[references[position]]) candidates.push(references[position]);
    const placeholder = inReplyTo !== NONE ? inReplyTo : last;
    if (placeholder !== undefined) candidates.push(placeholder);
    for (const candidate of candidates) if (link(self, candidate)) break;
  }

  const thread = new Int32Array(idCount).fill(NONE);
  const rootOf = (node: number): number => {
    const path: number[] = [];
    let current = node;
    while (parent[current] !== NONE && thread[current] === NONE) {
      work.steps++;
      path.push(current);
      current = parent[current];
    }
    const top = thread[current] === NONE ? current : thread[current];
    for (const step of path) thread[step] = top;
    return top;
  };
  const placeholder = new Uint8Array(idCount);
  for (const index of order) {
    const self = messages.id(index);
    thread[self] = rootOf(self);
    if (parent[self] !== NONE && !real[parent[self]]) placeholder[self] = 1;
  }
  return { parent, placeholder, thread };
}
