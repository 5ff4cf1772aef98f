import { parentPort } from 'node:worker_threads';
import { OldUrlIndex } from '../content/contentIndex.ts';
import type { Entry } from '../model.ts';
import { createDocumentPipeline } from '../pipeline/index.ts';
import { renderDocument } from './renderDocument.ts';
import type { RenderPoolSetup } from './renderPool.ts';

/** One render worker (see renderPool.ts): the same pipeline as the main thread, built once its setup arrives. */
type Message = { setup: RenderPoolSetup } | { id: number; entry: Entry; permalink: string };

let render: ((entry: Entry, permalink: string) => string) | undefined;

parentPort!.on('message', (message: Message) => {
  if ('setup' in message) {
    const { source, oldUrls: data } = message.setup;
    const oldUrls = OldUrlIndex.fromJSON(data);
    const transform = createDocumentPipeline({ resolveOldUrl: (url, base) => oldUrls.resolve(url, base) });
    render = (entry, permalink) => renderDocument(entry, { source, permalink, transform });
    return;
  }
  try {
    if (!render) throw new Error('render worker used before its setup');
    parentPort!.postMessage({ id: message.id, text: render(message.entry, message.permalink) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
