import type { Root } from 'mdast';
import { unified } from 'unified';
import { VFile } from 'vfile';
import autolinkLiterals from './autolinkLiterals.ts';
import autolinkReferences, { readAutolinkRules, type AutolinkRule } from './autolinkReferences.ts';
import rewriteOldLinks from './rewriteOldLinks.ts';

/**
 * The remark transforms every imported document goes through, whatever its input format.
 * Built once per import; the document's own old URL travels in the file's data.
 */
export interface PipelineOptions {
  resolveOldUrl: (url: string, base?: string) => string | undefined;
  /** Project-specific reference rules; by default the `autolinks` key of ./almanac.config.json. */
  autolinks?: readonly AutolinkRule[];
}

export function createDocumentPipeline(options: PipelineOptions) {
  const processor = unified()
    // Bare URLs first, so that an old URL written out in text is a link the next step can rewrite.
    .use(autolinkLiterals)
    .use(autolinkReferences, { rules: options.autolinks ?? readAutolinkRules() })
    .use(() => (tree: Root, file: VFile) => {
      rewriteOldLinks({ resolve: options.resolveOldUrl, base: file.data.base as string | undefined })(tree);
    })
    .freeze();
  return (tree: Root, base?: string): Root => processor.runSync(tree, new VFile({ data: { base } })) as Root;
}
