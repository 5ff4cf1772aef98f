import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../errors.ts';
import { lockFolder, outputLockFile } from '../../folderLock.ts';
import { exitStatusFor, stopsGently, untilInterrupted } from '../../interrupt.ts';
import { runPagefind, watchSite } from '../../site/build.ts';
import type { Command } from '../main.ts';
import { buildSite } from '../../build/buildSite.ts';
import type { AlmanacConfig } from '../../site/config.ts';

const usage = `
Usage: almanac serve [--port N] [--config FILE] [--content DIR] [--out DIR] [--wait]

Builds the knowledge base (as almanac build does: imports, Eleventy, search index), then
serves it at http://localhost:8080 and rebuilds when content/, layouts/ or assets/ change;
open pages reload by themselves. Ctrl-C (or SIGTERM) stops it: the server and the watchers
are closed. While it serves, no other almanac builds into the same output folder.

Options:
  --port N        the port (default: 8080)
  --config FILE   the config (default: almanac.config.json)
  --content DIR   serve this content folder as it is, importing nothing
  --out DIR       the output folder (default: _site)
  --wait          when another almanac is using the content or output folder, wait for it

Example:
  npm start            # the same as almanac serve
`;

const command: Command = {
  summary: 'build the site and serve it at http://localhost:8080 with live reload',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '8080' },
        config: { type: 'string' },
        content: { type: 'string' },
        out: { type: 'string', default: '_site' },
        wait: { type: 'boolean', default: false },
      },
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a port number, not "${values.port}"`);
    const { content, out, config, interrupted } = await buildSite({
      config: values.config,
      content: values.content,
      out: values.out!,
      wait: values.wait,
    });
    if (interrupted) return exitStatusFor(interrupted);
    // Held while serving: a build into the same folder would swap it away under the watcher.
    const release = await lockFolder(outputLockFile(out), out, { wait: values.wait });
    try {
      return await stopsGently(
        () => serveUntilStopped(content, out, config, port),
        'closing the server and the watchers',
      );
    } finally {
      release();
    }
  },
};

/** Serves and rebuilds until Ctrl-C or SIGTERM, then closes the server and the watchers. */
async function serveUntilStopped(content: string, out: string, config: AlmanacConfig, port: number): Promise<number> {
  // The first build above already wrote everything: read the data, then rebuild what changes.
  const eleventy = await watchSite({
    content,
    out,
    config,
    skipFirstBuild: true,
    // After each rebuild the search index follows (a second or two for a big site).
    onRebuilt: async () => {
      await runPagefind(out);
      process.stderr.write(`Rebuilt ${path.relative(process.cwd(), out) || '.'}/ and its search index.\n`);
    },
    configure: (eleventyConfig) => eleventyConfig.setServerOptions({ port, showAllHosts: false, showVersion: false }),
  });
  await eleventy.serve(port);
  process.stdout.write(`Serving ${content} at http://localhost:${port}/ (live reload on; Ctrl-C stops)\n`);
  const signal = await untilInterrupted();
  // Eleventy's stopWatch closes its dev server and the file watchers.
  await eleventy.stopWatch?.();
  process.stderr.write(`Stopped serving (${signal}).\n`);
  return 0;
}

export default command;
