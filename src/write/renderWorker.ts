import { parentPort } from 'node:worker_threads';
import { OldUrlIndex } from '../content/contentIndex.ts';
import type { Entry } from '../model.ts';
import { createDocumentPipeline } from '../pipeline/index.ts';
import { renderDocument } from './renderDocument.ts';
import type { OldUrlAddition, RenderPoolSetup } from './renderPool.ts';

/** One render worker (see renderPool.ts): the same pipeline as the main thread, built once its setup arrives. */
type Message = { setup: RenderPoolSetup } | { id: number; entry: Entry; permalink: string; added: OldUrlAddition[] };

let render: ((entry: Entry, permalink: string) => string) | undefined;
let oldUrls: OldUrlIndex | undefined;

parentPort!.on('message', (message: Message) => {
  if ('setup' in message) {
    const { source, oldUrls: data } = message.setup;
    const index = OldUrlIndex.fromJSON(data);
    oldUrls = index;
    const transform = createDocumentPipeline({ resolveOldUrl: (url, base) => index.resolve(url, base) });
    render = (entry, permalink) => renderDocument(entry, { source, permalink, transform });
    return;
  }
  try {
    if (!render || !oldUrls) throw new Error('render worker used before its setup');
    for (const addition of message.added) oldUrls.add(...addition);
    parentPort!.postMessage({ id: message.id, text: render(message.entry, message.permalink) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
