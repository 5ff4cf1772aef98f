/**
 * A build writes a new folder beside the output folder and swaps it in at the end: a build
 * stopped or failed halfway leaves the last site as it was, and a deploy never publishes half a
 * site. Caller holds the output folder's lock (src/folderLock.ts), so the names beside it are its own.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import type { BuildRecord } from './buildState.ts';

export interface OutputSwap {
  /** Where this build writes: `.<name>.almanac-new` beside the output folder. */
  readonly folder: string;
  /**
   * Brings into the new folder what the build did not write but the output folder holds: files
   * the user put there, and files the last build wrote that were changed since (kept, as before).
   * Returns the files the last build wrote and this one did not (relative): left behind, so removed.
   */
  carryOver(previous: BuildRecord | undefined, built: ReadonlySet<string>): string[];
  /** The new folder becomes the output folder (two renames); the old one is removed. */
  publish(): void;
  /** Removes the new folder: the output folder stays as the last build left it. */
  abandon(): void;
}

export function beginOutputSwap(out: string): OutputSwap {
  // An output folder that is a link (to a web server's root) is swapped where it points, and stays a link.
  const target = existsSync(out) ? realpathSync(out) : path.resolve(out);
  const beside = (suffix: string) => path.join(path.dirname(target), `.${path.basename(target)}.almanac-${suffix}`);
  const folder = beside('new');
  const old = beside('old');
  recoverInterruptedSwap(target, folder, old);
  mkdirSync(folder, { recursive: true });
  return {
    folder,
    carryOver(previous, built) {
      const recorded = new Map((previous?.outputs ?? []).map((output) => [output.file, output]));
      const lastBuilt = new Set(previous?.built ?? []);
      const removed: string[] = [];
      for (const file of filesBelow(target)) {
        if (built.has(file)) continue;
        const then = recorded.get(file);
        const info = statSync(path.join(target, file), { throwIfNoEntry: false });
        // Written by the last build and untouched since: this build no longer writes it (a post deleted or drafted, a tag gone).
        if (lastBuilt.has(file) && then && info && info.size === then.size && info.mtimeMs === then.mtimeMs) {
          removed.push(file);
          continue;
        }
        bringOver(path.join(target, file), path.join(folder, file));
      }
      return removed;
    },
    publish() {
      // Synchronous: a signal's handler cannot run between the two renames (src/interrupt.ts).
      if (existsSync(target)) renameSync(target, old);
      renameSync(folder, target);
      rmSync(old, { recursive: true, force: true });
    },
    abandon() {
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A build killed before it published left its new folder (removed), or between the two renames its old one (put back). */
function recoverInterruptedSwap(target: string, folder: string, old: string): void {
  if (existsSync(old)) {
    if (existsSync(target)) rmSync(old, { recursive: true, force: true });
    else renameSync(old, target);
  }
  rmSync(folder, { recursive: true, force: true });
}

/** A hard link (the file is not copied; nothing writes carried files in place: the search index and redirects are replaced by rename), or a copy where links are refused. */
function bringOver(from: string, to: string): void {
  mkdirSync(path.dirname(to), { recursive: true });
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
    copyFileSync(from, to);
  }
}

/** Every file below `folder`, relative to it; none when it does not exist. */
function filesBelow(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const entries = readdirSync(folder, { recursive: true, withFileTypes: true, encoding: 'utf8' }).filter(
    (entry) => entry.isFile() || entry.isSymbolicLink(),
  );
  return entries.map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}
