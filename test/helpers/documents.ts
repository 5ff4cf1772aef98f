import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from '../../src/content/frontmatter.ts';

/** Every document written below `folder`, its frontmatter and `body` in one record, sorted by one frontmatter key. */
export async function documentsBelow(folder: string, sortBy = 'date'): Promise<Record<string, unknown>[]> {
  const result: Record<string, unknown>[] = [];
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const { data, body } = parseDocument(await readFile(path.join(entry.parentPath, entry.name), 'utf8'));
    result.push({ ...data, body });
  }
  return result.sort((a, b) => String(a[sortBy]).localeCompare(String(b[sortBy])));
}
