#!/usr/bin/env bash
# Serves the bundled JupyterLab 4.5 app (lab/app/static) on 127.0.0.1 with Debian's jupyter_server.
#
#   lab/server/serve.sh [--port N] [--ip ADDR] [--root DIR] [--run-dir DIR] [-- extra server args]
#
# Environment:
#   LAB_TOKEN     the token (default: a random one); printed in the URL line
#   JUPYTER_PATH  where kernelspecs are looked up (callers point it at a private prefix)
#   LAB_OPEN      a path relative to the root to open (printed URL goes to /lab/tree/<path>)
# Everything Jupyter writes (runtime, settings, workspaces, notary, tmp) goes under --run-dir
# (default: a fresh temporary directory), never into $HOME.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PORT=8888
IP=127.0.0.1
ROOT=""
RUN=""
EXTRA=()
while (($#)); do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    --ip) IP="$2"; shift 2 ;;
    --ip=*) IP="${1#*=}"; shift ;;
    --root) ROOT="$2"; shift 2 ;;
    --root=*) ROOT="${1#*=}"; shift ;;
    --run-dir) RUN="$2"; shift 2 ;;
    --run-dir=*) RUN="${1#*=}"; shift ;;
    --) shift; EXTRA+=("$@"); break ;;
    *) EXTRA+=("$1"); shift ;;
  esac
done
if [ -z "$RUN" ]; then
  RUN="$(mktemp -d -t tskernel-lab.XXXXXX)"
fi
mkdir -p "$RUN"/{runtime,config,data,notary,tmp,ipython}
RUN="$(cd "$RUN" && pwd)"
if [ -z "$ROOT" ]; then
  ROOT="$RUN/root"
fi
mkdir -p "$ROOT"
ROOT="$(cd "$ROOT" && pwd)"
TOKEN="${LAB_TOKEN:-$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')}"

export JUPYTER_RUNTIME_DIR="$RUN/runtime"
export JUPYTER_CONFIG_DIR="$RUN/config"
export JUPYTER_DATA_DIR="$RUN/data"
export LAB_DATA="$RUN/data/lab"
export TMPDIR="$RUN/tmp"
export IPYTHONDIR="$RUN/ipython"
export PYDEVD_DISABLE_FILE_VALIDATION=1
export JUPYTER_NO_CONFIG=1
# Token for the server: from the environment (traitlets refuses a second --ServerApp.token).
export JUPYTER_TOKEN="$TOKEN"

echo "lab/server: http://$IP:$PORT/lab${LAB_OPEN:+/tree/$LAB_OPEN}?token=$TOKEN"
echo "lab/server: root $ROOT, run dir $RUN"
exec /usr/bin/python3 "$HERE/main.py" \
  --port="$PORT" --ServerApp.port_retries=0 --ServerApp.ip="$IP" \
  --ServerApp.open_browser=False --ServerApp.allow_root=True \
  --ServerApp.root_dir="$ROOT" \
  --NotebookNotary.data_dir="$RUN/notary" \
  --FileContentsManager.delete_to_trash=False \
  --MappingKernelManager.default_kernel_name="${LAB_DEFAULT_KERNEL:-typescript}" \
  "${EXTRA[@]}"
