import { spawn } from 'node:child_process';

/**
 * Text to a terminal, through `less -R` (escape sequences shown, not printed as `ESC[`) when it
 * is longer than the screen; straight to stdout otherwise or when less is missing.
 */
export async function page(text: string, options: { pager: boolean }): Promise<void> {
  const rows = process.stdout.rows ?? 0;
  const lines = text.split('\n').length - 1;
  if (!options.pager || !process.stdout.isTTY || rows === 0 || lines < rows) {
    await writeOut(text);
    return;
  }
  const shown = await new Promise<boolean>((resolve) => {
    // -R passes colours and OSC 8 links through (less ≥ 566); -X leaves the text on screen after q, like man.
    const less = spawn('less', ['-R', '-X'], {
      stdio: ['pipe', 'inherit', 'inherit'],
      env: { ...process.env, LESSSECURE: '1' },
    });
    less.on('error', () => resolve(false));
    less.on('close', () => resolve(true));
    less.stdin.on('error', () => {}); // q before the end: the rest is not wanted
    less.stdin.end(text);
  });
  if (!shown) await writeOut(text);
}

function writeOut(text: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}
