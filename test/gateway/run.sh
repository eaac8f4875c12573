#!/usr/bin/env bash
# tskernel under Gateway Provisioners' own provisioner code (test/gateway/vendor, run with Debian's
# python3 packages): a throwaway loopback sshd, the DistributedProvisioner launching `tskernel
# launch` over SSH, cells, interrupt, restart, shutdown and the debugger through it; the same behind a
# real Jupyter Server (README.md).
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
# gateway_provisioners itself: installed (pip install gateway_provisioners, where PyPI is
# reachable), a source checkout named by GATEWAY_PROVISIONERS_SRC, or a local copy in vendor/.
SRC="${GATEWAY_PROVISIONERS_SRC:-$HERE/vendor}"
export PYTHONPATH="$SRC:$HERE/shims${PYTHONPATH:+:$PYTHONPATH}"
/usr/bin/python3 -m pytest -q -p no:cacheprovider test_gateway.py test_server.py
rc=$?
# Without the vendored copy the module skips itself, and pytest says "no tests ran" (5): a skip,
# reported as one in the junit file, not a failure of the run.
if [ "$rc" -eq 5 ] && ! /usr/bin/python3 -c 'import gateway_provisioners.distributed' 2>/dev/null; then
  echo "test/gateway: skipped, gateway_provisioners is neither installed nor in \$GATEWAY_PROVISIONERS_SRC or test/gateway/vendor (see test/gateway/README.md)"
  exit 0
fi
exit "$rc"
