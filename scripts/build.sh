#!/usr/bin/env bash
# `npm install` (the prepare script) and `npm test`: compiles src/ and importers/ into dist/, from
# scratch so no file deleted from the sources stays compiled. A type error fails the install.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
if ! npx --no-install tsc -p tsconfig.build.json; then
  echo "almanac: compiling the TypeScript failed (the errors are above), so dist/ was not made and the almanac command cannot run; fix them, then run npm install (or npm run prepare) again" >&2
  exit 1
fi
