import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { OldUrlIndexData } from '../content/contentIndex.ts';
import { MachineFault, OutputError } from '../errors.ts';
import type { Entry } from '../model.ts';
import { compiledModule } from '../project.ts';

/**
 * Entries rendered to Markdown on worker threads, for large imports.
 * Profile of a 5,000-post backup (node --cpu-prof): HTML → Markdown (parse5, hast-util-to-mdast's
 * clone and whitespace minification, mdast-util-to-markdown) is ~70 % of the CPU time and each
 * post is independent, so it spreads over the cores while the main thread reads and writes; mail
 * too (streaming: workers learn the old URLs planned after their setup with their next job).
 * Each worker builds the same document pipeline as the main thread (src/pipeline), so the bytes are the same.
 */
export interface RenderPool {
  /** Hands the workers what every document needs; before the first render. */
  setup(setup: RenderPoolSetup): void;
  /** Streaming imports: an old URL planned after setup; every worker learns it before its next render. */
  addOldUrl(addition: OldUrlAddition): void;
  render(entry: Entry, permalink: string): Promise<string>;
  /** Renders and writes a document that has nothing on disk to compare with (atomicWrite.ts); resolves to its text's SHA-256 (hex). */
  renderAndWrite(entry: Entry, permalink: string, writeTo: WriteTarget): Promise<string>;
  close(): Promise<void>;
}

/** Where a worker writes a document: `file` under the folder `root`. */
export interface WriteTarget {
  root: string;
  file: string;
}

/** The arguments of OldUrlIndex.add. */
export type OldUrlAddition = [
  permalink: string,
  originalUrl: string | undefined,
  oldPaths: readonly string[],
  oldBase?: string,
];

export interface RenderPoolSetup {
  source: string;
  oldUrls: OldUrlIndexData;
}

/**
 * Inputs at least this large render on workers. Starting a worker (it loads the converters
 * and unified) costs ~0.5 s of CPU, so below a few hundred posts it costs more than it saves;
 * the workers start before the XML is parsed, so their start-up overlaps it.
 */
export const PARALLEL_RENDER_MIN_BYTES = 2_000_000;
/** The same for mail, which renders several times faster a byte (plain text, no HTML to convert). */
export const PARALLEL_RENDER_MIN_BYTES_STREAMING = 8_000_000;

export function renderWorkerCount(): number {
  return Math.min(2, os.availableParallelism());
}

export function createRenderPool(size = renderWorkerCount()): RenderPool {
  let nextId = 0;
  const waiting = new Map<number, { resolve: (textOrDigest: string) => void; reject: (error: Error) => void }>();
  const queueLengths: number[] = [];
  // Additions each worker has not been sent yet: they travel with its next job, in order.
  const unsent: OldUrlAddition[][] = [];
  let failure: Error | undefined;
  let closing = false;
  const workers = Array.from({ length: size }, (_, index) => {
    // A small young generation: each render's garbage is short-lived (measured: peak RSS of a 20,000-message import 460 → 340 MB, same CPU); the old generation is left unbounded so a huge post still renders.
    const worker = new Worker(compiledModule('./renderWorker.ts', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    queueLengths[index] = 0;
    unsent[index] = [];
    worker.on(
      'message',
      (message: {
        id: number;
        text?: string;
        digest?: string;
        error?: string;
        outputError?: boolean;
        fault?: { code: string; operation: string; path?: string };
      }) => {
        queueLengths[index]--;
        const job = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.fault)
          job?.reject(new MachineFault(message.fault.code, message.fault.operation, message.fault.path));
        else if (message.error !== undefined)
          job?.reject(message.outputError ? new OutputError(message.error) : new Error(message.error));
        else job?.resolve(message.text ?? message.digest!);
      },
    );
    const fail = (error: Error) => {
      failure ??= error;
      for (const job of waiting.values()) job.reject(error);
      waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closing) fail(new Error(`a render worker stopped (exit code ${code})`));
    });
    return worker;
  });
  return {
    setup(setup) {
      for (const worker of workers) worker.postMessage({ setup });
    },
    addOldUrl(addition) {
      for (const pending of unsent) pending.push(addition);
    },
    render(entry, permalink) {
      return send(entry, permalink);
    },
    renderAndWrite(entry, permalink, writeTo) {
      return send(entry, permalink, writeTo);
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };

  function send(entry: Entry, permalink: string, writeTo?: WriteTarget): Promise<string> {
    // The least busy worker takes the job.
    const index = queueLengths.indexOf(Math.min(...queueLengths));
    queueLengths[index]++;
    const id = nextId++;
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      const added = unsent[index];
      unsent[index] = [];
      // Attachments are written by the main thread, never rendered: not copied to the worker.
      workers[index].postMessage({
        id,
        entry: entry.attachments ? { ...entry, attachments: undefined } : entry,
        permalink,
        added,
        writeTo,
      });
    });
  }
}
