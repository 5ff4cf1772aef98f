/**
 * The hand-written part of the bundled knowledge base: Almanac's guides in content/docs/ (the
 * sidebar needs their eleventyNavigation, their links must lead somewhere, their commands must be
 * ones the CLI takes) and the release notes in content/releases/ (issue 10's frontmatter).
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { markdownToMdast } from '../src/convert/markdown.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { visit } from 'unist-util-visit';
import { ROOT } from './helpers/cli.ts';

async function markdownFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

async function documentsUnder(folder: string) {
  return Promise.all(
    (await markdownFiles(path.join(ROOT, folder))).map(async (file) => ({
      file: path.relative(ROOT, file),
      ...parseDocument(await readFile(file, 'utf8')),
    })),
  );
}

const docs = await documentsUnder('content/docs');
const releases = await documentsUnder('content/releases');

test('every guide has a title, a /docs/ permalink and a place in the sidebar', () => {
  const wanted = [
    'index.md',
    'blogger.md',
    'roller.md',
    'mailing-lists.md',
    'redirects/index.md',
    'release-notes.md',
    'terminal.md',
    'frontmatter.md',
    'commands.md',
  ];
  const present = new Set(docs.map((doc) => path.relative('content/docs', doc.file)));
  for (const name of wanted) assert.ok(present.has(name), `content/docs/${name} is missing`);
  const keys = new Map<string, string>();
  const permalinks = new Set<string>();
  for (const doc of docs) {
    assert.equal(typeof doc.data.title, 'string', `${doc.file}: title`);
    assert.match(
      String(doc.data.permalink),
      /^\/docs\/(?:[a-z0-9-]+\/)*$/,
      `${doc.file}: permalink under /docs/ ending in /`,
    );
    assert.ok(!permalinks.has(String(doc.data.permalink)), `${doc.file}: permalink used twice`);
    permalinks.add(String(doc.data.permalink));
    const navigation = doc.data.eleventyNavigation as { key?: unknown; parent?: unknown; order?: unknown } | undefined;
    assert.ok(navigation && typeof navigation.key === 'string', `${doc.file}: eleventyNavigation.key`);
    assert.equal(typeof navigation.order, 'number', `${doc.file}: eleventyNavigation.order`);
    assert.ok(
      !keys.has(navigation.key),
      `${doc.file}: eleventyNavigation.key "${navigation.key}" is also ${keys.get(navigation.key as string)}'s`,
    );
    keys.set(navigation.key, doc.file);
    assert.doesNotMatch(doc.body, /^# /m, `${doc.file}: the layout prints the title as the one h1`);
  }
  for (const doc of docs) {
    const parent = (doc.data.eleventyNavigation as { parent?: string }).parent;
    if (parent !== undefined)
      assert.ok(keys.has(parent), `${doc.file}: eleventyNavigation.parent "${parent}" is no guide's key`);
  }
});

test('links between guides and to release notes lead to pages that exist', () => {
  const targets = new Set([...docs, ...releases].map((doc) => String(doc.data.permalink)));
  // Pages the site itself makes (issue 6's URL scheme), which guides may point at.
  const sitePages = [/^\/releases\/(?:[a-z0-9-]+\/)?$/, /^\/tags\/[a-z0-9-]+\/$/, /^\/feed\.xml$/];
  const local: string[] = [];
  for (const doc of docs) {
    visit(markdownToMdast(doc.body), (node) => {
      if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return;
      const url = (node as { url: string }).url;
      if (!url.startsWith('/')) return;
      local.push(url);
      const pathOnly = url.replace(/[?#].*$/, '');
      if (pathOnly.startsWith('/docs/images/')) return;
      assert.ok(
        targets.has(pathOnly) || sitePages.some((pattern) => pattern.test(pathOnly)),
        `${doc.file} links to ${url}, which is no page`,
      );
    });
  }
  assert.ok(local.length >= 15, 'the guides link to each other');
});

test('every command a guide shows is one the CLI has, with options it takes', async () => {
  const main = await readFile(path.join(ROOT, 'src/cli/main.ts'), 'utf8');
  const commands = new Set(
    [...main.matchAll(/['"]?([a-z-]+)['"]?: \(\) => import\('\.\/commands\//g)].map((match) => match[1]),
  );
  assert.ok(commands.has('import'), 'the command table is readable');
  let checked = 0;
  for (const doc of docs) {
    for (const match of doc.body.matchAll(/^(?:[$#] )?almanac ([a-z-]+)(.*)$/gm)) {
      const [, command, rest] = match;
      assert.ok(commands.has(command), `${doc.file}: "almanac ${command}" is not a command`);
      checked++;
      const help = await readFile(path.join(ROOT, `src/cli/commands/${command}.ts`), 'utf8');
      for (const option of rest.matchAll(/(?:^|\s)(--[a-z-]+)/g)) {
        assert.ok(help.includes(option[1]), `${doc.file}: almanac ${command} has no ${option[1]} option`);
      }
    }
  }
  assert.ok(checked >= 20, `only ${checked} command lines found in the guides`);
});

test("hand-written release notes carry issue 10's frontmatter and live at /releases/<product>/<version>/", () => {
  assert.ok(releases.length >= 2, 'two or more release notes');
  for (const release of releases) {
    const [, product, file] = /^content\/releases\/([^/]+)\/([^/]+)\.md$/.exec(release.file) ?? [];
    assert.ok(product, `${release.file}: content/releases/<product>/<version>.md`);
    const { data } = release;
    assert.equal(data.kind, 'release', `${release.file}: kind`);
    assert.equal(data.product, product, `${release.file}: product matches its folder`);
    assert.ok(Array.isArray(data.versions) && data.versions.includes(file), `${release.file}: versions lists ${file}`);
    assert.equal(data.permalink, `/releases/${product}/${file}/`);
    assert.equal(typeof data.title, 'string');
    assert.match(
      String(data.date),
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/,
      `${release.file}: date with offset`,
    );
    assert.ok(
      Array.isArray(data.security) && data.security.every((id) => /^CVE-\d{4}-\d{4,}$/.test(String(id))),
      `${release.file}: security is a list of CVE ids`,
    );
    for (const cve of data.security as string[])
      assert.ok(release.body.includes(cve), `${release.file}: ${cve} is explained in the text`);
    assert.equal(typeof data.requires_reboot, 'boolean', `${release.file}: requires_reboot`);
    assert.equal(data.source, undefined, `${release.file}: a hand-written release belongs to no imported source`);
  }
});
