#!/usr/bin/env bash
# Installs whatever is missing, and nothing else: Debian packages (Jupyter, Chromium, the SWORD
# Bible modules, OpenBLAS), npm packages, the OpenBLAS matmul addon, the project-local
# TypeScript kernel and the prepared data.
# Safe to run again; each step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { if [ "${1:-}" != "" ]; then echo "setup: $*"; fi; }

apt_packages=(
  jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel jupyter-notebook
  chromium fonts-dejavu-core
  libsword-utils sword-text-web sword-text-sparv
  slurmctld slurmd slurm-client munge
  libopenblas-dev pkg-config
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: a clean install whenever the lock file is newer than the installed tree.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The native addon (native/blas: OpenBLAS products, the step's row sums and fused softmax cross
# entropy), built against the running node's own headers with npm's node-gyp, and rebuilt when a
# source is newer; without it everything runs on the wasm kernels (src/backend/blas.ts says so).
addon=native/blas/build/Release/supernet_blas.node
if [ ! -f "$addon" ] || [ -n "$(find native/blas -maxdepth 1 -type f -newer "$addon")" ]; then
  node_dir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
  mkdir -p out/setup
  if [ -f "$gyp" ] && (cd native/blas && node "$gyp" rebuild --nodedir="$node_dir") >out/setup/blas-build.log 2>&1; then
    say "built the OpenBLAS matmul addon ($addon)"
  else
    say "WARNING: the OpenBLAS matmul addon did not build (out/setup/blas-build.log); matrix products stay on wasm"
  fi
fi

bash scripts/kernel/install-kernel.sh
npx --no-install tsx scripts/prepare-data.ts
