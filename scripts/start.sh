#!/usr/bin/env bash
# `npm start`: set up tskernel and open the tour in JupyterLab.
#
#   npm start [-- --ip ADDR] [-- --port N] [-- other server options]
#
# Runs scripts/setup.sh, installs the `typescript` and `javascript` kernelspecs, the JupyterLab
# extension (the debugger sidebar's "Node processes" section) and default debugger variable
# filters into a private prefix (.jupyter-prefix/, git-ignored; nothing goes into ~/.local or
# the system), then starts
#   - your own `jupyter lab` if `jupyter-lab` is on PATH (JUPYTER_PATH points at the prefix), or
#   - the bundled JupyterLab 4.5 (lab/app, built on first use, served by Debian's jupyter_server
#     through lab/server; no PyPI needed),
# opening examples/tour.ipynb. Binds 127.0.0.1 unless --ip says otherwise; prints the URL with
# its token. Set TSKERNEL_BUNDLED_LAB=1 to use the bundled app even if jupyter-lab exists.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

IP=127.0.0.1
PORT=""
EXTRA=()
while (($#)); do
  case "$1" in
    --ip) IP="$2"; shift 2 ;;
    --ip=*) IP="${1#*=}"; shift ;;
    --port) PORT="$2"; shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done

bash scripts/setup.sh

PREFIX="$ROOT/.jupyter-prefix"
node kernel/dist/cli/main.js install --prefix "$PREFIX" >/dev/null
export JUPYTER_PATH="$PREFIX/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
NOTEBOOK=examples/tour.ipynb

free_port() {
  # First free port from $1 upwards on $IP.
  /usr/bin/python3 - "$IP" "$1" <<'PY'
import socket, sys
ip, port = sys.argv[1], int(sys.argv[2])
for p in range(port, port + 100):
    s = socket.socket()
    try:
        s.bind((ip, p))
    except OSError:
        continue
    finally:
        s.close()
    print(p)
    break
else:
    sys.exit("no free port")
PY
}

if [ -z "${TSKERNEL_BUNDLED_LAB:-}" ] && command -v jupyter-lab >/dev/null 2>&1; then
  echo "start: using your JupyterLab ($(command -v jupyter-lab), $(jupyter-lab --version 2>/dev/null || echo '?')); kernelspecs and extension from $PREFIX"
  # Extensions come from JUPYTER_PATH; the variable-filter defaults reach jupyterlab_server as
  # labconfig/default_setting_overrides.json on JUPYTER_CONFIG_PATH (its app settings dir is
  # the one of the Python environment JupyterLab is installed in).
  if [ -f "$PREFIX/share/jupyter/lab/settings/overrides.json" ]; then
    mkdir -p "$PREFIX/etc/jupyter/labconfig"
    cp "$PREFIX/share/jupyter/lab/settings/overrides.json" "$PREFIX/etc/jupyter/labconfig/default_setting_overrides.json"
    export JUPYTER_CONFIG_PATH="$PREFIX/etc/jupyter${JUPYTER_CONFIG_PATH:+:$JUPYTER_CONFIG_PATH}"
  fi
  args=(--ServerApp.ip="$IP" --ServerApp.root_dir="$ROOT")
  [ -n "$PORT" ] && args+=(--ServerApp.port="$PORT")
  exec jupyter-lab "${args[@]}" "${EXTRA[@]}" "$NOTEBOOK"
fi

echo "start: using the bundled JupyterLab 4.5 (lab/app)"
bash scripts/build-lab.sh
PORT="${PORT:-$(free_port 8888)}"
export LAB_TOKEN="${LAB_TOKEN:-$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')}"
URL="http://$IP:$PORT/lab/tree/$NOTEBOOK?token=$LAB_TOKEN"
cat <<MSG

  tskernel is starting JupyterLab. Open this URL in your browser:

      $URL

  Press Ctrl+C to stop.

MSG
# Settings and workspaces persist in .jupyter-prefix/run; the file browser shows the repository.
LAB_OPEN="$NOTEBOOK" exec lab/server/serve.sh --ip "$IP" --port "$PORT" --root "$ROOT" \
  --run-dir "$PREFIX/run" "${EXTRA[@]}"
