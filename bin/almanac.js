#!/usr/bin/env node
// The command line, compiled ahead into dist/ by `npm install` (its prepare script, scripts/build.sh).
const main = new URL('../dist/src/cli/main.js', import.meta.url);
// ALMANAC_DEBUG prints stack traces: of the TypeScript, through the compiled code's source maps (read only for code loaded after this).
if (process.env.ALMANAC_DEBUG) process.setSourceMapsEnabled(true);
let cli;
try {
  cli = await import(main.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(main.pathname)) throw error;
  process.stderr.write(
    'almanac: dist/ is missing, so Almanac is not compiled yet: run npm install (or npm run prepare) in its folder first\n',
  );
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
