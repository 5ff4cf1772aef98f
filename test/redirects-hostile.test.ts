/**
 * Hostile old URLs and targets (quotes, semicolons, braces, `$`, backslashes, newlines, non-ASCII,
 * very long) never break a config or inject a directive: `nginx -t` and `apache2 -t` pass for configs
 * built from arbitrary URLs (fast-check), and real servers answer each hostile old URL with exactly
 * its 301 — an injected `return 200` or `RewriteRule` would show as another answer.
 */
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { checkRedirects } from '../src/redirects/checks.ts';
import type { Redirect } from '../src/redirects/map.ts';
import apache, { compileDbm, findHttxt2dbm } from '../src/redirects/writers/apache.ts';
import caddy from '../src/redirects/writers/caddy.ts';
import htaccess from '../src/redirects/writers/htaccess.ts';
import nginx from '../src/redirects/writers/nginx.ts';
import type { RedirectWriter } from '../src/redirects/writers/writer.ts';
import { temporaryDirectory } from './helpers/cli.ts';
import { locationPath, oldUrlOf, rawGet } from './helpers/redirectRequests.ts';
import {
  apacheTest,
  caddyValidate,
  nginxTest,
  serverMissing,
  startApache,
  startCaddy,
  startNginx,
} from './helpers/servers.ts';

/** Pieces that mean something to nginx, Apache, regexes, shells or HTTP. */
const NASTY = [
  '"',
  "'",
  '`',
  ';',
  '{',
  '}',
  '$',
  '${x}',
  '$uri',
  '\\',
  '\\"',
  '\\n',
  '\n',
  '\r',
  ' ',
  '\t',
  '#',
  '%',
  '%0A',
  '%2F',
  '?',
  '&',
  '*',
  ':',
  '!',
  '[',
  ']',
  '(',
  ')',
  '|',
  '^',
  '<',
  '>',
  '~',
  '+',
  '=',
  '@',
  'é',
  '日本',
  '\u2028',
  '\u00a0',
  '💥',
  '; return 200 "pwned";',
  '" [R=302] #',
  '}\nserver { listen 9; }',
  '\nRewriteRule .* http://evil.example/ [R=302]',
  'x'.repeat(300),
];

const segment = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom(...NASTY)), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.join(''));
const oldPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
const hostileRedirects = fc.uniqueArray(fc.record({ from: oldPath, to: oldPath.map((target) => `/new${target}/`) }), {
  minLength: 1,
  maxLength: 20,
  selector: (redirect) => redirect.from,
});

/** The checked map of hostile candidates, as the CLI would pass it to a writer (refused ones dropped with a reason). */
async function checked(candidates: Array<{ from: string; to: string }>): Promise<Redirect[]> {
  const withOrigin = candidates.map((candidate) => ({ ...candidate, origin: 'hostile' }));
  const result = await checkRedirects(withOrigin, { pages: new Set(withOrigin.map((candidate) => candidate.to)) });
  return result.redirects;
}

async function writeFiles(dir: string, writer: RedirectWriter, redirects: Redirect[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = writer.write(redirects, { serverDir: dir, apacheMapType: 'txt' }).files;
  for (const file of files) await writeFile(path.join(dir, file.path), file.content);
  return files.map((file) => path.join(dir, file.path));
}

let tmp: string;
before(async () => {
  tmp = await temporaryDirectory('almanac-hostile-redirects-');
});
after(() => rm(tmp, { recursive: true, force: true }));

describe("configs from hostile URLs pass the servers' own config test", () => {
  test('nginx -t', { skip: serverMissing('nginx') }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(hostileRedirects, async (candidates) => {
        const [http, server] = await writeFiles(path.join(tmp, `nginx-${run++}`), nginx, await checked(candidates));
        await nginxTest({ root: tmp, httpInclude: http, serverInclude: server });
      }),
      { numRuns: 25, seed: 5 },
    );
  });

  test('apache2 -t', { skip: serverMissing('apache2') }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(hostileRedirects, async (candidates) => {
        const [conf] = await writeFiles(path.join(tmp, `apache-${run++}`), apache, await checked(candidates));
        await apacheTest({ root: tmp, vhostInclude: conf });
      }),
      { numRuns: 25, seed: 5 },
    );
  });
  test('caddy validate', { skip: serverMissing('caddy') }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(hostileRedirects, async (candidates) => {
        const [file] = await writeFiles(path.join(tmp, `caddy-${run++}`), caddy, await checked(candidates));
        await caddyValidate({ root: tmp, siteImport: file });
      }),
      { numRuns: 10, seed: 5 },
    );
  });
});

describe('real servers answer each hostile old URL with its own 301 and nothing injected', () => {
  let redirects: Redirect[];
  before(async () => {
    const candidates = fc.sample(hostileRedirects, { numRuns: 12, seed: 42 }).flat();
    // Plus the injections written out whole, in the path and in the target.
    for (const [index, nasty] of NASTY.entries())
      candidates.push({ from: `/inject-${index}/${nasty}`, to: `/new/inject-${index}/${nasty}/` });
    const unique = [...new Map(candidates.map((candidate) => [candidate.from, candidate])).values()];
    redirects = await checked(unique);
    assert.ok(redirects.length > 40, `only ${redirects.length} hostile redirects survived the checks`);
  });

  /** `leftOut`: the old URLs the writer reported it cannot carry (each with a warning). */
  const assertAnswers = async (base: string, errorLog: () => Promise<string>, leftOut: string[] = []) => {
    const wrong: string[] = [];
    const expected = redirects.filter(
      (redirect) => !leftOut.some((warning) => warning.includes(redirect.from.slice(0, 60))),
    );
    assert.ok(
      expected.length >= redirects.length - 10,
      `${redirects.length - expected.length} old URLs left out: ${leftOut.join('\n')}`,
    );
    for (const redirect of expected) {
      const answer = await rawGet(base, oldUrlOf(redirect));
      const landed = locationPath(base, answer.location);
      if (answer.status !== 301 || landed !== redirect.to)
        wrong.push(`${JSON.stringify(redirect.from)}: ${answer.status} ${landed}`);
    }
    const canary = await rawGet(base, '/pwned');
    if (canary.status !== 404) wrong.push(`/pwned answered ${canary.status}`);
    assert.deepEqual(
      wrong,
      [],
      `${wrong.length} of ${redirects.length} wrong:\n${wrong.slice(0, 20).join('\n')}\n${await errorLog()}`,
    );
  };

  test('nginx', { skip: serverMissing('nginx') }, async () => {
    const [http, server] = await writeFiles(path.join(tmp, 'serve-nginx'), nginx, redirects);
    const running = await startNginx({ root: tmp, httpInclude: http, serverInclude: server });
    try {
      await assertAnswers(running.base, running.errorLog);
    } finally {
      await running.stop();
    }
  });

  test('apache2 with a dbm RewriteMap', { skip: serverMissing('apache2') }, async () => {
    const dir = path.join(tmp, 'serve-apache');
    await mkdir(dir, { recursive: true });
    const tool = await findHttxt2dbm();
    const { files, warnings } = apache.write(redirects, { serverDir: dir, apacheMapType: tool ? 'dbm' : 'txt' });
    for (const file of files) await writeFile(path.join(dir, file.path), file.content);
    if (tool) await compileDbm(tool, path.join(dir, 'almanac-redirects.txt'), path.join(dir, 'almanac-redirects.dbm'));
    const running = await startApache({ root: tmp, vhostInclude: path.join(dir, 'almanac-redirects.conf') });
    try {
      await assertAnswers(running.base, running.errorLog, warnings);
    } finally {
      await running.stop();
    }
  });

  test('apache2 with .htaccess', { skip: serverMissing('apache2') }, async () => {
    const root = path.join(tmp, 'serve-htaccess');
    await mkdir(root, { recursive: true });
    const { files, warnings } = htaccess.write(redirects, { serverDir: root });
    await writeFile(path.join(root, '.htaccess'), files[0].content);
    const running = await startApache({ root, htaccess: true });
    try {
      await assertAnswers(running.base, running.errorLog, warnings);
    } finally {
      await running.stop();
    }
  });

  test('caddy', { skip: serverMissing('caddy') }, async () => {
    const dir = path.join(tmp, 'serve-caddy');
    await mkdir(dir, { recursive: true });
    const { files, warnings } = caddy.write(redirects, { serverDir: dir });
    await writeFile(path.join(dir, files[0].path), files[0].content);
    const running = await startCaddy({ root: tmp, siteImport: path.join(dir, files[0].path) });
    try {
      await assertAnswers(running.base, running.errorLog, warnings);
    } finally {
      await running.stop();
    }
  });
});
