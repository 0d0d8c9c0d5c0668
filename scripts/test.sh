#!/usr/bin/env bash
# The whole test suite: set-up (idempotent, with a Vulkan driver for the WebGPU parity tests),
# type check, then every test file under test/, including the notebooks executed on the tiny
# preset (test/notebooks/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-vulkan.sh
npx --no-install tsc --noEmit -p .
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-reporter=spec "${files[@]}"
