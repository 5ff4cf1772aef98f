#!/usr/bin/env bash
# `npm test`: system packages, a fresh compile into dist/ (the CLI the tests run), the type check, the linter, then every test file with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh
echo "Compiling into dist/…" >&2
bash scripts/build.sh
echo "Type-checking…" >&2
npx tsc --noEmit -p .
echo "Linting…" >&2
npm run --silent lint
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
exec node --import tsx --test --test-reporter=spec --test-concurrency=2 "${files[@]}"
