/**
 * One almanac at a time per folder: an import per content folder (it reads every source there,
 * and relinks earlier imports' documents, not only its own source's), a build per output folder.
 * The lock is a file created with O_EXCL (atomic on every local file system) holding its owner's
 * PID, command and start; a lock whose process is gone (killed with -9) is taken over.
 * Hand-written: proper-lockfile, the kept library, tells stale locks by age (an mtime it refreshes
 * on a timer) and names no owner, where a PID answers at once and the user is told who holds it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FolderInUse, machineFault, shownPath } from './errors.ts';
import { onAbort } from './interrupt.ts';

interface LockOwner {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** Tells this process's lock from an earlier one of the same PID. */
  token: string;
  /** The kernel's start time of the holder (Linux), so a PID reused by another process is not taken for it. */
  started?: string;
}

export interface LockOptions {
  /** Wait for the other process instead of refusing (`--wait`). */
  wait?: boolean;
  /** Where the waiting and take-over lines go. */
  log?: (line: string) => void;
}

/** A content folder's lock: inside it, a dotfile that every reader of content/ skips. */
export function contentLockFile(folder: string): string {
  return path.join(path.resolve(folder), '.almanac.lock');
}

/** An output folder's lock: beside it, since a build swaps the folder itself (src/site/outputSwap.ts). */
export function outputLockFile(folder: string): string {
  // Beside the folder a link points to, where the build swaps it (outputSwap.ts).
  const absolute = existsSync(folder) ? realpathSync(folder) : path.resolve(folder);
  return path.join(path.dirname(absolute), `.${path.basename(absolute)}.almanac.lock`);
}

/** How often a waiting run looks again. */
const POLL_MS = 200;
/** A take-over in progress older than this was killed midway. */
const TAKEOVER_STALE_MS = 10_000;

/**
 * Takes the lock `file` for `folder`, or throws FolderInUse naming its holder (with `wait`, waits
 * for it). Returns the release, which is also run on exit and on a stop at once (src/interrupt.ts).
 */
export async function lockFolder(file: string, folder: string, options: LockOptions = {}): Promise<() => void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    command: commandLine(),
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
    started: processStart(process.pid),
  };
  try {
    createFolder(path.dirname(file));
  } catch (error) {
    const fault = machineFault(error);
    if (fault) fault.done = 'nothing written';
    throw fault ?? error;
  }
  let waitingFor: number | undefined;
  for (;;) {
    if (create(file, owner)) break;
    const holder = readOwner(file);
    if (!holder) {
      // Released meanwhile, or being written this instant.
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    if (!isRunning(holder)) {
      if (takeOver(file, holder))
        log(
          `almanac: ${shown(folder)} was locked by PID ${holder.pid} (${holder.command}, since ${when(holder.since)}), which is no longer running; lock taken over`,
        );
      // Another run is taking it over this instant: look again in a moment.
      else await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    if (!options.wait) {
      throw new FolderInUse(
        `${shown(folder)} is in use by another almanac: PID ${holder.pid}${holder.host === owner.host ? '' : ` on ${holder.host}`}, ${holder.command}, since ${when(holder.since)}; run again when it has finished, or add --wait to wait for it`,
      );
    }
    if (waitingFor !== holder.pid)
      log(
        `almanac: waiting for PID ${holder.pid} (${holder.command}, since ${when(holder.since)}) to finish with ${shown(folder)} …`,
      );
    waitingFor = holder.pid;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (waitingFor !== undefined) log(`almanac: ${shown(folder)} is free; going on`);
  let released = false;
  const release = (): undefined => {
    if (released) return;
    released = true;
    process.off('exit', release);
    removeAbort();
    if (readOwner(file)?.token === owner.token) rmSync(file, { force: true });
  };
  const removeAbort = onAbort(release);
  process.on('exit', release);
  return release;
}

/**
 * mkdir -p, failing with the real reason: Node's recursive mkdir says ENOENT where the first
 * folder it cannot create is on a read-only file system (measured on a read-only tmpfs), not EROFS.
 */
function createFolder(folder: string): void {
  if (existsSync(folder)) return;
  const parent = path.dirname(folder);
  if (parent !== folder) createFolder(parent);
  try {
    mkdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Creates the lock file with the owner's record; false when it exists. Written whole under a name of
 * its own, then linked into place: link() fails when the lock exists, atomically as O_EXCL does, and
 * the lock is never seen empty (a holder stopped between creating and filling it looked dead).
 */
function create(file: string, owner: LockOwner): boolean {
  const draft = draftOf(file, owner);
  try {
    writeFileSync(draft, JSON.stringify(owner));
    try {
      linkSync(draft, file);
    } catch (error) {
      // A file system without hard links (FAT, some network mounts): O_EXCL, filled at once.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? ''))
        throw error;
      writeFileSync(file, JSON.stringify(owner), { flag: 'wx' });
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    const fault = machineFault(error, file, 'create the lock');
    if (fault) fault.done = 'nothing written';
    throw fault ?? error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** The lock's owner; undefined when there is no lock, or it is being written (created, not yet filled: a moment). */
function readOwner(file: string): LockOwner | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    if (Number.isInteger(owner.pid)) return owner;
  } catch {
    // Empty or cut short: only on a file system without hard links, a holder killed between creating and filling it, if it stays so.
  }
  const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
  return age > TAKEOVER_STALE_MS
    ? {
        pid: 0,
        host: os.hostname(),
        command: 'an unknown command',
        since: new Date(Date.now() - age).toISOString(),
        token: '',
      }
    : undefined;
}

/** Whether the holder's process still runs; one on another host is taken to (its PID means nothing here). */
function isRunning(holder: LockOwner): boolean {
  if (holder.host !== os.hostname()) return true;
  if (holder.pid <= 0) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Alive, but perhaps another process that was given the same PID since (a reboot, a busy machine).
  const started = holder.started && processStart(holder.pid);
  return !started || started === holder.started;
}

/** Field 22 of /proc/<pid>/stat, the process's start in clock ticks since boot; undefined where there is no /proc. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Removes a dead holder's lock. Two runs may find the same dead lock: the one that creates the
 * take-over file (O_EXCL) removes it, after reading it again (the other may already have replaced it).
 */
function takeOver(file: string, dead: LockOwner): boolean {
  const guard = `${file}.takeover`;
  const guardAge = Date.now() - (statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
  if (guardAge > TAKEOVER_STALE_MS) rmSync(guard, { force: true });
  try {
    writeFileSync(guard, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw machineFault(error, guard, 'create the lock') ?? error;
  }
  try {
    const now = readOwner(file);
    if (!now || now.token !== dead.token || now.pid !== dead.pid) return false;
    rmSync(file, { force: true });
    // Its draft too, when it was killed between linking the lock and removing the draft.
    rmSync(draftOf(file, dead), { force: true });
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

/** Where `owner` writes its lock before linking it into place. */
function draftOf(file: string, owner: LockOwner): string {
  return `${file}.${owner.pid}-${owner.token}`;
}

/** The command as typed, `almanac import blog.xml --out x`, arguments with spaces quoted. */
function commandLine(): string {
  const args = process.argv
    .slice(2)
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`));
  return `"almanac ${args.join(' ')}"`;
}

function when(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function shown(folder: string): string {
  return `${shownPath(folder)}/`;
}
