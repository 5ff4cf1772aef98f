import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const loader = new URL('./loadCompiled.js', import.meta.url).href;

/**
 * A worker thread running a TypeScript module, compiled ahead into one JavaScript file
 * (loadCompiled.js says why: a worker that loads tsx costs 61 MB, a compiled one 17 MB).
 * The loader is named by URL: an eval'd worker resolves bare names from the working directory.
 */
export function startWorker(entry: URL, options: WorkerOptions = {}): Worker {
  return new Worker(`import(${JSON.stringify(loader)}).then(({ load }) => load(${JSON.stringify(fileURLToPath(entry))}))`, { ...options, eval: true });
}
