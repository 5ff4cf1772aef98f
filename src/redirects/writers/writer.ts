import type { Redirect } from '../map.ts';

/** One file a writer produces, relative to the output folder. */
export interface OutputFile {
  path: string;
  content: string;
}

export interface WriterOptions {
  /** The absolute folder the files will be in on the server, where a config names another file (Apache's map). */
  serverDir: string;
  /** `apache`: `dbm` once the map is compiled with httxt2dbm, else `txt`. */
  apacheMapType?: 'dbm' | 'txt';
  /** The site's pages (decoded paths), for servers that would hide one behind an old URL differing only in case (nginx). */
  pages?: ReadonlySet<string>;
}

export interface WriterResult {
  files: OutputFile[];
  /** Old URLs this syntax cannot carry, or limits it exceeds. */
  warnings: string[];
  /** How to put the files to use: where to include them, what to enable. */
  notes: string[];
}

/** One server's or host's syntax for the checked redirect map. */
export interface RedirectWriter {
  name: string;
  summary: string;
  /** True when `--out` names a folder (several files, or files at every old path). */
  writesFolder: boolean;
  write(redirects: readonly Redirect[], options: WriterOptions): WriterResult;
}

/**
 * Redirects as a server that matches the path and drops the query sees them: path rules, plus the
 * query rules whose target differs from their path's (a `?m=1` variant is already answered by its path).
 */
export function splitByQuery(redirects: readonly Redirect[]): { paths: Redirect[]; queries: Redirect[] } {
  const paths = redirects.filter((redirect) => redirect.query === undefined);
  const pathTarget = new Map(paths.map((redirect) => [redirect.from, redirect.to]));
  const queries = redirects.filter(
    (redirect) => redirect.query !== undefined && pathTarget.get(redirect.from) !== redirect.to,
  );
  return { paths, queries };
}
