/**
 * Issue 8, redirects: no old URL may send a visitor to another host. Hand-written content whose
 * redirect_from values and permalinks try `//evil.example`, `/\evil.example`, absolute URLs,
 * encoded slashes and backslashes, tabs and newlines goes through `almanac redirects --format
 * json|nginx|netlify` (the real CLI): every target written is a path on this site, and every
 * hostile target is refused with its reason.
 */
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { stringifyDocument } from '../src/content/frontmatter.ts';
import { temporaryDirectory } from './helpers/cli.ts';
import { boundedAlmanac } from './hostile/bounded.ts';

const SITE = 'https://site.example';
const HOSTILE = [
  '//evil.example',
  '//evil.example/',
  '/\\evil.example',
  '/\\/evil.example/',
  'https://evil.example/',
  'http://evil.example/x.html',
  '/%2F%2Fevil.example',
  '/%2f%2fevil.example/',
  '/%5Cevil.example/',
  '/%5C%5Cevil.example/',
  '/\t/evil.example/',
  '/\n/evil.example/',
  '\t//evil.example/',
  ' //evil.example/',
  '/%09/evil.example/',
  '/%0A/evil.example/',
  '/%0D%0A//evil.example/',
  'javascript:alert(1)',
  '/./\\evil.example/',
  '///evil.example/',
  'HTTPS:evil.example',
];

/** Whether a browser on this site, following a Location (or link) to `value`, stays on this site. */
function staysOnSite(value: string): boolean {
  // Browsers drop tabs and newlines inside URLs and read `\` as `/`; check the raw text and each decoding of it.
  const candidates = new Set([value, value.replace(/[\t\n\r]/g, '')]);
  for (const candidate of [...candidates]) {
    try {
      candidates.add(decodeURIComponent(candidate));
    } catch {
      // not decodable: the raw form is what a browser sees
    }
  }
  return [...candidates].every((candidate) => {
    try {
      return (
        new URL(candidate, `${SITE}/some/page/`).origin === SITE &&
        !/^[\s]*[a-z][a-z0-9+.-]*:/i.test(candidate.replace(/^\/+/, ''))
      );
    } catch {
      return true; // not a URL at all: a browser cannot go anywhere with it
    }
  });
}

async function writeDocument(content: string, name: string, data: Record<string, unknown>): Promise<void> {
  await mkdir(path.join(content, 'notes'), { recursive: true });
  await writeFile(
    path.join(content, 'notes', `${name}.md`),
    stringifyDocument({ title: name, source: 'notes', kind: 'page', ...data }, `${name}.\n`),
  );
}

/** Every (from, to) pair of one format's output. */
async function pairs(
  format: 'json' | 'nginx' | 'netlify',
  dir: string,
  stdout: string,
): Promise<Array<{ from: string; to: string }>> {
  if (format === 'json')
    return (JSON.parse(stdout) as Array<{ from: string; to: string }>).map(({ from, to }) => ({ from, to }));
  if (format === 'netlify') {
    return stdout
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => {
        const [from, to] = line.trim().split(/\s+/);
        return { from, to };
      });
  }
  const http = await readFile(path.join(dir, 'almanac-redirects.http.conf'), 'utf8');
  const unquote = (text: string) => text.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
  return [...http.matchAll(/^\s*("(?:[^"\\]|\\.)*"|\S+)\s+("(?:[^"\\]|\\.)*"|\S+);$/gm)]
    .filter((match) => !['default', 'map_hash_max_size', 'map_hash_bucket_size'].includes(match[1]))
    .map((match) => ({ from: unquote(match[1]), to: unquote(match[2]) }));
}

test('hostile redirect_from values never become a redirect off-site (json, nginx, netlify)', async () => {
  const dir = await temporaryDirectory('almanac-hostile-redirects-');
  const content = path.join(dir, 'content');
  await writeDocument(content, 'good', { permalink: '/notes/good/', redirect_from: [...HOSTILE, '/old/fine.html'] });
  for (const format of ['json', 'nginx', 'netlify'] as const) {
    const out = path.join(dir, format);
    const result = await boundedAlmanac([
      'redirects',
      '--content',
      content,
      '--format',
      format,
      ...(format === 'nginx' ? ['--out', out] : []),
    ]);
    assert.equal(result.code, 0, `${format}: ${result.stderr}`);
    assert.ok(result.cpuMs < 10_000 && result.peakMb < 500, `${format}: ${result.cpuMs} ms, ${result.peakMb} MB`);
    const written = await pairs(format, out, result.stdout);
    assert.ok(
      written.some((pair) => pair.from === '/old/fine.html' && pair.to === '/notes/good/'),
      `${format}: the ordinary old URL is missing: ${JSON.stringify(written)}`,
    );
    for (const pair of written) {
      assert.ok(staysOnSite(pair.to), `${format}: target ${JSON.stringify(pair.to)} leaves the site`);
      assert.equal(pair.to, '/notes/good/', `${format}: ${JSON.stringify(pair)}`);
      // An old URL is matched on this host only: it must be one path, never read as another host.
      assert.ok(
        pair.from.startsWith('/') && !pair.from.startsWith('//') && !/[\t\n\r]/.test(pair.from),
        `${format}: old URL ${JSON.stringify(pair.from)}`,
      );
    }
    // Each hostile value is written as an old path of this host, or reported with the reason it was left out.
    const decoded = (value: string) => {
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    };
    const unaccounted = HOSTILE.filter((value) => {
      const forms = new Set([value, decoded(value)]);
      try {
        forms.add(new URL(value).pathname); // an absolute old URL stands for its path
      } catch {
        // a path already
      }
      if (written.some((pair) => forms.has(pair.from) || forms.has(decoded(pair.from)))) return false;
      return ![...forms].some((form) =>
        [JSON.stringify(form), `"${form}"`, `old URL ${form} `].some((shown) => result.stderr.includes(shown)),
      );
    });
    assert.deepEqual(unaccounted, [], `${format}: neither written nor reported:\n${result.stderr}`);
  }
});

test('a permalink off-site is refused with its reason, and nothing is written (json, nginx, netlify)', async () => {
  const dir = await temporaryDirectory('almanac-hostile-targets-');
  const content = path.join(dir, 'content');
  await writeDocument(content, 'fine', { permalink: '/notes/fine/', redirect_from: ['/old/fine.html'] });
  for (const [index, permalink] of HOSTILE.entries())
    await writeDocument(content, `hostile-${index}`, { permalink, redirect_from: [`/old/hostile-${index}.html`] });
  for (const format of ['json', 'nginx', 'netlify'] as const) {
    const out = path.join(dir, `${format}-out`);
    const result = await boundedAlmanac([
      'redirects',
      '--content',
      content,
      '--format',
      format,
      ...(format === 'nginx' ? ['--out', out] : []),
    ]);
    assert.doesNotMatch(result.stderr, /\n\s+at /, `${format}: stack trace`);
    assert.equal(result.code, 1, `${format}: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    assert.equal(result.stdout, '', `${format}: something was written`);
    assert.deepEqual(await readdir(out).catch(() => []), [], `${format}: files were written`);
    // Each hostile document is named, with its reason (or, for a permalink that is no path at all, left out with one).
    const unexplained = HOSTILE.filter(
      (_permalink, index) =>
        !result.stderr
          .split('\n')
          .some(
            (line) =>
              line.includes(`hostile-${index}.md`) &&
              /refused|not a path|left out|another host|control character/.test(line),
          ),
    );
    assert.deepEqual(unexplained, [], `${format}: no reason given for these permalinks:\n${result.stderr}`);
  }
});
