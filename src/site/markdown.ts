import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { unified, type Data, type Processor } from 'unified';
import { CONTINUE, EXIT, SKIP, visit } from 'unist-util-visit';
import { codeDigest } from '../project.ts';
import rehypeFoldQuotes from './rehypeFoldQuotes.ts';
import rehypeHighlightCode from './rehypeHighlightCode.ts';
import rehypeLocalAnchors from './rehypeLocalAnchors.ts';
import { keepAnchorsAndTables } from './remarkRehypeAnchors.ts';

/**
 * Markdown → HTML for the site, through the same unified/remark family that imports: what you
 * see is what was imported. Content is data: raw HTML in Markdown is dropped (but the importer's
 * `<a id>` anchors and the tables it kept as HTML), and the sanitizer
 * keeps code, tables, images, footnotes and heading ids, and nothing that runs.
 */
export interface RenderOptions {
  /** Fold long top-level quotes into <details> (mail messages). */
  foldQuotes?: boolean;
}

/** GitHub's schema (rehype-sanitize's default), plus <details> for folded text; still nothing that runs. */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    img: [...(defaultSchema.attributes?.img ?? []), 'loading', 'width', 'height', 'title'],
    a: [...(defaultSchema.attributes?.a ?? []), 'title'],
  },
};

type Construct = { name?: string };
type SyntaxExtension = Record<string, Record<string, Construct | Construct[]> | undefined>;

/**
 * GFM constructs that cannot match in a body without what they `need`, and what each cost to try
 * (`--cpu-prof` and timed parses of the bench's 5,000 posts). The email autolink literal is
 * attempted at the start of every word: without it micromark took ~35 % less. The table is
 * attempted at the start of every line of flow: +12 % over CommonMark. The rest cost under 2 %.
 */
export const DROPPABLE_CONSTRUCTS = [
  { name: 'emailAutolink', needs: /@/ },
  // A table needs a pipe, but for a one-column table whose delimiter row has a colon (`a` over `:-`).
  { name: 'table', needs: /\||:-|-:/ },
] as const;

/** remark plugin (after remark-gfm): GFM's syntax without the named constructs. */
export function remarkGfmWithout(this: Processor, names: readonly string[]) {
  const kept = (construct: Construct) => !names.includes(construct.name ?? '');
  const extensions = (this.data('micromarkExtensions') ?? []) as SyntaxExtension[];
  this.data(
    'micromarkExtensions',
    extensions.map((extension) =>
      Object.fromEntries(
        Object.entries(extension).map(([field, record]) => {
          if (field === 'disable' || !record) return [field, record];
          const constructs = Object.entries(record)
            .map(([code, list]) => [code, [list].flat().filter(kept)] as const)
            .filter(([, list]) => list.length > 0);
          return [field, Object.fromEntries(constructs)];
        }),
      ),
    ),
  );
}

/** What every one of GFM's literal autolinks (URL, www., mailto:, xmpp:, email) has in its text. */
const AUTOLINK_LITERAL_CANDIDATE = /@|https?:\/\/|www\./i;

/**
 * remark plugin (after remark-gfm): GFM's autolink-literal transform only where some text outside
 * links could hold one. Profiled: that transform walks every tree four times (a find-and-replace
 * pass per kind of literal), ~9 % of rendering; one walk that stops at the first candidate decides.
 */
export function remarkAutolinkLiteralsWhereCandidates(this: Processor) {
  const [transformAutolinkLiterals] = gfmAutolinkLiteralFromMarkdown().transforms ?? [];
  type Transform = typeof transformAutolinkLiterals;
  const guarded: Transform = (tree) => {
    let candidate = false;
    visit(tree, (node) => {
      if (node.type === 'link' || node.type === 'linkReference') return SKIP;
      if (node.type === 'text' && AUTOLINK_LITERAL_CANDIDATE.test(node.value)) {
        candidate = true;
        return EXIT;
      }
      return CONTINUE;
    });
    return candidate ? transformAutolinkLiterals(tree) : undefined;
  };
  // remark-gfm's mdast extensions come nested (one list for GFM's five parts).
  type Extension = NonNullable<Data['fromMarkdownExtensions']>[number];
  const guard = (extension: Extension): Extension => {
    if (Array.isArray(extension)) return extension.map(guard) as Extension;
    if (!extension.transforms?.includes(transformAutolinkLiterals)) return extension;
    return {
      ...extension,
      transforms: extension.transforms.map((transform) =>
        transform === transformAutolinkLiterals ? guarded : transform,
      ),
    };
  };
  this.data('fromMarkdownExtensions', (this.data('fromMarkdownExtensions') ?? []).map(guard));
}

function createProcessor(options: RenderOptions, dropped: readonly string[]) {
  return (
    unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkGfmWithout, dropped)
      .use(remarkAutolinkLiteralsWhereCandidates)
      // Footnote ids get their `user-content-` prefix from the sanitizer, once.
      .use(remarkRehype, { clobberPrefix: '', handlers: { html: keepAnchorsAndTables } })
      .use(rehypeSlug)
      .use(rehypeSanitize, sanitizeSchema)
      .use(rehypeLocalAnchors)
      .use(rehypeHighlightCode)
      .use(options.foldQuotes ? rehypeFoldQuotes : () => undefined)
      .use(rehypeStringify)
      .freeze()
  );
}

/** One frozen processor per kind of body (mail or not) and set of constructs it cannot use. */
const processors = new Map<string, ReturnType<typeof createProcessor>>();

/** Renders Markdown to sanitized, highlighted HTML (no cache). */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): string {
  const dropped = DROPPABLE_CONSTRUCTS.filter(({ needs }) => !needs.test(markdown)).map(({ name }) => name);
  const key = `${options.foldQuotes ? 'folded' : 'plain'}:${dropped.join()}`;
  let processor = processors.get(key);
  if (!processor) processors.set(key, (processor = createProcessor(options, dropped)));
  return String(processor.processSync(markdown));
}

/** Entries kept from earlier builds beyond the ones this build used (another content folder, say). */
const MAX_KEPT = 50_000;

/**
 * Rendered Markdown by content hash, kept between builds in one JSON file: a warm build of an
 * unchanged site renders nothing. (Measured: reading one 20 MB file beats 5,000 small ones.)
 */
export class MarkdownCache {
  readonly file: string;
  /** The code that renders, and the versions of its plugins (src/project.ts): a change to either invalidates the cache by itself. */
  private readonly version = codeDigest();
  private previous = new Map<string, string>();
  private readonly used = new Map<string, string>();
  private loaded = false;
  hits = 0;
  misses = 0;

  constructor(cacheDir: string) {
    this.file = path.join(cacheDir, 'markdown.json');
  }

  static key(markdown: string, options: RenderOptions = {}): string {
    return createHash('sha256')
      .update(options.foldQuotes ? 'folded\0' : 'plain\0')
      .update(markdown.trim())
      .digest('base64url');
  }

  load(): void {
    if (this.loaded) return;
    this.loaded = true;
    try {
      const stored = JSON.parse(readFileSync(this.file, 'utf8')) as {
        version: string;
        entries: Record<string, string>;
      };
      if (stored.version === this.version) this.previous = new Map(Object.entries(stored.entries));
    } catch {
      // No cache yet, or an unreadable one: render everything.
    }
  }

  /** Bodies kept from earlier builds. */
  get size(): number {
    this.load();
    return this.previous.size;
  }

  /** Whether the body under `key` (MarkdownCache.key) is rendered already. */
  has(key: string): boolean {
    this.load();
    return this.used.has(key) || this.previous.has(key);
  }

  set(markdown: string, options: RenderOptions, html: string): void {
    this.used.set(MarkdownCache.key(markdown, options), html);
  }

  /** HTML rendered elsewhere (src/site/markdownPrerender.ts's worker), under its key. */
  store(key: string, html: string): void {
    this.misses++;
    this.used.set(key, html);
  }

  /** `key`: when the caller has computed it already, so the body is hashed once. */
  render(markdown: string, options: RenderOptions = {}, key = MarkdownCache.key(markdown, options)): string {
    this.load();
    let html = this.used.get(key);
    if (html !== undefined) return html;
    html = this.previous.get(key);
    if (html === undefined) {
      this.misses++;
      html = renderMarkdown(markdown, options);
    } else {
      this.hits++;
    }
    this.used.set(key, html);
    return html;
  }

  /** Writes what this build used (and what earlier builds used, up to MAX_KEPT), atomically. */
  save(): void {
    if (this.misses === 0 && this.used.size === this.previous.size) return;
    const entries: Record<string, string> = {};
    let kept = 0;
    for (const [key, html] of this.previous) {
      if (this.used.has(key) || kept++ >= MAX_KEPT) continue;
      entries[key] = html;
    }
    for (const [key, html] of this.used) entries[key] = html;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: this.version, entries }));
    renameSync(temporary, this.file);
  }
}
