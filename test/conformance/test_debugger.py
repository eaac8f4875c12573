"""The main JupyterLab debugger flow driven from jupyter_client (the client jupyter_server uses).

Run by run.sh with JUPYTER_PATH pointing at our kernelspecs. Every debug_request goes on the
control channel; replies are matched by msg_id and each must be followed by an IOPub idle
parented to it (JupyterLab's future waits for both).
"""

import time

import pytest
from jupyter_client.manager import start_new_kernel

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


class Dap:
    def __init__(self, kc):
        self.kc = kc
        self.seq = 0
        self.events = []
        self.idles = set()

    def _drain_iopub(self, timeout):
        msg = self.kc.get_iopub_msg(timeout=timeout)
        if msg["msg_type"] == "debug_event":
            self.events.append(msg["content"])
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            self.idles.add(msg["parent_header"].get("msg_id"))
        return msg

    def request(self, command, arguments=None, seq=None):
        content = {"type": "request", "seq": self.seq if seq is None else seq, "command": command}
        if arguments is not None:
            content["arguments"] = arguments
        self.seq += 1
        msg = self.kc.session.msg("debug_request", content)
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=15)
        assert reply["parent_header"]["msg_id"] == msg["header"]["msg_id"]
        deadline = time.time() + 15
        while msg["header"]["msg_id"] not in self.idles:
            assert time.time() < deadline, f"no idle for {command}"
            self._drain_iopub(timeout=deadline - time.time())
        return reply["content"]

    def ok(self, command, arguments=None):
        r = self.request(command, arguments)
        assert r["success"], f"{command}: {r.get('message')}"
        return r.get("body", {})

    def wait_event(self, name, start=0, timeout=15):
        deadline = time.time() + timeout
        while True:
            for e in self.events[start:]:
                if e["event"] == name:
                    return e
            assert time.time() < deadline, f"no {name} event"
            self._drain_iopub(timeout=deadline - time.time())


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
