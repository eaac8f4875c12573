"""The debugger round trip the gateway test runs through the gateway's connection: JupyterLab's
sequence of debug_request messages on the control channel (as test/conformance/test_debugger.py
drives it against a local kernel), cut to initialize, a breakpoint in a dumped cell, the stopped
event, variables and continue."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
from dap_client import Dap  # noqa: E402

CELL = "\n".join(
    [
        "function add(a: number, b: number): number {",
        "  const c = a + b;",
        "  return c;",
        "}",
        "console.log(add(2, 3));",
    ]
)


def debugger_round_trip(kc):
    dap = Dap(kc)
    dap.ok("initialize", {"clientID": "jupyterlab", "adapterID": "typescript", "pathFormat": "path",
                          "linesStartAt1": True, "columnsStartAt1": True, "supportsVariableType": True})
    dap.ok("attach", {})
    dap.wait_event("initialized", 0)
    path = dap.ok("dumpCell", {"code": CELL})["sourcePath"]
    bps = dap.ok("setBreakpoints", {"breakpoints": [{"line": 2}], "source": {"path": path}, "sourceModified": False})
    assert bps["breakpoints"][0]["verified"] is True

    mark = len(dap.events)
    exec_id = kc.execute(CELL)
    stopped = dap.wait_event("stopped", mark)
    assert stopped["body"]["reason"] == "breakpoint"
    frames = dap.ok("stackTrace", {"threadId": stopped["body"]["threadId"]})["stackFrames"]
    assert frames[0]["name"] == "add" and frames[0]["line"] == 2 and frames[0]["source"]["path"] == path
    scopes = dap.ok("scopes", {"frameId": frames[0]["id"]})["scopes"]
    local_vars = dap.ok("variables", {"variablesReference": scopes[0]["variablesReference"]})["variables"]
    values = {v["name"]: v["value"] for v in local_vars}
    assert values["a"] == "2" and values["b"] == "3"

    dap.ok("continue", {"threadId": stopped["body"]["threadId"]})
    deadline = time.time() + 15
    while True:
        shell = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        if shell["parent_header"].get("msg_id") == exec_id:
            break
    assert shell["content"]["status"] == "ok"
    dap.ok("disconnect", {"restart": False, "terminateDebuggee": False})
