#!/usr/bin/env bash
# Starts the classic Notebook server on 127.0.0.1 with a token, the project kernel registered
# and plotly.js served as /static/plotly.js for interactive figures.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/kernel/install-kernel.sh"
static="$root/.jupyter/static"
mkdir -p "$static"
cp -u "$root/node_modules/plotly.js-dist/plotly.js" "$static/plotly.js"
export JUPYTER_PATH="$root/.jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export SUPERNET_FIGURES_DIR="${SUPERNET_FIGURES_DIR:-$root/out/lab/figures}"
token="${JUPYTER_TOKEN:-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
echo "lab: open http://127.0.0.1:${PORT:-8888}/?token=$token"
exec /usr/bin/python3 -m notebook --no-browser --ip=127.0.0.1 --port="${PORT:-8888}" \
  --notebook-dir="$root" --NotebookApp.token="$token" \
  --NotebookApp.extra_static_paths="['$static']" --allow-root "$@"
