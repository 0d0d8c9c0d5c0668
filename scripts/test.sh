#!/usr/bin/env bash
# The whole test suite: set-up (idempotent), type check, then every test file under test/,
# including the notebooks executed on the tiny preset (test/notebooks/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx --no-install tsc --noEmit -p .
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-reporter=spec "${files[@]}"
