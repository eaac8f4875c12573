"""The main JupyterLab debugger flow driven from jupyter_client (the client jupyter_server uses).

Run by run.sh with JUPYTER_PATH pointing at our kernelspecs. Every debug_request goes on the
control channel; replies are matched by msg_id and each must be followed by an IOPub idle
parented to it (JupyterLab's future waits for both).
"""

import sys
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
from dap_client import Dap  # noqa: E402

CELL = "\n".join(
    [
        "function add(a: number, b: number): number {",
        "  const c = a + b;",
        "  return c;",
        "}",
        "const total = add(2, 3);",
        "console.log(total);",
    ]
)


@pytest.fixture()
def kernel():
    km, kc = start_new_kernel(kernel_name="typescript")
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_jupyterlab_main_flow(kernel):
    kc = kernel
    dap = Dap(kc)
    info = dap.request("debugInfo", seq=0)
    assert info["success"] and info["body"]["hashMethod"] == "Murmur2"
    assert dap.ok("debugInfo", {})["isStarted"] is False
    caps = dap.ok(
        "initialize",
        {
            "clientID": "jupyterlab",
            "clientName": "JupyterLab",
            "adapterID": "typescript",
            "pathFormat": "path",
            "linesStartAt1": True,
            "columnsStartAt1": True,
            "supportsVariableType": True,
            "supportsVariablePaging": True,
            "supportsRunInTerminalRequest": True,
            "locale": "en",
        },
    )
    assert caps["supportsModulesRequest"] is True
    dap.ok("attach", {})
    dap.wait_event("initialized")

    path = dap.ok("dumpCell", {"code": CELL})["sourcePath"]
    dap.ok("debugInfo", {})
    bps = dap.ok("setBreakpoints", {"breakpoints": [{"line": 2}], "source": {"path": path}, "sourceModified": False})
    assert bps["breakpoints"][0]["verified"] is True
    assert bps["breakpoints"][0]["source"]["path"] == path

    mark = len(dap.events)
    exec_id = kc.execute(CELL)
    stopped = dap.wait_event("stopped", mark)
    assert stopped["body"]["reason"] == "breakpoint" and stopped["body"]["threadId"] == 1
    assert dap.ok("debugInfo", {})["stoppedThreads"] == [1]

    frames = dap.ok("stackTrace", {"threadId": 1})["stackFrames"]
    assert [f["name"] for f in frames][0] == "add"
    assert frames[0]["line"] == 2 and frames[0]["source"]["path"] == path
    scopes = dap.ok("scopes", {"frameId": frames[0]["id"]})["scopes"]
    names = [s["name"] for s in scopes]
    assert "Locals" in names and "Globals" in names
    local_vars = dap.ok("variables", {"variablesReference": scopes[0]["variablesReference"]})["variables"]
    a = next(v for v in local_vars if v["name"] == "a")
    assert a["value"] == "2" and a["type"] == "int"

    mark = len(dap.events)
    dap.ok("next", {"threadId": 1})
    dap.wait_event("continued", mark)
    dap.wait_event("stopped", mark)
    frames = dap.ok("stackTrace", {"threadId": 1})["stackFrames"]
    assert frames[0]["line"] == 3

    kc.control_channel.send(kc.session.msg("kernel_info_request", {}))
    reply = kc.get_control_msg(timeout=10)
    assert reply["msg_type"] == "kernel_info_reply"
    assert "debugger" in reply["content"].get("supported_features", [])

    dap.ok("continue", {"threadId": 1})
    shell = kc.get_shell_msg(timeout=15)
    while shell["parent_header"].get("msg_id") != exec_id:
        shell = kc.get_shell_msg(timeout=15)
    assert shell["content"]["status"] == "ok"
    dap.ok("disconnect", {"restart": False, "terminateDebuggee": False})
    assert dap.ok("debugInfo", {})["isStarted"] is False
