import path from 'node:path';

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

/** What the machine said, in words, and what the user does about it. */
const MACHINE_FAULTS: Record<string, { says: string; next: string }> = {
  ENOSPC: {
    says: 'no space left on device',
    next: 'free some space and run the same command again: it continues where it stopped',
  },
  EDQUOT: {
    says: 'disk quota exceeded',
    next: 'free some space (or ask for a larger quota) and run the same command again: it continues where it stopped',
  },
  EACCES: {
    says: 'permission denied',
    next: 'give your user access to that folder, or choose another with --out, and run the same command again',
  },
  EPERM: {
    says: 'operation not permitted',
    next: 'give your user access to that folder, or choose another with --out, and run the same command again',
  },
  EROFS: {
    says: 'read-only file system',
    next: 'choose a folder on a writable file system with --out, or remount it read-write, and run the same command again',
  },
  EMFILE: {
    says: 'too many open files',
    next: 'raise the limit of open files (ulimit -n 4096) and run the same command again: it continues where it stopped',
  },
  ENFILE: {
    says: 'too many open files in the system',
    next: 'close other programs or raise the system limit (fs.file-max) and run the same command again: it continues where it stopped',
  },
  ENOENT: { says: 'no such file or folder', next: 'check the path and run the same command again' },
  EISDIR: { says: 'is a folder', next: 'give the path of a file, not of a folder' },
  ENOTDIR: {
    says: 'a file stands where a folder is needed',
    next: 'move that file away or choose another folder, and run the same command again',
  },
  ENAMETOOLONG: {
    says: 'file name too long',
    next: 'choose a shorter output folder (--out) or source id, and run the same command again',
  },
};

/** What each system call did, as the user would say it. */
const OPERATIONS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  rename: 'write',
  mkdir: 'create the folder',
  scandir: 'read the folder',
  opendir: 'read the folder',
  rmdir: 'remove the folder',
  unlink: 'remove',
  rm: 'remove',
  stat: 'read',
  lstat: 'read',
  copyfile: 'copy',
  link: 'write',
  symlink: 'write',
  fsync: 'write',
  close: 'write',
  ftruncate: 'write',
  utime: 'write',
  chmod: 'write',
};

/**
 * The machine refused an operation (disk full, no permission, a read-only file system, too many
 * open files): exit 1, one line naming the operation and the path, what was done before it
 * stopped, and what to do next. Never "a bug".
 */
export class MachineFault extends Error {
  readonly code: string;
  readonly operation: string;
  readonly path: string | undefined;
  /** What was done before it stopped ("12 of 40 documents written"), set by the command that knows. */
  done: string | undefined;

  constructor(code: string, operation: string, file: string | undefined, done?: string) {
    super(`cannot ${operation}${file ? ` ${file}` : ''}: ${MACHINE_FAULTS[code].says} (${code})`);
    this.name = 'MachineFault';
    this.code = code;
    this.operation = operation;
    this.path = file;
    this.done = done;
  }

  /** `cannot write content/x/a.md: no space left on device (ENOSPC); 12 of 40 documents written; free some space and …` */
  toLine(): string {
    const reading = this.operation === 'read' || this.operation === 'read the folder';
    const next =
      reading && (this.code === 'EACCES' || this.code === 'EPERM')
        ? 'make it readable for your user and run the same command again'
        : MACHINE_FAULTS[this.code].next;
    return [this.message, this.done, next].filter(Boolean).join('; ');
  }
}

/** Node's own error of a system call (`code`, `syscall`, `path`), or the same fields sent across a thread boundary. */
export interface SystemCallError {
  code?: unknown;
  syscall?: unknown;
  path?: unknown;
  dest?: unknown;
  message?: unknown;
}

/**
 * `error` as a MachineFault when it is one of the machine's (its code is one of MACHINE_FAULTS), else
 * undefined. `file` names the path when the system call had none (a write to an open file) or had a
 * temporary one (the document being written, not its temporary twin); `operation` likewise.
 */
export function machineFault(error: unknown, file?: string, operation?: string): MachineFault | undefined {
  if (error instanceof MachineFault) return error;
  const system = error as SystemCallError | undefined;
  if (!system || typeof system.code !== 'string' || !(system.code in MACHINE_FAULTS)) return undefined;
  const syscall = typeof system.syscall === 'string' ? system.syscall : '';
  const named = file ?? (typeof system.path === 'string' ? system.path : undefined) ?? pathInMessage(system.message);
  return new MachineFault(
    system.code,
    operation ?? OPERATIONS[syscall] ?? (syscall || 'use'),
    named === undefined ? undefined : shownPath(named),
  );
}

/** libuv's message names the path after the syscall: "ENOSPC: no space left on device, open '/x/a.md'". */
function pathInMessage(message: unknown): string | undefined {
  return typeof message === 'string' ? /, \w+ '([^']+)'/.exec(message)?.[1] : undefined;
}

/** Relative to the working directory when below it, as the user typed it; else absolute. */
export function shownPath(file: string): string {
  const absolute = path.resolve(file);
  const relative = path.relative(process.cwd(), absolute);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolute;
}

/** Another almanac holds the folder (src/folderLock.ts): exit 1, naming it and `--wait`. */
export class FolderInUse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderInUse';
  }
}
