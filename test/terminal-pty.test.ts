import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import stripAnsi from 'strip-ansi';
import { ALMANAC, ROOT, temporaryDirectory } from './helpers/cli.ts';

/**
 * `almanac read` and `almanac linkify` in a real pseudo-terminal: tmux (its own server socket,
 * an 80×24 window) runs them through less -R; capture-pane shows what a reader sees and
 * pipe-pane records the bytes less sent to the terminal. tmux 3.3 shows OSC 8 links as their
 * text (it drops the sequence), so the links themselves are checked in the recorded bytes.
 */

const FIXTURES = path.join(ROOT, 'test/fixtures/terminal');
const missing = ['/usr/bin/tmux', '/usr/bin/less'].find((tool) => !existsSync(tool));
const skip = missing ? `${missing} is not installed (scripts/test.sh installs it)` : false;

async function inTerminal(
  command: string,
  run: (tmux: (...args: string[]) => string, raw: () => Promise<Buffer>) => Promise<void>,
) {
  const folder = await temporaryDirectory();
  const socket = `almanac-test-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  const rawFile = path.join(folder, 'raw.bin');
  // The command waits for Enter, so that pipe-pane records from its first byte.
  tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', 'almanac', `sh -c 'read go; ${command}; sleep 30'`);
  const socketPath = tmux('display-message', '-p', '#{socket_path}').trim();
  try {
    tmux('pipe-pane', '-t', 'almanac', '-o', `cat > '${rawFile}'`);
    tmux('send-keys', '-t', 'almanac', 'Enter');
    await run(tmux, () => readFile(rawFile));
  } finally {
    tmux('kill-server');
    await rm(socketPath, { force: true });
  }
}

async function waitFor(tmux: (...args: string[]) => string, ready: (screen: string) => boolean): Promise<string> {
  let screen = '';
  for (let attempt = 0; attempt < 100; attempt++) {
    screen = tmux('capture-pane', '-t', 'almanac', '-p', '-e');
    if (ready(screen)) return screen;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`the terminal never got there; it shows:\n${screen}`);
}

/** The screen's rows from the first written one (the Enter that started the command left an empty row or not). */
function onScreen(screen: string): string[] {
  const shown = stripAnsi(screen)
    .split('\n')
    .map((line) => line.trimEnd());
  return shown.slice(shown.findIndex((line) => line !== ''));
}

/** Rows as an 80-column terminal shows them: long lines folded. */
function rows(text: string): string[] {
  return stripAnsi(text)
    .split('\n')
    .flatMap((line) => (line.length <= 80 ? [line] : line.match(/.{1,80}/g)!));
}

test('almanac read in a real terminal: wrapped to 80 columns, paged by less -R, hyperlinks reach the terminal intact', {
  skip,
}, async () => {
  const file = path.join(FIXTURES, 'zones.md');
  await inTerminal(`FORCE_HYPERLINK=1 ${process.execPath} ${ALMANAC} read ${file}`, async (tmux, raw) => {
    const screen = await waitFor(tmux, (shown) =>
      /^:\s*$/m.test(stripAnsi(shown).split('\n').filter(Boolean).pop() ?? ''),
    );
    const expected = rows(
      execFileSync(process.execPath, [ALMANAC, 'read', file, '--width', '80', '--hyperlinks=always'], {
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '1' },
      }),
    );
    const shown = onScreen(screen);
    assert.deepEqual(
      shown.slice(0, 22),
      expected.slice(0, 22).map((line) => line.trimEnd()),
    );
    // Styles on a terminal: the title bold and underlined.
    assert.match(screen, /^\u001B\[1;4mZones, bhyve and the \]0;pwned escape/);

    const bytes = (await raw()).toString();
    assert.ok(
      bytes.includes('\u001B]8;;https://www.cve.org/CVERecord?id=CVE-2021-3929\u001B\\CVE-2021-3929\u001B]8;;\u001B\\'),
      bytes,
    );
    assert.ok(bytes.includes('\u001B]8;id=almanac-4;https://omnios.org/releasenotes.html#r151038\u001B\\'));
    assert.doesNotMatch(bytes, /\u001B\]0;pwned|\u001B\]8;;http:\/\/evil\.example\/\u001B/);

    tmux('send-keys', '-t', 'almanac', 'q');
    // -X: what was read stays on the screen after q.
    const after = await waitFor(
      tmux,
      (shown) => !/^:\s*$/m.test(stripAnsi(shown).split('\n').filter(Boolean).pop() ?? ''),
    );
    assert.match(stripAnsi(after), /Zones, bhyve and the/);
  });
});

test('almanac linkify | less -R in a real terminal: the same text on screen, each URL a link (the sed line swallowed the rest of the line)', {
  skip,
}, async () => {
  const input = path.join(FIXTURES, 'mail.txt');
  await inTerminal(`head -n 8 ${input} | ${process.execPath} ${ALMANAC} linkify | less -R`, async (tmux, raw) => {
    const screen = await waitFor(tmux, (shown) => /\(END\)/.test(stripAnsi(shown)));
    const text = execFileSync('head', ['-n', '8', input], { encoding: 'utf8' });
    const visible = rows(text.replace(/\u001B\]8;[^;]*;[^\u0007\u001B]*(?:\u0007|\u001B\\)/g, '')).map((line) =>
      line.replace(/\r$/, '').trimEnd(),
    );
    assert.deepEqual(onScreen(screen).slice(0, visible.length - 1), visible.slice(0, -1));
    const bytes = (await raw()).toString();
    for (const url of [
      'https://www.illumos.org/issues/13702',
      'http://a.example/1',
      'http://b.example/2?x=1&y=2#top',
      'https://de.wikipedia.org/wiki/Stra%C3%9Fe',
    ]) {
      assert.ok(bytes.includes(`\u001B]8;;${url}\u001B\\`), url);
    }
    // Both URLs of one line are separate links, and the text between them is not part of either.
    assert.ok(bytes.includes('http://a.example/1\u001B]8;;\u001B\\, \u001B]8;;http://b.example/2'));
    tmux('send-keys', '-t', 'almanac', 'q');
  });
});
