import { parentPort } from 'node:worker_threads';
import { OldUrlIndex } from '../content/contentIndex.ts';
import type { Entry } from '../model.ts';
import { createEntryRenderer } from './renderDocument.ts';
import type { OldUrlAddition, RenderPoolSetup } from './renderPool.ts';

/** One render worker (see renderPool.ts): the main thread's renderer, built once its setup arrives. */
type Message = { setup: RenderPoolSetup } | { id: number; entry: Entry; permalink: string; added: OldUrlAddition[] };

let worker: { oldUrls: OldUrlIndex; render: (entry: Entry, permalink: string) => string } | undefined;

parentPort!.on('message', (message: Message) => {
  if ('setup' in message) {
    const oldUrls = OldUrlIndex.fromJSON(message.setup.oldUrls);
    worker = { oldUrls, render: createEntryRenderer(message.setup.source, oldUrls) };
    return;
  }
  try {
    if (!worker) throw new Error('render worker used before its setup');
    for (const addition of message.added) worker.oldUrls.add(...addition);
    parentPort!.postMessage({ id: message.id, text: worker.render(message.entry, message.permalink) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
