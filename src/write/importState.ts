import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomicWrite.ts';

/**
 * What the last import of a source wrote, kept beside its documents in
 * `content/<source>/.almanac-import.json`: the file and permalink chosen for each input id
 * (so a re-import never moves a document) and a digest of the bytes written (so a file
 * edited by hand since is recognised and kept).
 */
export interface ImportRecord {
  file: string;
  permalink: string;
  digest: string;
}

export interface ImportState {
  version: 1;
  source: string;
  format: string;
  documents: Record<string, ImportRecord>;
}

export const STATE_FILE = '.almanac-import.json';

export async function readImportState(sourceDir: string, source: string, format: string): Promise<ImportState> {
  // Keyed by input ids, which are anyone's text: no prototype, so an id "__proto__" is just an id.
  const fresh: ImportState = { version: 1, source, format, documents: Object.create(null) };
  let text: string;
  try {
    text = await readFile(path.join(sourceDir, STATE_FILE), 'utf8');
  } catch {
    return fresh;
  }
  try {
    const state = JSON.parse(text) as ImportState;
    return state.version === 1 && state.documents && typeof state.documents === 'object' ? { ...state, documents: Object.assign(Object.create(null), state.documents) } : fresh;
  } catch {
    return fresh;
  }
}

/** Serialized with sorted ids, so the same import state is the same bytes. */
export function serializeImportState(state: ImportState): string {
  const documents = Object.fromEntries(Object.keys(state.documents).sort().map((id) => [id, state.documents[id]]));
  return `${JSON.stringify({ version: 1, source: state.source, format: state.format, documents }, null, 1)}\n`;
}

/** Writes the state only when it changed: an unchanged re-import touches no byte. */
export async function writeImportState(sourceDir: string, state: ImportState): Promise<void> {
  const text = serializeImportState(state);
  const current = await readFile(path.join(sourceDir, STATE_FILE), 'utf8').catch(() => undefined);
  if (current !== text) await writeFileAtomic(sourceDir, STATE_FILE, text);
}
