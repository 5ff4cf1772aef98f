/**
 * The bundled knowledge base (`examples/` + `almanac.config.json`, what `npm start` imports):
 * every input is well-formed for its format, the config names exactly those files, and each
 * source imports with exit 0 and the documents it is written to hold. Imported together, no
 * document still links to the old URL of another.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { importers } from '../importers/index.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

interface ConfiguredSource {
  id: string;
  format: string;
  inputs: string[];
  oldBase?: string;
  options?: Record<string, unknown>;
}

const config = JSON.parse(await readFile(path.join(ROOT, 'almanac.config.json'), 'utf8')) as {
  sources: ConfiguredSource[];
  redirects: string[];
  site: { title: string; url: string };
};

/** What each example is written to hold: the import's summary, and facts that show its format's quirks survived. */
const expected: Record<
  string,
  { entries: number; written: number; skipped: number; comments?: number; releases?: number }
> = {
  'illumos-notes': { entries: 20, written: 10, skipped: 7, comments: 3 }, // 8 posts, a page, a draft; template + 6 settings skipped
  'virtualization-lab': { entries: 9, written: 5, skipped: 1, comments: 3 }, // two pages repeating one entry, a comments feed
  'bhyve-journal': { entries: 4, written: 4, skipped: 0 },
  'planet-illumos': { entries: 4, written: 4, skipped: 0 },
  'omnios-discuss': { entries: 6, written: 6, skipped: 0, releases: 1 },
  'illumos-discuss': { entries: 5, written: 5, skipped: 0 },
};

const FROM_LINE =
  /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/;
const PIPERMAIL_FROM_LINE =
  /^From \S+ at \S+ {2}(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

function source(id: string): ConfiguredSource {
  const found = config.sources.find((candidate) => candidate.id === id);
  assert.ok(found, `almanac.config.json has no source "${id}"`);
  return found;
}

function inputsOf(id: string): string[] {
  return source(id).inputs.map((input) => path.join(ROOT, input));
}

/** Separator lines of an mbox: a From_ line at the start of the file or after an empty line. */
function separators(text: string, pattern: RegExp): number[] {
  const lines = text.split('\n');
  return lines.flatMap((line, index) =>
    pattern.test(line) && (index === 0 || lines[index - 1] === '') ? [index + 1] : [],
  );
}

async function filesUnder(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) found.push(path.join(entry.parentPath, entry.name));
  }
  return found;
}

/** `almanac import` arguments for a configured source: options in camelCase become their --kebab-case flags. */
function importArguments(configured: ConfiguredSource, out: string, report: string): string[] {
  const args = [
    'import',
    ...configured.inputs,
    '--format',
    configured.format,
    '--source',
    configured.id,
    '--out',
    out,
    '--report',
    report,
  ];
  if (configured.oldBase) args.push('--old-base', configured.oldBase);
  for (const [key, value] of Object.entries(configured.options ?? {})) {
    const flag = `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
    for (const item of [value].flat()) {
      if (item === true) args.push(flag);
      else if (item !== false) args.push(flag, String(item));
    }
  }
  return args;
}

test('the config names every example, each file exists, and the site settings are there', async () => {
  assert.equal(config.site.title, 'illumos & virtualization knowledge base');
  assert.equal(config.site.url, 'http://localhost:8080');
  assert.deepEqual(config.redirects, ['netlify', 'html']);
  assert.deepEqual(config.sources.map((configured) => configured.id).sort(), Object.keys(expected).sort());
  const named = new Set<string>();
  for (const configured of config.sources) {
    assert.match(configured.id, /^[a-z0-9][a-z0-9-]*$/, `source id "${configured.id}" must be a folder-safe slug`);
    assert.ok(
      ['blogger', 'roller', 'atom', 'rss', 'mbox', 'pipermail'].includes(configured.format),
      `${configured.id}: unknown format ${configured.format}`,
    );
    for (const input of configured.inputs) {
      assert.ok(!path.isAbsolute(input), `${configured.id}: ${input} must be relative to the repository`);
      assert.ok(existsSync(path.join(ROOT, input)), `${configured.id}: ${input} does not exist`);
      named.add(path.join(ROOT, input));
    }
  }
  const shipped = (await filesUnder(path.join(ROOT, 'examples'))).filter((file) => !file.endsWith('.md'));
  assert.deepEqual(
    shipped.filter((file) => !named.has(file)),
    [],
    'every example input is imported by the config',
  );
  const ignored = await readFile(path.join(ROOT, '.gitignore'), 'utf8');
  for (const configured of config.sources)
    assert.match(
      ignored,
      new RegExp(`^content/${configured.id}/$`, 'm'),
      `content/${configured.id}/ is built, not committed`,
    );
});

test('every XML example is well-formed and uses only the entities XML defines', async () => {
  for (const id of ['illumos-notes', 'virtualization-lab', 'bhyve-journal', 'planet-illumos']) {
    for (const input of inputsOf(id)) {
      const text = await readFile(input, 'utf8');
      const result = XMLValidator.validate(text);
      assert.equal(result, true, `${path.relative(ROOT, input)}: ${JSON.stringify(result)}`);
      assert.doesNotMatch(text, /<!DOCTYPE|<!ENTITY/, `${path.relative(ROOT, input)} declares no DTD`);
    }
  }
});

test('the Blogger backup is a classic backup with the entries Blogger writes', async () => {
  const [input] = inputsOf('illumos-notes');
  assert.match(path.basename(input), /^blog-\d\d-\d\d-\d{4}\.xml$/);
  const text = await readFile(input, 'utf8');
  const kinds = [...text.matchAll(/kind#(\w+)"/g)].map((match) => match[1]);
  const count = (kind: string) => kinds.filter((found) => found === kind).length;
  assert.deepEqual(
    {
      post: count('post'),
      page: count('page'),
      comment: count('comment'),
      settings: count('settings'),
      template: count('template'),
    },
    { post: 9, page: 1, comment: 3, settings: 6, template: 1 },
  );
  assert.equal(text.match(/<app:draft>yes<\/app:draft>/g)?.length, 1, 'one draft');
  assert.equal(text.match(/rel="related"/g)?.length, 1, 'one reply to a comment');
  for (const html of [
    '&lt;div dir="ltr" style="text-align: left;" trbidi="on"&gt;',
    '&lt;br /&gt;&lt;br /&gt;',
    '&amp;nbsp;',
    'monospace;"&gt;',
    '&lt;pre&gt;',
    '&lt;table',
    '&lt;a href="/docs/images/zpool-mirror.svg"',
    'href="http://illumos-notes.blogspot.com/2009/02/',
  ]) {
    assert.ok(text.includes(html), `the backup's HTML has ${html}`);
  }
  assert.ok(
    existsSync(path.join(ROOT, 'content/docs/images/zpool-mirror.svg')),
    'the image the backup shows is published with the site',
  );
});

test("the Roller feed pages, the RSS feed and the planet feed carry their formats' marks", async () => {
  const [page1, page2, comments] = await Promise.all(
    inputsOf('virtualization-lab').map((input) => readFile(input, 'utf8')),
  );
  assert.match(page1, /<link rel="next" type="application\/atom\+xml" href="[^"]+\?page=1" \/>/);
  assert.doesNotMatch(page2, /rel="next"/);
  assert.match(page1, /<generator uri="http:\/\/roller\.apache\.org"[^>]*>Apache Roller<\/generator>/);
  assert.match(page1, /<id>http:\/\/blogs\.sun\.com\/virtlab\/entry\/\w+<\/id>/);
  assert.match(page1, /scheme="http:\/\/roller\.apache\.org\/ns\/tags\/"/);
  assert.match(
    page1,
    /&lt;a href="http:\/\/illumos-notes\.blogspot\.com\/2009\/02\/zones-in-five-minutes-on-opensolaris\.html"&gt;/,
    'links a Blogger post by its old URL',
  );
  assert.match(page1, /<content type="html">[^&<]/, 'Sun-era bodies open without <p>');
  assert.match(comments, /<id>http:\/\/blogs\.sun\.com\/virtlab\/entry\/\w+#comment-\d+<\/id>/);

  const rss = await readFile(inputsOf('bhyve-journal')[0], 'utf8');
  assert.equal(rss.match(/<content:encoded><!\[CDATA\[/g)?.length, 4);
  for (const zone of ['GMT', 'EST', 'PST', '+0100'])
    assert.match(rss, new RegExp(`<pubDate>\\w{3}, \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\${zone}</pubDate>`));
  assert.equal(rss.match(/<dc:creator>/g)?.length, 4);

  const planet = await readFile(inputsOf('planet-illumos')[0], 'utf8');
  assert.equal(planet.match(/<entry[\s>]/g)?.length, 4);
  assert.equal(planet.match(/<source>/g)?.length, 4, 'every planet entry names its blog');
});

test('the mbox splits into its six messages on From_ lines, with mboxo escaping, MIME and encoded words', async () => {
  const text = (await readFile(inputsOf('omnios-discuss')[0])).toString('latin1');
  assert.deepEqual(separators(text, FROM_LINE).length, 6);
  // Every line that begins "From " is a separator: body lines were escaped as ">From " (mboxo).
  assert.equal(text.split('\n').filter((line) => line.startsWith('From ')).length, 6);
  assert.equal(text.split('\n').filter((line) => line.startsWith('>From ')).length, 2);
  assert.match(text, /^Subject: \[omnios-discuss\] OmniOS Community Edition r151046b, r151044az$/m);
  assert.match(text, /requires a reboot/);
  assert.match(text, /CVE-\d{4}-\d{4,}/);
  assert.match(text, /^From: =\?UTF-8\?Q\?J=C3=B6rg_Wei=C3=9F\?= <joerg@example\.com>$/m, 'an RFC 2047 name');
  assert.match(text, /^Subject: \[omnios-discuss\] =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/m, 'an RFC 2047 subject');
  assert.match(text, /^Content-Transfer-Encoding: quoted-printable$/m);
  assert.match(text, /^Content-Type: text\/x-patch;/m);
  assert.match(text, /^Content-Type: text\/plain; charset=ISO-8859-1; format=flowed$/m);
  assert.ok(text.includes('Fran\u00e7ois\n'), 'a raw ISO-8859-1 body');
  assert.deepEqual(
    [
      ...new Set(
        text
          .match(/[\w.+-]+@[\w.-]+\.[a-z]+/gi)
          ?.map((address) => address.split('@')[1].split('.').slice(-2).join('.')),
      ),
    ].sort(),
    ['example.com', 'example.net', 'example.org'],
  );
});

test('the Pipermail month splits into its five messages, though one body line begins "From "', async () => {
  const text = await readFile(inputsOf('illumos-discuss')[0], 'utf8');
  assert.match(path.basename(inputsOf('illumos-discuss')[0]), /^\d{4}-[A-Z][a-z]+\.txt$/);
  assert.equal(separators(text, PIPERMAIL_FROM_LINE).length, 5);
  assert.ok(
    text.split('\n').some((line) => line.startsWith('From ') && !PIPERMAIL_FROM_LINE.test(line)),
    'an unescaped body line beginning "From " (Pipermail never escapes)',
  );
  assert.doesNotMatch(
    text.replace(/<[^<>\s@]+@[^<>\s@]+>/g, '<message-id>'),
    /@/,
    'Pipermail writes addresses "user at host" (only Message-IDs keep their @)',
  );
  assert.doesNotMatch(text, /^(MIME-Version|Content-Type):/m, 'Pipermail keeps no MIME headers');
  assert.match(text, /^-------------- next part --------------\nA non-text attachment was scrubbed\.\.\.$/m);
});

const registered = new Set<string>(importers.map((importer) => importer.name));
/** The sources are imported one after the other into one folder, as `almanac build` does, so the last test can check links across them. */
const together = await temporaryDirectory();

for (const configured of config.sources) {
  const reason = registered.has(configured.format as never)
    ? false
    : `the ${configured.format} importer is not registered in importers/index.ts yet`;
  test(`${configured.id} (${configured.format}) imports with exit 0 and the expected documents`, {
    skip: reason,
  }, async () => {
    const out = together;
    const report = path.join(out, `${configured.id}.json`);
    const result = await almanac(importArguments(configured, out, report));
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(await readFile(report, 'utf8')) as {
      entries: number;
      written: number;
      skipped: unknown[];
      comments?: number;
    };
    const want = expected[configured.id];
    assert.deepEqual(
      {
        entries: summary.entries,
        written: summary.written,
        skipped: summary.skipped.length,
        ...(want.comments === undefined ? {} : { comments: summary.comments }),
      },
      {
        entries: want.entries,
        written: want.written,
        skipped: want.skipped,
        ...(want.comments === undefined ? {} : { comments: want.comments }),
      },
      JSON.stringify(summary.skipped),
    );
    const documents = await Promise.all(
      (await filesUnder(path.join(out, configured.id)))
        .filter((file) => file.endsWith('.md'))
        .map(async (file) => parseDocument(await readFile(file, 'utf8'))),
    );
    assert.equal(documents.length, want.written);
    for (const document of documents) {
      assert.equal(document.data.source, configured.id);
      assert.match(String(document.data.permalink), new RegExp(`^/${configured.id}/`));
    }
    if (want.releases !== undefined) {
      const releases = documents.filter((document) => document.data.kind === 'release');
      assert.equal(releases.length, want.releases);
      assert.deepEqual(releases[0].data.versions, ['r151046b', 'r151044az']);
      assert.equal(releases[0].data.requires_reboot, true);
      assert.ok((releases[0].data.security as string[]).includes('CVE-2023-0464'));
    }
    if (configured.format === 'mbox' || configured.format === 'pipermail') {
      // The senders' addresses, as the inputs spell them (Pipermail's "user at host" back to user@host).
      const raw = (await Promise.all(inputsOf(configured.id).map((input) => readFile(input, 'latin1')))).join('\n');
      const senders = new Set(
        [
          ...raw.matchAll(
            /^From:.*?<?([\w.+-]+)(?:@| at )([\w-]+\.example\.(?:com|org|net)|example\.(?:com|org|net))>?/gm,
          ),
        ].map((match) => `${match[1]}@${match[2]}`),
      );
      assert.ok(senders.size >= 4, [...senders].join(', '));
      for (const document of documents) {
        const published = JSON.stringify(document.data) + document.body;
        for (const address of senders)
          assert.ok(!published.includes(address), `${document.data.permalink} publishes ${address}`);
      }
    }
  });
}

test('imported together in config order, no document links to the old URL of another (after the per-source tests)', {
  skip: config.sources.every((configured) => registered.has(configured.format as never))
    ? false
    : 'not every configured format has its importer registered yet',
}, async () => {
  const out = together;
  for (const configured of config.sources)
    assert.ok(existsSync(path.join(out, `${configured.id}.json`)), `${configured.id} was imported by its own test`);
  const documents = await Promise.all(
    (await filesUnder(out))
      .filter((file) => file.endsWith('.md'))
      .map(async (file) => ({ file, ...parseDocument(await readFile(file, 'utf8')) })),
  );
  const oldUrls = documents.flatMap((document) =>
    typeof document.data.original_url === 'string' ? [document.data.original_url] : [],
  );
  assert.ok(oldUrls.length >= 20);
  for (const document of documents) {
    for (const url of oldUrls)
      assert.ok(!document.body.includes(`](${url})`), `${path.relative(out, document.file)} still links to ${url}`);
  }
  const crossbow = documents.find(
    (document) => document.data.original_url === 'http://blogs.sun.com/virtlab/entry/crossbow_vnics_for_zones',
  );
  assert.ok(
    crossbow?.body.includes('](/illumos-notes/2009/02/zones-in-five-minutes-on-opensolaris/)'),
    'the Roller post links the Blogger post at its new permalink',
  );
});
