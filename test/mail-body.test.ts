import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mailTextToMdast } from '../importers/mail/mailBody.ts';
import { obfuscateText, obfuscateTree } from '../importers/mail/obfuscateAddresses.ts';
import { safeFilename } from '../importers/mail/parseMessage.ts';
import { mdastToMarkdown } from '../src/convert/markdown.ts';

const markdown = (text: string) => mdastToMarkdown(obfuscateTree(mailTextToMdast(text)));

test('quotes become nested blockquotes, the attribution stays a paragraph', () => {
  const tree = mailTextToMdast('On Mon, Bob wrote:\n> first level\n>> second level\n> back\n\nMy answer.\n');
  assert.deepEqual(
    tree.children.map((node) => node.type),
    ['paragraph', 'blockquote', 'paragraph'],
  );
  assert.equal(
    markdown('On Mon, Bob wrote:\n> first level\n>> second level\n> back\n\nMy answer.\n'),
    'On Mon, Bob wrote:\n\n> first level\n>\n> > second level\n>\n> back\n\nMy answer.\n',
  );
});

test('the signature after "-- " is set apart under a rule; "--" without the space is text', () => {
  assert.equal(
    markdown('Thanks.\n\n-- \nAlice Example\nillumos core team\n'),
    'Thanks.\n\n---\n\nAlice Example\\\nillumos core team\n',
  );
  assert.doesNotMatch(markdown('a\n--\nb\n'), /^---$/m);
});

test('a format-patch mail: message prose, diffstat as code, the diff as a diff block, addresses gone', () => {
  const text = [
    'Fix the build on SPARC.',
    '',
    'Signed-off-by: Dev Eloper <dev@example.com>',
    '---',
    ' usr/src/uts/Makefile | 2 +-',
    ' 1 file changed, 1 insertion(+), 1 deletion(-)',
    '',
    'diff --git a/usr/src/uts/Makefile b/usr/src/uts/Makefile',
    'index 1111111..2222222 100644',
    '--- a/usr/src/uts/Makefile',
    '+++ b/usr/src/uts/Makefile',
    '@@ -1,3 +1,3 @@',
    ' # keep',
    '-CFLAGS = -O',
    '+CFLAGS = -O2',
    '',
    ' # keep too',
    '-- ',
    '2.39.2',
  ].join('\n');
  const tree = obfuscateTree(mailTextToMdast(text));
  assert.deepEqual(
    tree.children.map((node) => (node.type === 'code' ? `code:${node.lang ?? ''}` : node.type)),
    ['paragraph', 'paragraph', 'code:', 'code:diff', 'thematicBreak', 'paragraph'],
  );
  const output = mdastToMarkdown(tree);
  assert.match(
    output,
    /```diff\ndiff --git a\/usr\/src\/uts\/Makefile b\/usr\/src\/uts\/Makefile\n[\s\S]*\n-CFLAGS = -O\n\+CFLAGS = -O2\n\n # keep too\n```/,
  );
  assert.match(output, /Signed-off-by: Dev Eloper\n/);
  assert.doesNotMatch(output, /@example\.com/);
});

test('preformatted text keeps its lines; hard-wrapped prose flows; short lines keep their breaks', () => {
  const output = markdown(
    'Output:\n\n  $ zpool status\n    pool: rpool\n   state: ONLINE\n\nThis prose was wrapped by the mail client at seventy-two columns, as\nmail always is, and should read as one paragraph.\n\nThanks,\nAlice\n',
  );
  assert.match(output, /```\n {2}\$ zpool status\n {4}pool: rpool\n {3}state: ONLINE\n```/);
  assert.match(output, /columns, as\nmail always is/);
  assert.match(output, /Thanks,\\\nAlice/);
});

test('addresses: names stay, bare addresses become "user at host", URLs with @ are left alone', () => {
  assert.equal(obfuscateText('From: A U Thor <a.u.thor@example.com>'), 'From: A U Thor');
  assert.equal(obfuscateText('Cc: <a@b.org>, c@d.net'), 'Cc: a at b.org, c at d.net');
  assert.equal(obfuscateText('"Quoted Name" <x@y.de> wrote'), '"Quoted Name" wrote');
  // Gmail writes no space after the address: the name and the word stay apart.
  assert.equal(
    obfuscateText('On Tue, Apr 7, 2009, Beau Gunderson <beau@example.org>wrote:'),
    'On Tue, Apr 7, 2009, Beau Gunderson wrote:',
  );
  assert.equal(
    obfuscateText('https://lore.kernel.org/r/123.abc@host.example.com/'),
    'https://lore.kernel.org/r/123.abc@host.example.com/',
  );
  assert.equal(obfuscateText('mailto:someone@example.org'), 'someone at example.org');
});

test('attachment names are made safe: no folders, no template or page extensions, no reserved names', () => {
  assert.equal(safeFilename('../../etc/passwd', 1, 'text/plain'), 'passwd');
  assert.equal(safeFilename('C:\\Users\\x\\notes.md', 1, 'text/markdown'), 'notes.md.txt');
  assert.equal(safeFilename('page.html', 1, 'text/html'), 'page.html.txt');
  assert.equal(safeFilename('.hidden', 1, 'text/plain'), 'hidden');
  assert.equal(safeFilename('con.txt', 1, 'text/plain'), '_con.txt');
  assert.equal(safeFilename(undefined, 3, 'image/png'), 'attachment-3.png');
  assert.equal(safeFilename('a\u0000b?.txt', 1, 'text/plain'), 'a-b-.txt');
  assert.ok(Buffer.byteLength(safeFilename(`${'é'.repeat(200)}.tar.gz`, 1, 'application/gzip')) <= 100);
  assert.match(safeFilename(`${'é'.repeat(200)}.pdf`, 1, 'application/pdf'), /\.pdf$/);
});
