import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { OldUrlIndex } from '../content/contentIndex.ts';
import { machineFault, OutputError } from '../errors.ts';
import type { Entry } from '../model.ts';
import { createAtomicWriter } from './atomicWrite.ts';
import { createEntryRenderer } from './renderDocument.ts';
import type { OldUrlAddition, RenderPoolSetup, WriteTarget } from './renderPool.ts';

/** One render worker (see renderPool.ts): the main thread's renderer, built once its setup arrives; it writes the new documents it is given a target for. */
type Message =
  | { setup: RenderPoolSetup }
  | { id: number; entry: Entry; permalink: string; added: OldUrlAddition[]; writeTo?: WriteTarget };

let worker: { oldUrls: OldUrlIndex; render: (entry: Entry, permalink: string) => string } | undefined;
const writers = new Map<string, ReturnType<typeof createAtomicWriter>>();

parentPort!.on('message', async (message: Message) => {
  if ('setup' in message) {
    const oldUrls = OldUrlIndex.fromJSON(message.setup.oldUrls);
    worker = { oldUrls, render: createEntryRenderer(message.setup.source, oldUrls) };
    return;
  }
  try {
    if (!worker) throw new Error('render worker used before its setup');
    // Synchronous up to the render: documents render in the order they were sent, each with the old URLs planned before it.
    for (const addition of message.added) worker.oldUrls.add(...addition);
    const text = worker.render(message.entry, message.permalink);
    if (!message.writeTo) {
      parentPort!.postMessage({ id: message.id, text });
      return;
    }
    const { root, file } = message.writeTo;
    let write = writers.get(root);
    if (!write) writers.set(root, (write = createAtomicWriter(root)));
    await write(file, text);
    parentPort!.postMessage({ id: message.id, digest: createHash('sha256').update(text).digest('hex') });
  } catch (error) {
    // A fault of the machine keeps its code, operation and path across the thread boundary (renderPool.ts rebuilds it).
    const fault = machineFault(error);
    parentPort!.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
      outputError: error instanceof OutputError,
      fault: fault && { code: fault.code, operation: fault.operation, path: fault.path },
    });
  }
});
