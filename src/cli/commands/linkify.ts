import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.ts';
import { linkifyStream } from '../../terminal/linkify.ts';
import type { Command } from '../main.ts';

const usage = `
Usage: <command> | almanac linkify [| less -R]

Copies standard input to standard output, wrapping every URL (http, https, www., email) in
an OSC 8 hyperlink, so terminals that support them (GNOME Terminal, iTerm2, kitty, WezTerm,
Windows Terminal) make it clickable. The text you see is unchanged byte for byte; links
already there are left alone, so running it twice changes nothing. Lines are handled as
they come, so it works on logs and archives of any size. URLs are found by the same rules
as the import (GitHub-flavoured Markdown's): trailing punctuation is left out, parentheses
are balanced, <…> and quotes delimit.

The correct version of  sed 's!https*://.*!\\x1B]8;;&\\x1B\\\\&\\x1B]8;;\\x1B\\\\!g' | less -rX

Examples:
  w3m -dump message.html | almanac linkify | less -R
  git log | almanac linkify | less -R
`;

const command: Command = {
  summary: 'filter stdin to stdout, making every URL a clickable terminal hyperlink',
  usage,
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length > 0)
      throw new UsageError(`linkify reads standard input only; try: almanac linkify < ${positionals[0]}`);
    // A reader that quits early (head, less q) closes the pipe: stop quietly, as cat does.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
    await linkifyStream(process.stdin, process.stdout);
    return 0;
  },
};

export default command;
