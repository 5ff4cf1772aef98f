import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared corpus of real public inputs, read in place (never copied into the repository). */
export const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

/** `false` to run, or the reason to skip, for `test(name, { skip: corpusMissing() }, …)`. */
export function corpusMissing(): false | string {
  return existsSync(CORPUS) ? false : `the shared corpus is not at ${CORPUS}; conformance tests need it`;
}

export function corpusFile(...parts: string[]): string {
  return path.join(CORPUS, ...parts);
}
