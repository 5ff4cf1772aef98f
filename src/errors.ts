/**
 * Errors the user can act on. The CLI prints their message as one line and exits with
 * their status; anything else is a bug and is reported as one.
 */

/** Bad input: exit 1, one line naming the file (and line:column where known). */
export class InputError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;

  constructor(file: string, message: string, position: { line?: number; column?: number } = {}) {
    super(message);
    this.name = 'InputError';
    this.file = file;
    this.line = position.line;
    this.column = position.column;
  }

  /** `file:line:column: message`, the form editors and terminals link to. */
  toLine(): string {
    const where = [this.file, this.line, this.line === undefined ? undefined : this.column]
      .filter((part) => part !== undefined)
      .join(':');
    return `${where}: ${this.message}`;
  }
}

/** The command line itself is wrong: exit 2, with a hint at `--help`. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A check found problems (broken links, conflicting redirects): exit 1. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/** The output folder refuses the write (a symbolic link out of it, a path that would leave it): exit 1. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}
