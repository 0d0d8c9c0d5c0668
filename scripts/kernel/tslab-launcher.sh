#!/usr/bin/env bash
# Starts the tslab kernel from the project root: tslab compiles relative to its working
# directory, and Jupyter starts kernels in the notebook's folder, where "../src" would fall
# outside tslab's rootDir. From the root, notebooks import "./src/...".
cd "$(dirname "$0")/../.." || exit 1
exec node scripts/kernel/tslab-kernel.js "$@"
