/**
 * Ctrl-C (SIGINT) and SIGTERM while a command runs. Two ways to stop:
 * - gently, inside `stopsGently` (an import's documents, `serve`'s watch): the signal is noted, the
 *   work stops at its next document and says what it did; a second signal stops at once;
 * - at once, anywhere else (Eleventy rendering): the cleanups registered with `onAbort` run
 *   (a build's unfinished folder removed, locks released), then the process exits.
 * Either way the exit status is 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

const EXIT_STATUS: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

let received: StopSignal | undefined;
/** The sections running gently, each with what it does on a first signal, newest last. */
const gentleSections: string[] = [];
const aborts = new Set<() => string | undefined>();
const waiters = new Set<(signal: StopSignal) => void>();
let finalStatus: number | undefined;

/** Installs the handlers for `almanac <command>`; before it, a signal ends the process as Node does by default. */
export function watchSignals(command: string): void {
  const handle = (signal: StopSignal) => {
    if (finalStatus !== undefined) process.exit(finalStatus);
    if (!received && gentleSections.length > 0) {
      received = signal;
      const name = signal === 'SIGINT' ? 'Ctrl-C' : signal;
      process.stderr.write(`almanac ${command}: ${name}: ${gentleSections.at(-1)} (${name} again stops at once)\n`);
      for (const wake of waiters) wake(signal);
      return;
    }
    received ??= signal;
    abortNow(command, signal);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

/** Runs the cleanups, newest first, says what they left, and exits. Synchronous: nothing else runs in between. */
function abortNow(command: string, signal: StopSignal): never {
  const said: string[] = [];
  for (const cleanup of [...aborts].reverse()) {
    try {
      const line = cleanup();
      if (line) said.push(line);
    } catch {
      // A cleanup that fails must not keep the others from running.
    }
  }
  process.stderr.write(`almanac ${command}: interrupted (${signal})${said.length > 0 ? `; ${said.join('; ')}` : ''}\n`);
  process.exit(EXIT_STATUS[signal]);
}

/** The command has returned `status`: a signal now ends the process with it at once (all is done; only the event loop's last turns remain). */
export function finishedWith(status: number): void {
  gentleSections.length = 0;
  aborts.clear();
  finalStatus = status;
}

/** The signal received, if one was. */
export function interruption(): StopSignal | undefined {
  return received;
}

/** The exit status for a command stopped by `signal`. */
export function exitStatusFor(signal: StopSignal): number {
  return EXIT_STATUS[signal];
}

/** Runs `work` so that a first signal only marks it interrupted (it checks `interruption()` and stops by itself, doing `what`). */
export async function stopsGently<T>(
  work: () => Promise<T>,
  what = 'stopping after the documents in hand',
): Promise<T> {
  gentleSections.push(what);
  try {
    return await work();
  } finally {
    gentleSections.splice(gentleSections.lastIndexOf(what), 1);
  }
}

/** Resolves with the first signal (inside `stopsGently`, where it does not end the process). */
export function untilInterrupted(): Promise<StopSignal> {
  if (received) return Promise.resolve(received);
  return new Promise((resolve) => {
    const wake = (signal: StopSignal) => {
      waiters.delete(wake);
      resolve(signal);
    };
    waiters.add(wake);
  });
}

/** Registers a synchronous cleanup for a stop at once; it may return what it left, in a few words. Returns its removal. */
export function onAbort(cleanup: () => string | undefined): () => void {
  aborts.add(cleanup);
  return () => aborts.delete(cleanup);
}
