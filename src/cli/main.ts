import { finishedWith, watchSignals } from '../interrupt.ts';
import { CheckFailed, FolderInUse, InputError, machineFault, OutputError, UsageError } from '../errors.ts';

/** One module per command under ./commands, loaded only when used: `almanac --help` stays instant. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<{ default: Command }>> = {
  import: () => import('./commands/import.ts'),
  relink: () => import('./commands/relink.ts'),
  redirects: () => import('./commands/redirects.ts'),
  'verify-redirects': () => import('./commands/verify-redirects.ts'),
  read: () => import('./commands/read.ts'),
  linkify: () => import('./commands/linkify.ts'),
  build: () => import('./commands/build.ts'),
  serve: () => import('./commands/serve.ts'),
  check: () => import('./commands/check.ts'),
  announce: () => import('./commands/announce.ts'),
};

const STOPPABLE = new Set(['import', 'build', 'serve']);

const HELP = `almanac — rescue old blogs and mailing-list archives

Usage: almanac <command> [options]      almanac <command> --help for its options

Commands:
{commands}

Typical use:
  almanac import blog-08-23-2020.xml --source tribblix     # a Blogger backup → content/tribblix/
  almanac import feed.atom --format roller --source jlevon  # a Sun-era Roller feed
  almanac redirects --format nginx --out redirects.conf     # 301s for every old URL
  almanac build && almanac serve                            # the knowledge base at http://localhost:8080

Exit status: 0 done (warnings allowed), 1 bad input, failed check, a fault of the machine (disk
full, no permission) or a folder in use by another almanac, 2 usage error, 130/143 stopped by
Ctrl-C (SIGINT) or SIGTERM: an import finishes the documents in hand and the next run continues.
Docs: README.md, and the guides under content/docs/ (also on the built site at /docs/).`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const lines = await Promise.all(
      Object.entries(commands).map(
        async ([command, load]) => `  ${command.padEnd(18)}${(await load()).default.summary}`,
      ),
    );
    process.stdout.write(`${HELP.replace('{commands}', lines.join('\n'))}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(
      `almanac: unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}. Try almanac --help.\n`,
    );
    return 2;
  }
  const command = (await load()).default;
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage.trim()}\n`);
    return 0;
  }
  // Commands that write many files stop cleanly on Ctrl-C and SIGTERM (src/interrupt.ts).
  if (STOPPABLE.has(name)) watchSignals(name);
  let status: number;
  try {
    status = await command.run(args);
  } catch (error) {
    status = reportError(name, error);
  }
  if (STOPPABLE.has(name)) finishedWith(status);
  return status;
}

/** Errors the user can act on (bad input, the machine's faults, a busy folder) are one line; anything else is our bug, reported as such. */
export function reportError(command: string, error: unknown): number {
  if (error instanceof InputError) {
    process.stderr.write(`almanac ${command}: ${error.toLine()}\n`);
    return 1;
  }
  const fault = machineFault(error);
  if (fault) {
    process.stderr.write(`almanac ${command}: ${fault.toLine()}\n`);
    return 1;
  }
  if (error instanceof CheckFailed || error instanceof OutputError || error instanceof FolderInUse) {
    process.stderr.write(`almanac ${command}: ${error.message}\n`);
    return 1;
  }
  if (error instanceof UsageError || (error as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`almanac ${command}: ${(error as Error).message}\nTry almanac ${command} --help.\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `almanac ${command}: internal error: ${message.split('\n')[0]}\nThis is a bug in Almanac; set ALMANAC_DEBUG=1 for the stack trace and report it.\n`,
  );
  if (process.env.ALMANAC_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return 1;
}
