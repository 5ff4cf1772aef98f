/**
 * Issue 10: `almanac announce <file.md>` — a release note as a plain-text mail body, checked
 * line by line on the real command's output.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import stringWidth from 'string-width';
import { almanac, ROOT, temporaryDirectory } from './helpers/cli.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/releases');
const URL_ONLY = /^https?:\/\/\S+$/;

/** Every check a list subscriber's mail client would care about. */
function checkMailBody(text: string): { body: string[]; references: Map<number, string> } {
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const lines = text.slice(0, -1).split('\n');
  assert.match(lines[0], /^Subject: \S/, 'a subject suggestion first');
  let index = 1;
  while (lines[index].startsWith(' ')) index++; // a folded subject continues with a space
  assert.equal(lines[index], '', 'a blank line after the subject');

  for (const [number, line] of lines.entries()) {
    const where = `line ${number + 1}: ${JSON.stringify(line)}`;
    assert.ok(stringWidth(line) <= 72 || URL_ONLY.test(line), `${where} is wider than 72 columns`);
    assert.doesNotMatch(
      line,
      /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/,
      `${where} has a control character or terminal escape`,
    );
    assert.doesNotMatch(
      line,
      /\*\*|__|`|~~|\]\(|!\[|^\s*#{1,6}\s|<https?:|^\[[^\]]+\]:\s|^\s*\|.*\|\s*$|^\s*[-+]\s/,
      `${where} still has Markdown syntax`,
    );
    assert.doesNotMatch(line, /\s$/, `${where} has trailing white space`);
  }

  // The references: "[n] URL" (or "[n]" and the URL alone on the next line), numbered 1, 2, 3…
  const references = new Map<number, string>();
  let start = lines.length;
  while (
    start > 0 &&
    (/^\[\d+\]( \S+)?$/.test(lines[start - 1]) ||
      (URL_ONLY.test(lines[start - 1]) && /^\[\d+\]$/.test(lines[start - 2] ?? '')))
  )
    start--;
  for (let position = start; position < lines.length; position++) {
    const match = /^\[(\d+)\](?: (\S+))?$/.exec(lines[position])!;
    const url = match[2] ?? lines[++position];
    assert.match(url, URL_ONLY, `reference [${match[1]}] names a URL`);
    references.set(Number(match[1]), url);
  }
  assert.deepEqual(
    [...references.keys()],
    Array.from({ length: references.size }, (_, i) => i + 1),
    'numbered from 1 without gaps',
  );
  const body = lines.slice(0, start);
  const cited = new Set([...body.join('\n').matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
  for (const number of cited) assert.ok(references.has(number), `[${number}] is listed at the end`);
  for (const number of references.keys()) assert.ok(cited.has(number), `[${number}] is cited in the text`);
  return { body, references };
}

describe('almanac announce', () => {
  test('a rich release note: wrapped, plain, numbered links, facts from the frontmatter', async () => {
    const result = await almanac(['announce', path.join(FIXTURES, 'announce/r151050.md')]);
    assert.equal(result.code, 0, result.stderr);
    const { body, references } = checkMailBody(result.stdout);
    const text = body.join('\n');

    assert.equal(body[0], 'Subject: OmniOS Community Edition r151050: the long-term-supported');
    assert.equal(body[1], ' release of spring, with a subject far longer than one line');
    assert.ok(body.includes('Versions: r151050, r151048e, r151046ao'));
    assert.match(text, /^Security fixes: CVE-2024-2961 \[(\d+)\], CVE-2024-3094 \[(\d+)\]$/m);
    const cve = /CVE-2024-2961 \[(\d+)\]/.exec(text)!;
    assert.equal(references.get(Number(cve[1])), 'https://www.cve.org/CVERecord?id=CVE-2024-2961');
    assert.ok(body.includes('This update requires a reboot.'));

    // Headings underlined, emphasis gone, inline code bare.
    assert.deepEqual(body.slice(body.indexOf('What is new'), body.indexOf('What is new') + 2), [
      'What is new',
      '===========',
    ]);
    assert.deepEqual(body.slice(body.indexOf('Upgrading'), body.indexOf('Upgrading') + 2), ['Upgrading', '---------']);
    assert.match(text, /OmniOS r151050 is the new LTS release/);
    assert.match(text, /brings bhyve improvements, a new zadm/);

    // Lists as "  * " and "  1. ", nested lists indented further, code indented by 4 within its item.
    assert.ok(body.includes('  * Zones need no changes.'));
    assert.ok(body.some((line) => /^ {6}\* Except lx zones/.test(line)));
    assert.ok(
      body.some((line) => /^ {2}1\. Read the upgrade guide \[\d+\]\.$/.test(line)),
      'a reference-style link resolves too',
    );
    assert.ok(body.includes('         pkg update -be-name r151050 -r'), "code: 4 spaces inside the item's 5");
    assert.ok(body.includes('         beadm list'));

    // Links: text then [n]; an autolink is its reference; the same URL keeps its number.
    const notes = /see the full\s+release notes \[(\d+)\] and \[(\d+)\]\./.exec(text)!;
    assert.ok(notes, text);
    assert.equal(
      references.get(Number(notes[1])),
      'https://github.com/omniosorg/omnios-build/blob/r151050/doc/ReleaseNotes.md',
    );
    assert.equal(references.get(Number(notes[2])), 'https://omnios.org/upgrade');
    assert.match(text, /Read the upgrade guide \[(\d+)\]/);
    assert.equal(
      /upgrade guide \[(\d+)\]/.exec(text)![1],
      notes[2],
      'the guide and the autolink are one URL, one number',
    );
    const illumos = [...text.matchAll(/(?:illumos community|mailing list) \[(\d+)\]/g)].map((match) => match[1]);
    assert.equal(illumos.length, 2);
    assert.equal(illumos[0], illumos[1]);
    assert.match(text, /\[image: The OmniOS logo\] \[\d+\]/);

    // A URL longer than a line is never broken: it stands alone after its number.
    assert.ok(result.stdout.includes('\nhttps://github.com/omniosorg/omnios-build/blob/r151050/doc/ReleaseNotes.md\n'));
    assert.match(
      result.stderr,
      /^note: line \d+ is wider than 72 columns: a URL longer than the line \(kept whole\)\n$/,
    );

    // Escapes gone, wide characters wrapped by their width.
    assert.match(text, /A line with a terminal escape: red and a bell that must not survive/);
    assert.ok(!result.stdout.includes('\u001b'));
    const japanese = body.filter((line) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(line));
    assert.ok(japanese.length >= 2, 'the Japanese sentence is wrapped across lines');

    // The table: columns padded; a blockquote quoted as mail quotes.
    assert.ok(body.includes('Release  Supported until'));
    assert.ok(body.includes('r151050  May 2027'));
    assert.ok(body.includes('> Quoted from the previous announcement: this is fine.'));
  });

  test('a hand-written note with one version', async () => {
    const result = await almanac([
      'announce',
      path.join(FIXTURES, 'hand/releases/omnios/r151048.md'),
      '--url',
      'https://kb.example.org/releases/omnios/r151048/',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const { body, references } = checkMailBody(result.stdout);
    assert.equal(body[0], 'Subject: OmniOS Community Edition r151048');
    assert.ok(body.includes('Version: r151048'));
    assert.ok(body.includes('  * Create a new boot environment with pkg update -be-name r151048.'));
    assert.ok(
      [...references.values()].includes('https://kb.example.org/releases/omnios/r151048/'),
      'the note on the web is referenced',
    );
    assert.equal(
      result.stderr.includes('wider than 72') ? 1 : 0,
      1,
      'the release-notes URL is too long for one line and is reported',
    );
  });

  test('no reboot line when the frontmatter says none, and none repeated when the text says it', async () => {
    const dir = await temporaryDirectory();
    const file = path.join(dir, 'note.md');
    await writeFile(
      file,
      '---\ntitle: Tribblix m34\nkind: release\nproduct: tribblix\nversions: m34\nrequires_reboot: true\npermalink: /releases/tribblix/m34/\n---\nThe upgrade requires a reboot.\n',
    );
    // The site's address comes from the project's almanac.config.json (a local preview address would not).
    await writeFile(
      path.join(dir, 'almanac.config.json'),
      JSON.stringify({ sources: [], site: { title: 'KB', url: 'https://kb.example.org/' } }),
    );
    const result = await almanac(['announce', file], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const { references } = checkMailBody(result.stdout);
    assert.deepEqual([...references.values()], ['https://kb.example.org/releases/tribblix/m34/']);
    await writeFile(
      path.join(dir, 'almanac.config.json'),
      JSON.stringify({ sources: [], site: { title: 'KB', url: 'http://localhost:8080/' } }),
    );
    assert.doesNotMatch((await almanac(['announce', file], { cwd: dir })).stdout, /localhost|\[1\]/);
    // --config names another config: its site's address is the one used.
    const other = path.join(dir, 'other.config.json');
    await writeFile(other, JSON.stringify({ sources: [], site: { title: 'KB', url: 'https://notes.example.net/' } }));
    const named = await almanac(['announce', file, '--config', other], { cwd: dir });
    assert.deepEqual(
      [...checkMailBody(named.stdout).references.values()],
      ['https://notes.example.net/releases/tribblix/m34/'],
    );
    assert.equal(result.stdout.match(/reboot/g)?.length, 1);
    assert.ok(result.stdout.includes('Version: m34\n'));
  });

  test('bad input: one line each, never a stack trace', async () => {
    const dir = await temporaryDirectory();
    const post = path.join(dir, 'post.md');
    await writeFile(post, '---\ntitle: Just a post\nkind: post\n---\nHello.\n');
    const broken = path.join(dir, 'broken.md');
    await writeFile(broken, '---\ntitle: [unclosed\nkind: release\n---\nHello.\n');
    const cases: [string[], number, RegExp][] = [
      [['announce'], 2, /^almanac announce: name the release note to announce/],
      [['announce', path.join(dir, 'missing.md')], 1, /missing\.md: no such file\n$/],
      [['announce', post], 1, /post\.md: this is a post without kind: release/],
      [['announce', broken], 1, /broken\.md:\d+:\d+: unreadable frontmatter: /],
    ];
    for (const [args, code, message] of cases) {
      const result = await almanac(args);
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
      assert.equal(result.stdout, '');
    }
  });

  test('--help teaches', async () => {
    const result = await almanac(['announce', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: almanac announce <file\.md>/);
    assert.match(result.stdout, /numbered reference/);
  });
});
