/**
 * Issue 6 in a real browser: Debian's Chromium (playwright-core) over the site `almanac build`
 * made from test/fixtures/site/content, served from 127.0.0.1. Screenshots of home, a post and a
 * thread in light and dark go to test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { threadKey } from '../src/site/siteIndex.ts';
import { chromiumMissing, launchChromium, serveStatic, type StaticServer } from './helpers/browser.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

const SCREENSHOTS = path.join(ROOT, 'test-output/screenshots');
const POST = '/zfsblog/2020/05/boot-environments-with-beadm/';
const THREAD = `/illumos-discuss/threads/${threadKey('<root-1@example.org>')}/`;

describe('the site in Chromium', { skip: chromiumMissing() }, () => {
  let server: StaticServer;
  let browser: Browser;

  before(async () => {
    const dir = await temporaryDirectory('almanac-browser-');
    await cp(path.join(ROOT, 'test/fixtures/site/content'), path.join(dir, 'content'), { recursive: true });
    await writeFile(
      path.join(dir, 'almanac.config.json'),
      JSON.stringify({
        sources: [{ id: 'zfsblog', format: 'blogger', inputs: ['x.xml'], title: 'ZFS Notes' }],
        site: { title: 'Illumos knowledge base', url: 'https://kb.example.org/' },
      }),
    );
    const built = await almanac(
      ['build', '--config', 'almanac.config.json', '--content', 'content', '--out', '_site'],
      { cwd: dir },
    );
    assert.equal(built.code, 0, built.stderr);
    server = await serveStatic(path.join(dir, '_site'));
    browser = await launchChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A page that records console errors, failed requests and requests leaving the site. */
  async function open(
    url: string,
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
    page.on('request', (request) => {
      if (!request.url().startsWith(server.base) && !request.url().startsWith('data:'))
        problems.push(`external request: ${request.url()}`);
    });
    await page.goto(server.base + url, { waitUntil: 'networkidle' });
    return { page, problems };
  }

  test('home renders with no console errors and no external requests', async () => {
    const { page, problems } = await open('/');
    assert.deepEqual(problems, []);
    assert.equal(await page.locator('h1').first().textContent(), 'Illumos knowledge base');
    assert.ok((await page.locator('.post-list__item').count()) >= 3);
    // The search box is Pagefind's own UI, started by /assets/search.js.
    assert.equal(await page.locator('#search .pagefind-ui__search-input').count(), 1);
    await page.close();
  });

  test('a search for a word from one post finds that post (and drafts stay unfindable)', async () => {
    const { page, problems } = await open('/');
    const input = page.locator('#search .pagefind-ui__search-input');
    await input.fill('columns');
    const result = page.locator('.pagefind-ui__result-link').first();
    await result.waitFor({ timeout: 10_000 });
    assert.equal(await result.getAttribute('href'), '/zfsblog/2019/03/listing-pools/');
    assert.equal(await page.locator('.pagefind-ui__result-link').count(), 1);
    await input.fill('quokkasecret');
    await page
      .locator('.pagefind-ui__message')
      .filter({ hasText: /No results/i })
      .waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.pagefind-ui__result-link').count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a thread page shows its replies, nested, with long quotes folded until opened', async () => {
    const { page, problems } = await open(THREAD);
    assert.deepEqual(problems, []);
    assert.equal(await page.locator('.thread__message').count(), 3);
    const nested = page.locator('.thread__message .thread__message .thread__message');
    assert.equal(await nested.count(), 1);
    assert.match((await nested.locator('.mail-message__author').textContent()) ?? '', /Dan Keller/);
    const quote = page.locator('details.quote').first();
    assert.equal(await quote.locator('blockquote').isVisible(), false);
    await quote.locator('summary').click();
    assert.equal(await quote.locator('blockquote').isVisible(), true);
    await page.close();
  });

  test('a post’s code block is highlighted (tokens in their own colours)', async () => {
    const { page, problems } = await open(POST);
    assert.deepEqual(problems, []);
    assert.ok((await page.locator('pre.language-c .token.keyword').count()) > 0);
    // (Evaluated in the page: strings, since the test compiles without the DOM's types.)
    const colorOf = (selector: string) =>
      page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).color`);
    const [keywordColor, plainColor] = [
      await colorOf('pre.language-c .token.keyword'),
      await colorOf('pre.language-c code'),
    ];
    assert.notEqual(keywordColor, plainColor);
    await page.close();
  });

  test('the skip link is the first stop for the keyboard and leads to the main content', async () => {
    const { page } = await open(POST);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate('document.activeElement.id'), 'main');
    await page.close();
  });

  test('screenshots of home, a post and a thread, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [name, url] of [
        ['home', '/'],
        ['post', POST],
        ['thread', THREAD],
      ]) {
        const { page, problems } = await open(url, colorScheme);
        assert.deepEqual(problems, []);
        // Dark really is dark: the page background follows prefers-color-scheme.
        const background = String(await page.evaluate('getComputedStyle(document.body).backgroundColor'));
        const [red] = background.match(/\d+/g)!.map(Number);
        assert.ok(colorScheme === 'dark' ? red < 60 : red > 200, `${name} ${colorScheme}: ${background}`);
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${colorScheme}.png`), fullPage: true });
        await page.close();
      }
    }
  });
});
