#!/usr/bin/env bash
# CI check of the Binder setup, on this machine, without conda and without writing outside a
# temporary directory:
#   1. binder/environment.yml parses (python3-yaml) and asks for conda-forge python>=3.11,
#      jupyterlab 4.5.* and nodejs 20.*; binder/postBuild is executable and uses `set -euo pipefail`.
#   2. binder/postBuild (everything after the conda step) runs in a copy of this checkout with
#      CONDA_PREFIX pointing at a throwaway prefix, exactly as repo2docker would run it
#      (npm ci prefers the local npm cache).
#   3. The `typescript` and `javascript` kernelspecs (and the JupyterLab extension, when the build
#      produced one) landed in that prefix, pointing at the copy.
#   4. Every example notebook (examples/*.ipynb, binder/*.ipynb) executes headless with Debian's
#      nbclient (python3-nbclient) against the prefix's kernelspecs, failing on any cell error.
# Ends with one line: "binder: N notebooks executed OK".
#
#   bash scripts/check-binder.sh [--keep]     (--keep: leave the temporary directory for a look)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY=/usr/bin/python3
KEEP=0
[[ "${1:-}" == "--keep" ]] && KEEP=1

fail() { echo "check-binder: $*" >&2; exit 1; }

"$PY" -c 'import yaml, nbclient, nbformat, jupyter_client' 2>/dev/null ||
  fail "needs Debian's python3-yaml, python3-nbclient, python3-nbformat and python3-jupyter-client (apt-get install them)"
command -v npm >/dev/null || fail "npm not found"

# --- 1. the Binder files themselves -----------------------------------------------------------
[[ -f "$ROOT/binder/environment.yml" ]] || fail "binder/environment.yml is missing"
[[ -x "$ROOT/binder/postBuild" ]] || fail "binder/postBuild is missing or not executable (chmod +x; git update-index --chmod=+x)"
if git -C "$ROOT" ls-files --error-unmatch binder/postBuild >/dev/null 2>&1; then
  mode="$(git -C "$ROOT" ls-files -s binder/postBuild | cut -d' ' -f1)"
  [[ "$mode" == 100755 ]] || fail "binder/postBuild is committed with mode $mode, not 100755"
fi
grep -q '^set -euo pipefail' "$ROOT/binder/postBuild" || fail "binder/postBuild does not 'set -euo pipefail'"
"$PY" - "$ROOT/binder/environment.yml" <<'PY' || fail "binder/environment.yml is not what Binder needs"
import re, sys, yaml
env = yaml.safe_load(open(sys.argv[1]))
assert isinstance(env, dict), "not a YAML mapping"
assert "conda-forge" in env.get("channels", []), "conda-forge is not a channel"
deps = [d for d in env.get("dependencies", []) if isinstance(d, str)]
def spec(name):
    found = [d for d in deps if re.split(r"[=<>! ]", d, 1)[0] == name]
    assert found, f"{name} is not a dependency"
    return found[0][len(name):].replace(" ", "")
py = spec("python")
assert re.fullmatch(r">=3\.(1[1-9]|[2-9]\d)(\.\*)?|=?=3\.(1[1-9]|[2-9]\d)(\.\*)?", py), f"python {py!r}: want 3.11 or newer"
assert spec("jupyterlab") in ("=4.5.*", "==4.5.*", "=4.5"), f"jupyterlab {spec('jupyterlab')!r}: want 4.5.*"
assert spec("nodejs") in ("=20.*", "==20.*", "=20"), f"nodejs {spec('nodejs')!r}: want 20.*"
PY

# --- 2. postBuild in a copy of the checkout, against a throwaway prefix --------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/tsk-binder-XXXXXX")"
cleanup() { if ((KEEP)); then echo "check-binder: kept $TMP" >&2; else rm -rf "$TMP"; fi; }
trap cleanup EXIT
REPO="$TMP/repo"
PREFIX="$TMP/prefix"
mkdir -p "$REPO" "$PREFIX"
# The working tree as CI would check it out: tracked and new files, nothing git ignores (no
# node_modules, no build output), so postBuild really installs and builds from scratch.
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [[ -e "$f" ]] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -xf - -C "$REPO"

echo "check-binder: running binder/postBuild with CONDA_PREFIX=$PREFIX" >&2
log="$TMP/postBuild.log"
if ! (cd "$REPO" && env CONDA_PREFIX="$PREFIX" VIRTUAL_ENV= npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false \
  ./binder/postBuild) >"$log" 2>&1; then
  tail -40 "$log" >&2
  fail "binder/postBuild failed (log above)"
fi

# --- 3. what it installed -------------------------------------------------------------------------
DATA="$PREFIX/share/jupyter"
for k in typescript javascript; do
  spec="$DATA/kernels/$k/kernel.json"
  [[ -f "$spec" ]] || { tail -20 "$log" >&2; fail "kernelspec $k was not installed in $DATA/kernels"; }
  "$PY" - "$spec" "$REPO" "$k" <<'PY' || fail "kernelspec $k is wrong"
import json, os, sys
spec, repo, name = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
main = next((a for a in spec["argv"] if a.endswith("main.js")), None)
assert main and os.path.realpath(main).startswith(os.path.realpath(repo)), f"argv does not run the built kernel: {spec['argv']}"
assert os.path.isfile(main), f"{main} does not exist"
assert "{connection_file}" in spec["argv"], spec["argv"]
assert spec.get("metadata", {}).get("debugger") is True, "metadata.debugger is not true"
assert spec["language"] == name, spec["language"]
PY
done
labext=none
if [[ -d "$REPO/labextension/prebuilt" ]]; then
  [[ -f "$DATA/labextensions/@tskernel/labextension/package.json" ]] || fail "the JupyterLab extension was built but not installed in $DATA/labextensions"
  labext="$DATA/labextensions/@tskernel/labextension"
fi
echo "check-binder: kernelspecs in $DATA/kernels; labextension: $labext" >&2

# --- 4. every example notebook, headless --------------------------------------------------------
mapfile -t NOTEBOOKS < <(cd "$REPO" && ls examples/*.ipynb binder/*.ipynb 2>/dev/null | sort)
((${#NOTEBOOKS[@]})) || fail "no example notebooks found"
# The kernels' own stderr goes to a log, shown (without stack lines) only when something fails.
nblog="$TMP/notebooks.log"
run_notebooks() {
JUPYTER_PATH="$DATA" JUPYTER_DATA_DIR="$TMP/jupyter-data" JUPYTER_CONFIG_DIR="$TMP/jupyter-config" JUPYTER_RUNTIME_DIR="$TMP/jupyter-runtime" \
  "$PY" - "$REPO" "$DATA" "${NOTEBOOKS[@]}" <<'PY'

import os, sys
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

repo, data, notebooks = sys.argv[1], sys.argv[2], sys.argv[3:]
ksm = KernelSpecManager()
failed = 0
for rel in notebooks:
    path = os.path.join(repo, rel)
    nb = nbformat.read(path, as_version=4)
    name = nb.metadata.get("kernelspec", {}).get("name")
    if name not in ("typescript", "javascript"):
        print(f"check-binder: {rel}: kernelspec name is {name!r}, not typescript/javascript")
        failed += 1
        continue
    resource = ksm.get_kernel_spec(name).resource_dir
    if not os.path.realpath(resource).startswith(os.path.realpath(data)):
        print(f"check-binder: {rel}: kernelspec {name} resolves to {resource}, not the prefix")
        failed += 1
        continue
    try:
        NotebookClient(nb, timeout=120, kernel_name=name, resources={"metadata": {"path": os.path.dirname(path)}}).execute()
    except CellExecutionError as e:
        print(f"check-binder: {rel}: {str(e)[:2000]}")
        failed += 1
        continue
    except Exception as e:  # timeouts, dead kernels
        print(f"check-binder: {rel}: {type(e).__name__}: {e}")
        failed += 1
        continue
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    if errors:
        print(f"check-binder: {rel}: error output {errors[0].get('ename')}: {errors[0].get('evalue')}")
        failed += 1
        continue
    cells = sum(1 for c in nb.cells if c.cell_type == "code")
    print(f"check-binder: {rel}: {cells} code cells OK")
sys.exit(1 if failed else 0)
PY
}
# Its own report (stdout) goes to our stderr; stdout keeps just the final line.
if ! run_notebooks >&2 2>"$nblog"; then
  echo "check-binder: kernel log (last lines):" >&2
  grep -v '^\s*at ' "$nblog" | tail -30 >&2
  fail "a notebook failed (see above)"
fi
echo "binder: ${#NOTEBOOKS[@]} notebooks executed OK"
