/**
 * The walls between Almanac's parts, read off the import graph of every .ts file in src/ and
 * importers/ (README, Layout): a part that reaches through one fails here, naming the import.
 *
 * - importers know one format: nothing from src/write/, src/site/, src/redirects/, src/build/, src/cli/;
 * - the pipeline knows trees, and src/content/ (the document format: frontmatter, the content index)
 *   knows documents: neither takes from the writer, the site, the redirects, the importers;
 * - the redirect map is built from content/ alone: src/redirects/ takes nothing from importers nor
 *   from the writer (its atomic file writes aside), and never reads an importer's state file;
 * - the site reads content/ and never runs an importer nor the writer (atomic writes aside) nor a command;
 * - src/write/ is the writer's: outside it only the commands and the orchestrator (src/build/) use it,
 *   atomicWrite.ts aside, the one way to write a file safely;
 * - slugs are made in one module (src/slug.ts), frontmatter parsed and written in one (src/content/);
 * - `build` and `serve` are one orchestrator (src/build/) calling functions: no command calls
 *   another's `run`, and configuration travels as data, never through a mutated process.env.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/cli.ts';

interface Module {
  /** Relative to the repository, with forward slashes. */
  file: string;
  text: string;
  /** Our own modules it imports (statically or with import()), relative to the repository. */
  imports: string[];
  /** The packages it imports. */
  packages: string[];
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;

function modules(): Module[] {
  const found: Module[] = [];
  for (const top of ['src', 'importers']) {
    for (const name of readdirSync(path.join(ROOT, top), { recursive: true }).map(String)) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue;
      const file = `${top}/${name.split(path.sep).join('/')}`;
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const imports: string[] = [];
      const packages: string[] = [];
      for (const [, , specifier] of text.matchAll(SPECIFIER)) {
        if (specifier.startsWith('.'))
          imports.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
        else if (!specifier.startsWith('node:')) packages.push(specifier);
      }
      found.push({ file, text, imports, packages });
    }
  }
  return found;
}

const all = modules();
const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);
const ATOMIC_WRITE = 'src/write/atomicWrite.ts';

/** Every import of a module matching `from` into a module matching `to`, as "from → to". */
function crossings(from: (file: string) => boolean, to: (file: string) => boolean): string[] {
  return all
    .filter((module) => from(module.file))
    .flatMap((module) => module.imports.filter(to).map((target) => `${module.file} → ${target}`));
}

const anyOf =
  (...tests: ((file: string) => boolean)[]) =>
  (file: string) =>
    tests.some((each) => each(file));

test('the parse finds the imports it checks (a regex that matched nothing would pass every wall)', () => {
  assert.ok(all.length > 100, `${all.length} modules`);
  const main = all.find((module) => module.file === 'src/cli/main.ts');
  assert.ok(main?.imports.includes('src/cli/commands/import.ts'), 'import() of a command');
  assert.ok(all.find((module) => module.file === 'src/build/buildSite.ts')?.imports.includes('src/site/build.ts'));
});

test('importers know one format: nothing from the writer, the site, the redirects or the commands', () => {
  assert.deepEqual(
    crossings(
      under('importers'),
      anyOf(under('src/write'), under('src/site'), under('src/redirects'), under('src/build'), under('src/cli')),
    ),
    [],
  );
});

test('the pipeline knows trees and src/content/ knows documents: neither takes from the writer, the site, the redirects or the importers', () => {
  const rest = anyOf(
    under('importers'),
    under('src/write'),
    under('src/site'),
    under('src/redirects'),
    under('src/build'),
    under('src/cli'),
  );
  assert.deepEqual(crossings(anyOf(under('src/pipeline'), under('src/content')), rest), []);
});

test('the redirect map is built from content/: no importer, no writer (atomic writes aside), no importer state', () => {
  assert.deepEqual(
    crossings(
      under('src/redirects'),
      anyOf(
        under('importers'),
        (file) => under('src/write')(file) && file !== ATOMIC_WRITE,
        under('src/site'),
        under('src/cli'),
        under('src/build'),
      ),
    ),
    [],
  );
  const readsState = all
    .filter((module) => under('src/redirects')(module.file) && /STATE_FILE|\.almanac-import\.json/.test(module.text))
    .map((module) => module.file);
  assert.deepEqual(readsState, []);
});

test('the site reads content/: it never runs an importer, the writer (atomic writes aside), the redirects or a command', () => {
  assert.deepEqual(
    crossings(
      under('src/site'),
      anyOf(
        under('importers'),
        (file) => under('src/write')(file) && file !== ATOMIC_WRITE,
        under('src/redirects'),
        under('src/cli'),
        under('src/build'),
      ),
    ),
    [],
  );
});

test("src/write/ is the writer's: outside it, only the commands and the orchestrator use it (atomic writes aside)", () => {
  const user = (file: string) =>
    !under('src/write')(file) && !under('src/cli/commands')(file) && !under('src/build')(file);
  assert.deepEqual(
    crossings(user, (file) => under('src/write')(file) && file !== ATOMIC_WRITE),
    [],
  );
});

test('one module makes slugs (src/slug.ts) and one place parses and writes frontmatter (src/content/)', () => {
  assert.deepEqual(
    all.filter((module) => module.packages.includes('@sindresorhus/slugify')).map((module) => module.file),
    ['src/slug.ts'],
  );
  assert.deepEqual(
    all.filter((module) => module.packages.includes('gray-matter')).map((module) => module.file),
    ['src/content/frontmatter.ts'],
  );
});

test('build and serve are one orchestrator calling functions: no command runs another, no process.env is set to pass configuration', () => {
  const commandRuns = all.filter((module) =>
    !under('src/cli')(module.file) || module.file === 'src/cli/main.ts'
      ? false
      : module.imports.some(under('src/cli/commands')),
  );
  assert.deepEqual(
    commandRuns.map((module) => module.file),
    [],
    'a command imports another command',
  );
  assert.deepEqual(
    crossings((file) => !under('src/cli')(file), under('src/cli')),
    [],
    'only the command line imports the command line',
  );
  const setsEnvironment = all
    .filter((module) => /process\.env(\.\w+|\[[^\]]+\])\s*(=(?!=)|\?\?=|\|\|=)/.test(module.text))
    .map((module) => module.file);
  assert.deepEqual(setsEnvironment, []);
});
