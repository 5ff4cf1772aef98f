#!/usr/bin/env node
// The CLI is TypeScript, and the checkout runs without a build step. `build` and `serve` run Eleventy,
// whose .eleventy.js imports our .ts modules: tsx compiles them on the fly. Every other command runs
// compiled ahead and cached (src/worker/loadCompiled.js says why: less memory for large imports).
import { fileURLToPath } from 'node:url';

const runsEleventy = ['build', 'serve'].includes(process.argv[2]);
const main = new URL('../src/cli/main.ts', import.meta.url);
let cli;
if (runsEleventy) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(main.href);
} else {
  const { load } = await import('../src/worker/loadCompiled.js');
  cli = await load(fileURLToPath(main));
}
process.exitCode = await cli.main(process.argv.slice(2));
