/**
 * Deterministic terminal text for `almanac linkify`: mail and log lines of ~40–120 bytes, a
 * third with URLs (several per line, in parentheses, quoted, `www.`, emails, non-ASCII paths,
 * colours, links already made), written in chunks so that any size takes little memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from './random.ts';

const WORDS =
  'zone kernel illumos boot driver memory dtrace probe network packet pool dataset snapshot release build bhyve the a of to and in is it that for on with'.split(
    ' ',
  );
const URLS = [
  'https://www.illumos.org/issues/13702',
  '(https://en.wikipedia.org/wiki/Bhyve_(hypervisor))',
  'www.tribblix.org/relnotes.html.',
  '<https://omnios.org/releasenotes.html#r151038>',
  '"http://example.com/search?q=zones&page=2"',
  'peter@example.org',
  'https://de.wikipedia.org/wiki/Straße,',
  '\u001B[1;34mhttps://colour.example/path\u001B[0m',
  '\u001B]8;;https://linked.example/\u001B\\already a link\u001B]8;;\u001B\\',
];

export async function writeTerminalText(file: string, bytes: number, seed = 7): Promise<void> {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const out = createWriteStream(file);
  let written = 0;
  while (written < bytes) {
    const lines: string[] = [];
    for (let line = 0; line < 2000; line++) {
      const words = Array.from({ length: 6 + Math.floor(next() * 14) }, () => pick(WORDS));
      if (next() < 0.33)
        for (let count = 1 + Math.floor(next() * 2); count > 0; count--)
          words.splice(Math.floor(next() * words.length), 0, pick(URLS));
      lines.push(words.join(' '));
    }
    const chunk = `${lines.join('\n')}\n`;
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}
