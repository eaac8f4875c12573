"""The debugger round trip the gateway test runs through the gateway's connection: JupyterLab's
sequence of debug_request messages on the control channel (as test/conformance/test_debugger.py
drives it against a local kernel), cut to initialize, a breakpoint in a dumped cell, the stopped
event, variables and continue."""

import time

CELL = "\n".join(
    [
        "function add(a: number, b: number): number {",
        "  const c = a + b;",
        "  return c;",
        "}",
        "console.log(add(2, 3));",
    ]
)


class Dap:
    def __init__(self, kc):
        self.kc = kc
        self.seq = 1
        self.events = []
        self.idles = set()

    def _drain_iopub(self, timeout):
        msg = self.kc.get_iopub_msg(timeout=timeout)
        if msg["msg_type"] == "debug_event":
            self.events.append(msg["content"])
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            self.idles.add(msg["parent_header"].get("msg_id"))

    def ok(self, command, arguments=None):
        content = {"type": "request", "seq": self.seq, "command": command, "arguments": arguments or {}}
        self.seq += 1
        msg = self.kc.session.msg("debug_request", content)
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=15)
        assert reply["parent_header"]["msg_id"] == msg["header"]["msg_id"]
        deadline = time.time() + 15
        while msg["header"]["msg_id"] not in self.idles:
            assert time.time() < deadline, f"no idle for {command}"
            self._drain_iopub(timeout=deadline - time.time())
        assert reply["content"]["success"], f"{command}: {reply['content'].get('message')}"
        return reply["content"].get("body", {})

    def wait_event(self, name, start, timeout=15):
        deadline = time.time() + timeout
        while True:
            for e in self.events[start:]:
                if e["event"] == name:
                    return e
            assert time.time() < deadline, f"no {name} event"
            self._drain_iopub(timeout=deadline - time.time())


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
