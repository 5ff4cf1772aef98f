import { InputError } from '../src/errors.ts';
import type { Entry } from '../src/model.ts';

/** The input formats `almanac import --format` accepts (besides `auto`). */
export type Format = 'blogger' | 'roller' | 'wordpress' | 'atom' | 'rss' | 'mbox' | 'pipermail';

/** Everything an importer may touch comes in through the context; nothing reaches out. */
export interface ImportContext {
  /** The source id: the folder under content/. */
  readonly source: string;
  /** The old site's address (`--old-base`), for inputs that do not carry it. */
  readonly oldBase?: string;
  /** Format-specific options from the command line or the config file. */
  readonly options: Readonly<Record<string, unknown>>;
  /** A problem that did not stop the entry from being imported. */
  warn(message: string, id?: string): void;
  /** An input entry that is not written as a document of its own, and why. */
  skip(id: string, reason: string): void;
  /** Progress through the input, for the progress bar: done and total units (bytes or entries). */
  progress(done: number, total: number): void;
}

/**
 * One input format. `entries` yields every document of the input; what is not a document
 * (settings, deleted items) is reported through `context.skip`, never dropped silently.
 * Problems that make the whole input unreadable are thrown as InputError.
 */
export interface Importer {
  readonly name: Format;
  /** Whether a file starting with these characters is of this format (the path is a hint only). */
  sniff(head: string, path: string): boolean;
  entries(inputs: readonly string[], context: ImportContext): AsyncIterable<Entry>;
  /**
   * Streaming importers (mail) are written entry by entry in bounded memory; the others are
   * collected first, so permalinks and links between posts are planned over the whole source.
   */
  readonly streaming?: boolean;
}

/** Thrown by an importer given a file of another format (`--format blogger` on a plain Atom feed); the caller says which format it looks like. */
export class NotThisFormat extends InputError {
  /** What the importer expected, with its article: `a Blogger export`. */
  readonly expected: string;

  constructor(file: string, expected: string) {
    super(file, `this is not ${expected}`);
    this.expected = expected;
  }
}
