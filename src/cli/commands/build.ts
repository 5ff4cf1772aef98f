import { parseArgs } from 'node:util';
import { buildSite } from '../../build/buildSite.ts';
import { exitStatusFor } from '../../interrupt.ts';
import { CONFIG_FILE } from '../../site/config.ts';
import type { Command } from '../main.ts';

const usage = `
Usage: almanac build [--config FILE] [--content DIR] [--out DIR] [--force] [--no-search] [--wait]

Builds the knowledge base: imports every source listed in the config (unchanged input
writes nothing), renders content/ with Eleventy into the output folder, writes the
redirects the config asks for, and indexes the articles for search with Pagefind.
Pages the last build wrote and this one does not (a post deleted or made a draft, a tag
no longer used) are removed from the output folder; files you put there yourself stay.

Options:
  --config FILE   the config (default: ${CONFIG_FILE}): sources to import, redirects, site title and URL
  --content DIR   build this folder as it is, importing nothing (default: content, after imports)
  --out DIR       the output folder (default: _site)
  --force         render every page even when nothing changed since the last build
                  (by default an unchanged site is left as it is, like make)
  --no-search     leave the Pagefind search index out (a quicker preview; search will not work)
  --wait          when another almanac is using the content or output folder, wait for it
                  (by default the build refuses, naming that process)

The site is built into a new folder beside the output folder and swapped in when complete:
a build that fails (a full disk) or is stopped (Ctrl-C, SIGTERM: exit 130/143) leaves the
last site as it was. Ctrl-C during an import stops after the documents in hand.

Examples:
  almanac build                                  # import the configured sources, build _site/
  almanac build --content content --out public   # build what is already in content/
  almanac serve                                  # the same, served at http://localhost:8080
`;

const command: Command = {
  summary: 'import the configured sources and build the site (Eleventy + search)',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      allowNegative: true,
      options: {
        config: { type: 'string' },
        content: { type: 'string' },
        out: { type: 'string', default: '_site' },
        force: { type: 'boolean', default: false },
        search: { type: 'boolean', default: true },
        wait: { type: 'boolean', default: false },
      },
    });
    const built = await buildSite({
      config: values.config,
      content: values.content,
      out: values.out!,
      force: values.force,
      search: values.search,
      wait: values.wait,
    });
    return built.interrupted ? exitStatusFor(built.interrupted) : 0;
  },
};

export default command;
