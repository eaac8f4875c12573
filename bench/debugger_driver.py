#!/usr/bin/python3
"""The debugger as JupyterLab drives it, from a Python jupyter_client over ZeroMQ.

Usage: debugger_driver.py --jupyter-path DIR --spec NAME [--rounds N]

Starts the kernelspec NAME (found in DIR/kernels) with jupyter_client's KernelManager and talks
to it over plain synchronous ZeroMQ sockets signed by its Session, then times, the way JupyterLab's
debugger does (a debug_request on control is done when its reply and its idle status have arrived):
initialize + attach, execute -> `stopped` at a breakpoint, `next` -> `stopped` (reply, idle and
the event), stackTrace + scopes + variables of every scope, and `variables` of a 1e6-element
array (its first page, as JupyterLab asks). Prints one JSON object {metric: [samples ms]} on
stdout; progress goes to stderr.
"""

import argparse
import json
import os
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--jupyter-path", required=True)
ap.add_argument("--spec", required=True)
ap.add_argument("--rounds", type=int, default=5)
args = ap.parse_args()
os.environ["JUPYTER_PATH"] = args.jupyter_path

import zmq  # noqa: E402
from jupyter_client import KernelManager  # noqa: E402

TIMEOUT = 30.0
JLAB_INIT = {"clientID": "jupyterlab", "clientName": "JupyterLab", "adapterID": "typescript", "pathFormat": "path",
             "linesStartAt1": True, "columnsStartAt1": True, "supportsVariableType": True, "supportsVariablePaging": True,
             "supportsRunInTerminalRequest": True, "locale": "en"}
CELL = "\n".join(["function work(n: number) {", "  let s = 0;", "  for (let i = 0; i < n; i++) {", "    s += i;", "  }",
                  "  return s;", "}", "work(1000);"])
LOOP = "let acc = 0;\nfor (let i = 0; i < 3e7; i++) {\n  acc = (acc + i * 7) % 1000003;\n}\nacc;"
BIG = "function big() {\n  const arr = new Array(1e6).fill(1);\n  return arr.length;\n}\nbig();"


def log(*a):
    print("[debugger]", *a, file=sys.stderr, flush=True)


class Client:
    def __init__(self, spec):
        self.km = KernelManager(kernel_name=spec)
        self.km.start_kernel()
        self.session = self.km.session
        self.seq = 0
        # Plain synchronous sockets (jupyter_client 7's blocking client wraps asyncio channels,
        # whose per-message overhead would be counted as the kernel's): shell, control, IOPub.
        ci = self.km.get_connection_info()
        ctx = zmq.Context.instance()
        url = lambda port: f"{ci['transport']}://{ci['ip']}:{ci[port]}"  # noqa: E731
        self.shell = ctx.socket(zmq.DEALER)
        self.shell.connect(url("shell_port"))
        self.control = ctx.socket(zmq.DEALER)
        self.control.connect(url("control_port"))
        self.iopub = ctx.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(url("iopub_port"))
        # iopub messages read while waiting for something else, by parent msg_id / event name.
        self.idles = set()
        self.replies = {}
        self.events = []
        # Ready: a kernel_info answered on shell, and its idle seen on IOPub (subscribed).
        deadline = time.monotonic() + 120
        while True:
            msg_id = self._send(self.shell, "kernel_info_request", {})
            self._reply(self._recv_from(self.shell), msg_id, deadline)
            try:
                self._pump_iopub(lambda: msg_id in self.idles, min(deadline, time.monotonic() + 0.5))
                break
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise
        self.idles.clear()

    def _send(self, sock, msg_type, content):
        msg = self.session.msg(msg_type, content)
        self.session.send(sock, msg)
        return msg["header"]["msg_id"]

    def _recv_from(self, sock):
        def get(timeout):
            if not sock.poll(int(timeout * 1000)):
                raise TimeoutError("no message")
            _, parts = self.session.feed_identities(sock.recv_multipart(copy=True))
            return self.session.deserialize(parts)
        return get

    def _pump_iopub(self, until, deadline):
        """Reads IOPub until `until()` holds; keeps idles and debug events seen on the way."""
        while not until():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("iopub wait timed out")
            m = self._recv_from(self.iopub)(left)
            t = m["header"]["msg_type"]
            if t == "status" and m["content"]["execution_state"] == "idle":
                self.idles.add(m["parent_header"].get("msg_id"))
            elif t == "debug_event":
                self.events.append(m["content"])

    def _reply(self, channel_get, msg_id, deadline):
        """The reply to msg_id; replies to other requests read meanwhile are kept for their turn."""
        while msg_id not in self.replies:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply")
            m = channel_get(timeout=left)
            self.replies[m["parent_header"].get("msg_id")] = m
        return self.replies.pop(msg_id)

    def debug_send(self, command, arguments=None):
        self.seq += 1
        content = {"type": "request", "seq": self.seq, "command": command}
        if arguments is not None:
            content["arguments"] = arguments
        return self._send(self.control, "debug_request", content)

    def debug_done(self, msg_id, command):
        deadline = time.monotonic() + TIMEOUT
        r = self._reply(self._recv_from(self.control), msg_id, deadline)
        self._pump_iopub(lambda: msg_id in self.idles, deadline)
        self.idles.discard(msg_id)
        if not r["content"].get("success"):
            raise RuntimeError(f"{command}: {r['content'].get('message')}")
        return r["content"].get("body", {})

    def debug(self, command, arguments=None):
        return self.debug_done(self.debug_send(command, arguments), command)

    def wait_event(self, name, deadline):
        def found():
            return any(e.get("event") == name for e in self.events)
        self._pump_iopub(found, deadline)
        i = next(i for i, e in enumerate(self.events) if e.get("event") == name)
        return self.events.pop(i)

    def execute_send(self, code):
        return self._send(self.shell, "execute_request", {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})

    def execute_done(self, msg_id):
        deadline = time.monotonic() + TIMEOUT
        r = self._reply(self._recv_from(self.shell), msg_id, deadline)
        self._pump_iopub(lambda: msg_id in self.idles, deadline)
        self.idles.discard(msg_id)
        return r

    def stop(self):
        for sock in (self.shell, self.control, self.iopub):
            sock.close(linger=0)
        self.km.shutdown_kernel(now=False)


def ms(t):
    return (time.perf_counter() - t) * 1000


def main():
    c = Client(args.spec)
    out = {"initialize + attach": [], "execute -> stopped": [], "next -> stopped": [], "stackTrace + scopes + variables": [], "variables of a 1e6-element array": []}
    # JupyterLab asks debugInfo when it connects; the user turns the debugger on later.
    c.debug("debugInfo", {})
    # Warm-up as bench/debugger.mjs does it (transpiler, type checker, JIT) before the user's attach.
    for _ in range(30):
        c.execute_done(c.execute_send("1 + 1"))
    for _ in range(2):
        c.execute_done(c.execute_send(LOOP))
    t = time.perf_counter()
    c.debug("initialize", JLAB_INIT)
    c.debug("attach", {})
    out["initialize + attach"].append(ms(t))
    c.wait_event("initialized", time.monotonic() + TIMEOUT)
    source = c.debug("dumpCell", {"code": CELL})["sourcePath"]
    log("stepping")
    for _ in range(args.rounds):
        c.debug("setBreakpoints", {"breakpoints": [{"line": 4}], "source": {"path": source}, "sourceModified": False})
        c.events.clear()
        t = time.perf_counter()
        ex = c.execute_send(CELL)
        c.wait_event("stopped", time.monotonic() + TIMEOUT)
        out["execute -> stopped"].append(ms(t))
        for _ in range(8):
            c.events.clear()
            t = time.perf_counter()
            c.debug("next", {"threadId": 1})
            c.wait_event("stopped", time.monotonic() + TIMEOUT)
            out["next -> stopped"].append(ms(t))
            t = time.perf_counter()
            frames = c.debug("stackTrace", {"threadId": 1})["stackFrames"]
            scopes = c.debug("scopes", {"frameId": frames[0]["id"]})["scopes"]
            # All scopes at once, as JupyterLab asks for them.
            sent = [c.debug_send("variables", {"variablesReference": sc["variablesReference"]}) for sc in scopes]
            for msg_id in sent:
                c.debug_done(msg_id, "variables")
            out["stackTrace + scopes + variables"].append(ms(t))
        c.debug("setBreakpoints", {"breakpoints": [], "source": {"path": source}, "sourceModified": False})
        c.debug("continue", {"threadId": 1})
        c.execute_done(ex)
    log("a 1e6-element array")
    big = c.debug("dumpCell", {"code": BIG})["sourcePath"]
    c.debug("setBreakpoints", {"breakpoints": [{"line": 3}], "source": {"path": big}, "sourceModified": False})
    c.events.clear()
    ex = c.execute_send(BIG)
    c.wait_event("stopped", time.monotonic() + TIMEOUT)
    frames = c.debug("stackTrace", {"threadId": 1})["stackFrames"]
    scopes = c.debug("scopes", {"frameId": frames[0]["id"]})["scopes"]
    local = c.debug("variables", {"variablesReference": scopes[0]["variablesReference"]})["variables"]
    arr = next(v for v in local if v["name"] == "arr")
    for _ in range(args.rounds):
        t = time.perf_counter()
        page = c.debug("variables", {"variablesReference": arr["variablesReference"]})["variables"]
        out["variables of a 1e6-element array"].append(ms(t))
    if not page:
        raise RuntimeError("the array showed no elements")
    c.debug("setBreakpoints", {"breakpoints": [], "source": {"path": big}, "sourceModified": False})
    c.debug("continue", {"threadId": 1})
    c.execute_done(ex)
    c.debug("disconnect", {"restart": False, "terminateDebuggee": False})
    c.stop()
    print(json.dumps(out))


main()
