#!/usr/bin/env bash
# Registers the project-local TypeScript kernel ("tslab") under .jupyter/, pointing at the
# launcher in this checkout. Jupyter finds it through JUPYTER_PATH=<repo>/.jupyter/share/jupyter,
# which the notebook runner and scripts/lab.sh set.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/.jupyter/share/jupyter/kernels/tslab"
launcher="$root/scripts/kernel/tslab-launcher.sh"
chmod +x "$launcher"
mkdir -p "$dir"
cat > "$dir/kernel.json.tmp" <<JSON
{
 "argv": ["$launcher", "kernel", "--config-path", "{connection_file}"],
 "display_name": "TypeScript (supernet-lab)",
 "language": "typescript"
}
JSON
mv "$dir/kernel.json.tmp" "$dir/kernel.json"
