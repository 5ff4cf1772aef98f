/**
 * Issue 10: releases from announcements. The unit rules (versions, CVEs, reboot notes, subjects),
 * markRelease over real mail bytes (parsed by postal-mime into Entries, as the mail importer does),
 * and `--release-pattern` through the real import runner on a Blogger backup and, once it
 * exists, an mbox.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { importers } from '../importers/index.ts';
import { UsageError } from '../src/errors.ts';
import type { Entry } from '../src/model.ts';
import { compareVersions, extractVersions } from '../src/releases/extractVersions.ts';
import { cveUrl, findCves } from '../src/releases/findCves.ts';
import { cleanSubject, compilePattern, markRelease } from '../src/releases/markReleases.ts';
import { requiresReboot } from '../src/releases/requiresReboot.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';
import { mailEntries } from './helpers/releaseMail.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/releases');
const OMNIOS = 'OmniOS Community Edition (r\\d+\\w*(?:(?:,\\s*|\\s+and\\s+)r\\d+\\w*)*)';

describe('extractVersions', () => {
  test('splits on commas and "and"', () => {
    assert.deepEqual(extractVersions('r151030be, r151032ae, r151034e'), ['r151030be', 'r151032ae', 'r151034e']);
    assert.deepEqual(extractVersions('r151046 and r151044'), ['r151046', 'r151044']);
    assert.deepEqual(extractVersions('r151030be, r151032ae, and r151034e'), ['r151030be', 'r151032ae', 'r151034e']);
    assert.deepEqual(extractVersions('2023.10'), ['2023.10']);
    assert.deepEqual(extractVersions('  r151046b.  '), ['r151046b']);
    assert.deepEqual(extractVersions('r151046, r151046'), ['r151046']);
  });
  test('orders versions as people read them', () => {
    assert.deepEqual(['r151046b', 'r151044', 'r151046', '1.10', '1.9'].sort(compareVersions), [
      '1.9',
      '1.10',
      'r151044',
      'r151046',
      'r151046b',
    ]);
  });
});

describe('findCves', () => {
  test('finds, upper-cases, deduplicates and sorts CVE ids', () => {
    assert.deepEqual(
      findCves('fixes cve-2023-28486, CVE-2020-1967 and CVE-2023-28486; see CVE-2023-100000 and CVE-2023-9999.'),
      ['CVE-2020-1967', 'CVE-2023-9999', 'CVE-2023-28486', 'CVE-2023-100000'],
    );
    assert.deepEqual(findCves('CVE-20-1 and XCVE-2020-1234x are not ids'), []);
    assert.equal(cveUrl('CVE-2020-1967'), 'https://www.cve.org/CVERecord?id=CVE-2020-1967');
  });
});

describe('requiresReboot', () => {
  for (const text of [
    'This update requires a reboot.',
    'A reboot is required.',
    'Reboot required',
    'Note: these updates require a reboot of the global zone.',
    'You will need to reboot after applying this.',
    'Upgrading requires a reboot into the new boot environment.',
    'r151030be needs a reboot; r151034e does not.',
  ]) {
    test(`says so: ${text}`, () => assert.equal(requiresReboot(text), true));
  }
  for (const text of [
    'This update does not require a reboot.',
    'No reboot is required.',
    'Reboot not required.',
    'It can be applied without a reboot.',
    "This update doesn't need a reboot.",
    'We rebooted the build server.',
    'Does the r151034e update need a reboot of every zone too?',
  ]) {
    test(`does not: ${text}`, () => assert.equal(requiresReboot(text), false));
  }
});

describe('cleanSubject', () => {
  test('takes the list tag and prefixes aside, and tells replies', () => {
    assert.deepEqual(cleanSubject('[OmniOS-discuss] OmniOS Community Edition r151046b'), {
      subject: 'OmniOS Community Edition r151046b',
      reply: false,
    });
    assert.deepEqual(cleanSubject('Re: [omnios-discuss] OmniOS Community Edition r151046b'), {
      subject: 'OmniOS Community Edition r151046b',
      reply: true,
    });
    assert.deepEqual(cleanSubject('[omnios-discuss] RE: Re[2]: x'), { subject: 'x', reply: true });
    assert.deepEqual(cleanSubject('Fwd: [omnios-discuss] OmniOS r1'), { subject: 'OmniOS r1', reply: false });
  });
});

describe('compilePattern', () => {
  test('an invalid regex is a usage error naming the option', () => {
    assert.throws(
      () => compilePattern('OmniOS (r\\d+'),
      (error: unknown) =>
        error instanceof UsageError &&
        /--release-pattern "OmniOS \(r\\d\+" is not a valid regular expression/.test(error.message),
    );
  });
  test('a pattern without a capture group is a usage error', () => {
    assert.throws(
      () => compilePattern('OmniOS r\\d+'),
      (error: unknown) => error instanceof UsageError && /no capture group/.test(error.message),
    );
  });
  test('accepts /pattern/flags', () => {
    assert.equal(compilePattern('/omnios (r\\d+)/i').exec('OmniOS r151046')?.[1], 'r151046');
  });
  test('a product without a pattern (and the reverse) is a usage error', () => {
    const entry = (): Entry => ({
      kind: 'post',
      originalId: 'x',
      title: 'x',
      body: { type: 'text', value: '' },
      tags: [],
      draft: false,
      oldUrls: [],
      comments: [],
    });
    assert.throws(() => markRelease(entry(), { product: 'omnios' }), UsageError);
    assert.throws(() => markRelease(entry(), { releasePattern: OMNIOS }), UsageError);
    assert.equal(markRelease(entry(), {}).kind, 'post');
  });
});

describe('markRelease on announcement mails', async () => {
  const entries = await mailEntries(path.join(FIXTURES, 'omnios-announce.mbox'), 'omnios-discuss');
  const options = { releasePattern: OMNIOS, product: 'omnios' };
  for (const entry of entries) markRelease(entry, options);
  const [weekly, weeklyReply, lts, update, updateReply, question] = entries;

  test('one announcement, several versions (commas), CVEs deduplicated, a reboot', () => {
    assert.equal(weekly.kind, 'release');
    assert.deepEqual(weekly.extra?.versions, ['r151030be', 'r151032ae', 'r151034e']);
    assert.deepEqual(weekly.extra?.security, ['CVE-2020-1967', 'CVE-2020-5260']);
    assert.equal(weekly.extra?.requires_reboot, true);
    assert.equal(weekly.extra?.product, 'omnios');
    assert.equal(weekly.extra?.discussion, '<weekly-2020-15@omnios.example>');
    assert.equal(weekly.extra?.message_id, '<weekly-2020-15@omnios.example>', 'the mail keys stay');
  });
  test('"r151046 and r151044": two versions; "No reboot is required" is not a reboot', () => {
    assert.equal(lts.kind, 'release');
    assert.deepEqual(lts.extra?.versions, ['r151046', 'r151044']);
    assert.deepEqual(lts.extra?.security, []);
    assert.equal(lts.extra?.requires_reboot, false);
  });
  test('one version; "does not require a reboot"; lower-case cve ids count once', () => {
    assert.deepEqual(update.extra?.versions, ['r151046b']);
    assert.deepEqual(update.extra?.security, ['CVE-2023-28486', 'CVE-2023-28487']);
    assert.equal(update.extra?.requires_reboot, false);
  });
  test('replies stay messages and link their release', () => {
    assert.equal(weeklyReply.kind, 'message');
    assert.equal(weeklyReply.extra?.versions, undefined);
    assert.equal(weeklyReply.extra?.release, weekly.permalink);
    assert.equal(updateReply.kind, 'message');
    assert.equal(updateReply.extra?.release, update.permalink);
    assert.equal(weeklyReply.title.startsWith('Re: '), true);
  });
  test('a message that names the product but is no announcement stays a message', () => {
    assert.equal(question.kind, 'message');
    assert.equal(question.extra?.release, undefined);
  });
  test('a reply without "Re:" (only In-Reply-To) is not a release either', () => {
    const [copy] = structuredClone([entries[3]]);
    copy.kind = 'message';
    copy.extra = { message_id: '<other@example.net>', in_reply_to: '<r151046b@omnios.example>' };
    assert.equal(markRelease(copy, options).kind, 'message');
  });
});

describe('almanac import --release-pattern', () => {
  test('a Blogger backup: the matching post becomes a release, the "Re:" post and the others stay posts', async () => {
    const out = await temporaryDirectory();
    const result = await almanac([
      'import',
      path.join(FIXTURES, 'omnios-blog.xml'),
      '--source',
      'omnios-blog',
      '--out',
      out,
      '--release-pattern',
      OMNIOS,
      '--product',
      'omnios',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /3 written/);
    const read = async (file: string) => parseDocument(await readFile(path.join(out, 'omnios-blog', file), 'utf8'));
    const release = await read('2020/05/omnios-r151034.md');
    assert.equal(release.data.kind, 'release');
    assert.equal(release.data.product, 'omnios');
    assert.deepEqual(release.data.versions, ['r151034']);
    assert.deepEqual(release.data.security, ['CVE-2020-8597']);
    assert.equal(release.data.requires_reboot, true);
    assert.match(release.body, /requires a reboot into the new boot environment/, 'the body as written');
    assert.equal((await read('2020/05/re-omnios-r151034.md')).data.kind, 'post');
    assert.equal((await read('2020/05/building-zones.md')).data.kind, 'post');

    // A re-import with the same options changes nothing.
    const again = await almanac([
      'import',
      path.join(FIXTURES, 'omnios-blog.xml'),
      '--source',
      'omnios-blog',
      '--out',
      out,
      '--release-pattern',
      OMNIOS,
      '--product',
      'omnios',
    ]);
    assert.match(again.stdout, /0 written, 3 unchanged/);
  });

  test('an RSS feed: "2023.10 and 2023.04" is two versions; a CVE named as not affecting still counts as named', async () => {
    const out = await temporaryDirectory();
    const result = await almanac([
      'import',
      path.join(FIXTURES, 'openindiana.rss'),
      '--source',
      'oi',
      '--out',
      out,
      '--release-pattern',
      'OpenIndiana Hipster (\\d{4}\\.\\d{2}(?:\\s+and\\s+\\d{4}\\.\\d{2})*)',
      '--product',
      'openindiana',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { scanContent } = await import('../src/content/contentIndex.ts');
    const { documents } = await scanContent(out);
    const byUrl = (part: string) =>
      documents.find((document) => String(document.data.original_url).includes(part))!.data;
    const spring = byUrl('2024-04');
    assert.equal(spring.kind, 'release');
    assert.deepEqual(spring.versions, ['2024.04']);
    assert.deepEqual(spring.security, ['CVE-2024-3094']);
    assert.equal(spring.requires_reboot, true);
    const refresh = byUrl('media-refresh');
    assert.deepEqual(refresh.versions, ['2023.10', '2023.04']);
    assert.equal(refresh.requires_reboot, false);
    assert.equal(byUrl('python-312').kind, 'post');
  });

  test('an invalid pattern: one line, exit 2, nothing written', async () => {
    const out = await temporaryDirectory();
    const result = await almanac([
      'import',
      path.join(FIXTURES, 'omnios-blog.xml'),
      '--out',
      out,
      '--release-pattern',
      'OmniOS (r\\d+',
      '--product',
      'omnios',
    ]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^almanac import: --release-pattern "OmniOS \(r\\d\+" is not a valid regular expression: .*\nTry almanac import --help\.\n$/,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  test('--release-pattern without --product: exit 2 with what to add', async () => {
    const result = await almanac([
      'import',
      path.join(FIXTURES, 'omnios-blog.xml'),
      '--out',
      await temporaryDirectory(),
      '--release-pattern',
      OMNIOS,
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--release-pattern needs --product NAME/);
  });

  const hasMbox = importers.some((importer) => importer.name === 'mbox');
  test('an mbox of announcements through the mail importer', {
    skip: hasMbox
      ? false
      : 'the mbox importer (issue 4) is not registered yet; markRelease is covered on postal-mime entries above',
  }, async () => {
    const out = await temporaryDirectory();
    const result = await almanac([
      'import',
      path.join(FIXTURES, 'omnios-announce.mbox'),
      '--format',
      'mbox',
      '--source',
      'omnios-discuss',
      '--out',
      out,
      '--release-pattern',
      OMNIOS,
      '--product',
      'omnios',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { scanContent } = await import('../src/content/contentIndex.ts');
    const { documents } = await scanContent(out);
    const byTitle = (title: string) => documents.filter((document) => String(document.data.title).includes(title));
    const releases = documents.filter((document) => document.data.kind === 'release');
    assert.deepEqual(
      releases.map((document) => document.data.versions).sort(),
      [['r151030be', 'r151032ae', 'r151034e'], ['r151046', 'r151044'], ['r151046b']].sort(),
    );
    for (const reply of documents.filter((document) => /^Re:/i.test(String(document.data.title)))) {
      assert.equal(reply.data.kind, 'message', `${reply.file} stays a message`);
    }
    const release = (versions: string) =>
      releases.find((document) => (document.data.versions as string[]).join(', ') === versions)!;
    const weekly = release('r151030be, r151032ae, r151034e');
    assert.deepEqual(weekly.data.security, ['CVE-2020-1967', 'CVE-2020-5260']);
    assert.equal(weekly.data.requires_reboot, true);
    assert.equal(
      release('r151046, r151044').data.requires_reboot,
      false,
      '"No reboot is required", in its own paragraph of the mail',
    );
    const update = release('r151046b');
    assert.deepEqual(update.data.security, ['CVE-2023-28486', 'CVE-2023-28487']);
    assert.equal(update.data.requires_reboot, false);
    // The release names its thread; the reply names the release's page.
    assert.equal(update.data.discussion, update.data.thread);
    const [reply] = byTitle('Re: OmniOS Community Edition r151046b');
    assert.equal(reply.data.release, update.permalink);
    assert.equal(reply.data.thread, update.data.thread);
    const [question] = byTitle('Zones and OmniOS');
    assert.equal(question.data.kind, 'message');
  });
});
