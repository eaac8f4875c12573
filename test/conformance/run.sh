#!/usr/bin/env bash
# Conformance: Jupyter's own kernel test suite (Debian python3-jupyter-kernel-test) against both
# kernelspecs, plus an example notebook executed headless with nbclient (`jupyter execute`).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PREFIX="$(mktemp -d)"
trap 'rm -rf "$PREFIX"' EXIT
node "$ROOT/kernel/dist/cli/main.js" install --prefix "$PREFIX" >/dev/null
export JUPYTER_PATH="$PREFIX/share/jupyter"
export TSKERNEL_HISTORY_FILE="$PREFIX/history.jsonl"
cd "$ROOT/test/conformance"
/usr/bin/python3 -m pytest -q -p no:cacheprovider test_tskernel.py test_notebook.py test_compat_notebooks.py test_debugger.py
