#!/usr/bin/env bash
# `npm test`: system packages, the type check, then every test file with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh
echo "Type-checking…" >&2
npx tsc --noEmit -p .
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
exec node --import tsx --test --test-reporter=spec --test-concurrency=2 "${files[@]}"
