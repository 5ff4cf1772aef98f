import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  isMainThread,
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import { markdownFiles as contentMarkdownFiles } from '../content/contentIndex.ts';
import { isBelow } from '../write/atomicWrite.ts';
import { parseDocument, type ParsedDocument } from '../content/frontmatter.ts';
import { compiledModule } from '../project.ts';
import { MarkdownCache, renderMarkdown, type RenderOptions } from './markdown.ts';

/**
 * A cold build's Markdown, rendered on a second core while Eleventy reads the content and
 * builds its collections on the first. Profiled on 1,000 posts: rendering Markdown was 2.3 s of
 * an 8 s cold build, all of it on Eleventy's thread. The worker renders what the cache does not
 * hold, in file order. Same renderer, same cache keys: the output is the same either way.
 */

/** Below this many bodies to render, starting a worker (loading unified there) costs more than it saves. */
export const MIN_FILES = 200;

/** Bodies and comments apart: a comment renders in a fifteenth of a body's time, so one count misleads. */
interface WorkerSummary {
  bodies: number;
  comments: number;
  ms: number;
}

/**
 * Eleventy's thread and the worker race through the same bodies, neither waiting for the other:
 * Eleventy takes what the worker has sent and renders the rest itself, telling the worker to
 * skip it. Messages are read synchronously (receiveMessageOnPort): Eleventy renders in one long
 * run of microtasks, during which a worker's `message` events would not be delivered at all
 * (measured: every result arrived after the last page was written). Eleventy asks in file order
 * (by some thirty ascending passes): a worker going the same way was often mid-way through the very
 * body Eleventy asked for, and 550–880 of the bench's 8,800 bodies were rendered twice. Going from
 * the last file back, the two meet once a pass and none is (measured, `--cpu-prof` and counts).
 * One worker: Eleventy's thread is busy through its data phase too (event-loop utilisation 0.99).
 * Neither waits for the other: a post costs the same on either thread, so a waiting thread is an idle core.
 */
export class Prerender {
  private readonly worker: Worker;
  private readonly results: MessagePort;
  private readonly taken: MessagePort;
  private readonly rendered = new Map<string, string>();
  /** The worker's last message: what it rendered (ALMANAC_DEBUG). */
  private summary: WorkerSummary | undefined;

  /**
   * `files`: markdownFiles(input), listed once on Eleventy's thread (to decide on a worker) and handed over.
   * `outputDir`: Eleventy's output folder, where the worker makes each post's folder once it has rendered everything.
   */
  constructor(
    files: string[],
    private readonly cache: MarkdownCache,
    outputDir?: string,
  ) {
    const results = new MessageChannel();
    const taken = new MessageChannel();
    this.results = results.port1;
    this.taken = taken.port1;
    this.worker = new Worker(compiledModule(import.meta.url, import.meta.url), {
      workerData: {
        prerender: true,
        files,
        cacheDir: path.dirname(cache.file),
        outputDir,
        results: results.port2,
        taken: taken.port2,
      },
      transferList: [results.port2, taken.port2],
    });
    // A failed worker costs time, never output: Eleventy's thread renders whatever it did not.
    this.worker.on('error', () => undefined);
    // Nor does it keep a failed build's process alive (eleventy.after, which stops it, never comes).
    this.worker.unref();
  }

  private receive(): void {
    for (let received = receiveMessageOnPort(this.results); received; received = receiveMessageOnPort(this.results)) {
      if (!Array.isArray(received.message)) this.summary = received.message as WorkerSummary;
      else
        for (const [renderedKey, html] of received.message as [string, string][]) this.rendered.set(renderedKey, html);
    }
  }

  /** Whether the worker has gone through every body it planned. */
  get finished(): boolean {
    this.receive();
    return this.summary !== undefined;
  }

  /** The body's HTML if the worker has sent it; otherwise undefined, and the worker will not render it. */
  take(key: string): string | undefined {
    this.receive();
    const html = this.rendered.get(key);
    if (html === undefined) this.taken.postMessage(key);
    else this.cache.store(key, html);
    return html;
  }

  async stop(): Promise<void> {
    this.receive();
    const { bodies = 0, comments = 0, ms = 0 } = this.summary ?? {};
    if (process.env.ALMANAC_DEBUG)
      process.stderr.write(
        `prerender: ${this.rendered.size} from the worker (it rendered ${bodies} bodies and ${comments} comments in ${Math.round(ms)} ms)\n`,
      );
    this.results.close();
    this.taken.close();
    await this.worker.terminate();
  }
}

/** Every Markdown file below `dir`, absolute, in the order Eleventy's glob finds them. */
export async function markdownFiles(dir: string): Promise<string[]> {
  const absolute = path.resolve(dir);
  return (await contentMarkdownFiles(absolute)).map((file) => path.join(absolute, file));
}

/**
 * In the worker: every body, then every comment (renderOrder), the cache lacks, from the last
 * file back, unless Eleventy's thread took it first. Each file is rendered as soon as it is read: reading and
 * parsing all 5,000 files first, awaiting each read, kept the worker from rendering for 1.5–3 s
 * of Eleventy's ~4 s data phase (read synchronously, they take 0.7 s, and rendering starts at once).
 */
async function work(
  files: string[],
  cacheDir: string,
  outputDir: string | undefined,
  results: MessagePort,
  taken: MessagePort,
): Promise<void> {
  const cache = new MarkdownCache(cacheDir);
  cache.load();
  const seen = new Set<string>();
  const skip = new Set<string>();
  const summary: WorkerSummary = { bodies: 0, comments: 0, ms: 0 };
  const render = (markdown: string, options: RenderOptions, comment: boolean) => {
    const key = MarkdownCache.key(markdown, options);
    if (seen.has(key) || cache.has(key)) return;
    seen.add(key);
    for (let received = receiveMessageOnPort(taken); received; received = receiveMessageOnPort(taken))
      skip.add(received.message as string);
    if (skip.has(key)) return;
    const start = performance.now();
    // One body a message: Eleventy's thread reads them as they come.
    results.postMessage([[key, renderMarkdown(markdown, options)]]);
    summary.ms += performance.now() - start;
    summary[comment ? 'comments' : 'bodies']++;
  };
  const folders = new Set<string>();
  const documents = readDocuments(files.toReversed(), (data) => {
    const folder = outputDir && outputFolder(outputDir, data);
    if (folder) folders.add(folder);
  });
  for (const [markdown, options, comment] of renderOrder(documents)) render(markdown, options, comment);
  results.postMessage(summary);
  if (outputDir) await makeFolders([...folders]);
}

/**
 * The folder Eleventy will write a document's page into: its permalink's, below the output
 * folder (nothing outside it), or undefined for drafts and for pages whose path Eleventy decides.
 */
export function outputFolder(outputDir: string, data: ParsedDocument['data']): string | undefined {
  const { permalink } = data;
  if (data.draft === true || typeof permalink !== 'string' || !permalink.startsWith('/') || permalink.includes('{'))
    return undefined;
  const out = path.resolve(outputDir);
  const target = path.resolve(out, `.${permalink}`);
  const folder = permalink.endsWith('/') ? target : path.dirname(target);
  return isBelow(out, folder) ? folder : undefined;
}

/**
 * Every post's output folder, made while Eleventy's thread is still rendering layouts: a cold
 * build into an empty folder spent 1.5–4.5 s of Eleventy's synchronous writes in mkdir (measured
 * on the bench's 5,000 posts, same build with and without the folders there), and this thread has
 * nothing left to do. Sixteen at a time: each waits on the disk, not the CPU.
 */
async function makeFolders(folders: string[]): Promise<void> {
  let next = 0;
  const maker = async () => {
    while (next < folders.length) await mkdir(folders[next++], { recursive: true }).catch(() => undefined);
  };
  await Promise.all(Array.from({ length: 16 }, maker));
}

/** Each file parsed as it is asked for (`noted` sees its frontmatter); one that does not parse is left out. */
function* readDocuments(files: string[], noted: (data: ParsedDocument['data']) => void): Generator<ParsedDocument> {
  for (const file of files) {
    let parsed: ParsedDocument;
    try {
      // Synchronous: this thread has nothing else to do meanwhile.
      parsed = parseDocument(readFileSync(file, 'utf8'));
    } catch {
      continue; // Eleventy reports a bad document; here it is simply not rendered ahead.
    }
    noted(parsed.data);
    yield parsed;
  }
}

/**
 * What the worker renders, in order: each document's body as it is read, then all comments.
 * Eleventy's thread asks for bodies in its content phase and for comments only when layouts run,
 * seconds later. Timed on both threads (the bench's 5,000 posts, 3,800 comments): a post costs the
 * same on either, a comment a fifteenth of a post ("Eleventy's thread is 1.8× slower" had counted
 * the worker's comments as bodies). Interleaved, the worker's 0.7–1.2 s of comments came before
 * the point where the two threads meet, and Eleventy's thread rendered ~10 % more posts itself.
 */
export function* renderOrder(
  documents: Iterable<ParsedDocument>,
): Generator<[markdown: string, options: RenderOptions, comment: boolean]> {
  const comments: string[] = [];
  for (const { data, body } of documents) {
    if (data.draft === true) continue;
    yield [body, { foldQuotes: data.kind === 'message' }, false];
    if (Array.isArray(data.comments))
      for (const comment of data.comments) if (typeof comment?.body === 'string') comments.push(comment.body);
  }
  for (const comment of comments) yield [comment, {}, true];
}

if (!isMainThread && workerData?.prerender)
  await work(workerData.files, workerData.cacheDir, workerData.outputDir, workerData.results, workerData.taken);
