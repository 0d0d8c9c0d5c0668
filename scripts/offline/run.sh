#!/bin/bash
# Runs the bench from an offline pack (npm run offline-pack) on a machine with no Node and no
# network, e.g. a GPU node: unpacks Node and the runtime files once, finds a Vulkan loader and the
# GPU's Vulkan driver, runs PyTorch on CUDA when the Python there has it, and writes bench.log and
# results.json to OUTDIR.
#   bash out/offline-pack/run.sh OUTDIR [bench options, e.g. --space paper --max-tokens 4096]
# Environment: SUPERNET_PYTHON (the Python with torch; default python3 on PATH), OFFLINE_WORK
# (where Node and the loader are unpacked; default /tmp/supernet-offline).
set -euo pipefail
if [ $# -lt 1 ]; then echo "usage: bash $0 OUTDIR [bench options]" >&2; exit 2; fi
pack=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
outdir=$(cd "$1" && pwd)
shift
work=${OFFLINE_WORK:-/tmp/supernet-offline}
mkdir -p "$work"
say() { echo "offline-run: $*"; }

# tar needs the xz program for .tar.xz; Python's tarfile does not, and a GPU machine has Python.
untar() {
  if command -v xz > /dev/null; then tar -xJf "$1" -C "$2"
  else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; fi
}
[ -x "$work/bin/node" ] || untar "$pack/node.tar.xz" "$work"
[ -d "$pack/node_modules" ] || untar "$pack/runtime.tar.xz" "$pack"
say "node $("$work/bin/node" --version) (packed $(cat "$pack/NODE_VERSION")), revision $(cat "$pack/REVISION")"

# Dawn opens libvulkan.so.1 itself; bring Debian's loader when the machine has none.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1'; then
  if [ -f "$pack/vulkan/libvulkan.so.1" ]; then
    export LD_LIBRARY_PATH="$pack/vulkan${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    say "no libvulkan.so.1 on this machine: using the packed loader ($(cat "$pack/vulkan/SOURCE"))"
  else
    say "no libvulkan.so.1 on this machine and none packed: webgpu will find no adapter"
  fi
fi
# NVIDIA's container runtime may leave its Vulkan driver manifest outside the loader's search path.
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for dir in /etc/vulkan/icd.d /usr/share/vulkan/icd.d; do
    if compgen -G "$dir/nvidia*.json" > /dev/null; then found=1; fi
  done
  if [ -z "${found:-}" ] && [ -e /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    say "Vulkan driver manifest: $VK_DRIVER_FILES"
  fi
fi

export SUPERNET_PYTHON=${SUPERNET_PYTHON:-$(command -v python3 || echo /usr/bin/python3)}
args=("$@")
if [[ " $* " != *" --torch-device"* ]] && "$SUPERNET_PYTHON" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  args=(--torch-device cuda "${args[@]}")
fi
export SUPERNET_REVISION=$(cat "$pack/REVISION")
export SUPERNET_OUT="$outdir/out"
say "bench ${args[*]}"
set +e
(cd "$pack" && "$work/bin/node" app/bench/run.cjs "${args[@]}") 2>&1 | tee "$outdir/bench.log"
status=${PIPESTATUS[0]}
set -e
if [ -f "$SUPERNET_OUT/bench/results.json" ]; then mv "$SUPERNET_OUT/bench/results.json" "$outdir/results.json"; fi
rm -rf "$SUPERNET_OUT"
say "exit status $status; $outdir/bench.log$( [ -f "$outdir/results.json" ] && echo ", $outdir/results.json")"
exit "$status"
