"""A DAP client over a jupyter_client KernelClient, the way JupyterLab's debugger talks to a kernel:
debug_request on the control channel (each reply awaited, then its idle on IOPub) and debug_event
messages collected from IOPub. Shared by test/conformance and test/gateway."""

import time


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
