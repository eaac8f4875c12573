"""tskernel behind a real Jupyter Server (Debian's jupyter_server) whose kernels are provisioned by
the vendored DistributedProvisioner over SSH: REST to start, interrupt and restart, the websocket
for messages, and the server's restarter polling the kernel through the launcher's comm port every
3 s. The kernelspec has --orphan-timeout 8: the polls keep the kernel alive through a 12 s idle
stretch, and when the server is SIGKILLed (the gateway gone, no shutdown sent) the kernel ends by
itself, in an orderly way.
"""

import asyncio
import json
import os
import secrets
import signal
import subprocess
import time
import urllib.request
import uuid

import pytest
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from conftest import HAVE_GATEWAY, HOST, MAIN_JS, free_port

if not HAVE_GATEWAY:
    # Counted as skipped, never as passed: see test/gateway/README.md for why it can be missing.
    pytest.skip("gateway_provisioners is not installed, nor in $GATEWAY_PROVISIONERS_SRC or test/gateway/vendor (see test/gateway/README.md)", allow_module_level=True)

ORPHAN_TIMEOUT = 8


@pytest.fixture()
def server(gateway_env, tmp_path):
    subprocess.run(
        ["node", str(MAIN_JS), "install", "--remote", "distributed", "--prefix", str(gateway_env["prefix"]),
         "--kernel-name", "ssh_watch", "--remote-hosts", HOST, "--ip", HOST, "--launch-timeout", "60",
         "--orphan-timeout", str(ORPHAN_TIMEOUT)],
        check=True, capture_output=True,
    )
    port = free_port("127.0.0.1")
    token = secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(
        ["/usr/bin/python3", "-m", "jupyter_server", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--ServerApp.token={token}", "--ServerApp.open_browser=False",
         "--ServerApp.allow_root=True",  # the test machine runs as root
         f"--ServerApp.root_dir={tmp_path}"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            try:
                rest(base, token, "GET", "/api/status")
                break
            except OSError:
                assert time.time() < deadline, "the server did not come up"
                time.sleep(0.1)
        yield {"base": base, "token": token, "proc": proc, "log": tmp_path / "server.log"}
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)
        print((tmp_path / "server.log").read_text()[-3000:])


def rest(base, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=90) as r:
        text = r.read().decode()
        return json.loads(text) if text else None


class Channels:
    """The notebook side: one websocket to /api/kernels/<id>/channels, as JupyterLab opens it."""

    def __init__(self, ws):
        self.ws = ws
        self.session = uuid.uuid4().hex

    @classmethod
    async def open(cls, server, kernel_id):
        url = server["base"].replace("http", "ws") + f"/api/kernels/{kernel_id}/channels"
        ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {server['token']}"}))
        return cls(ws)

    async def close(self):
        """Closes and waits for the close to complete (read_message answers None)."""
        self.ws.close()
        deadline = time.time() + 10
        while await asyncio.wait_for(self.ws.read_message(), max(0.1, deadline - time.time())) is not None:
            pass

    async def send(self, msg_type, content, channel="shell"):
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": self.session, "username": "test", "date": "", "version": "5.3"}
        await self.ws.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    async def execute(self, code, timeout=60, after_start=None):
        """Runs a cell: (reply content, stdout). after_start is awaited once the cell is running."""
        msg_id = await self.send("execute_request", {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False})
        out, reply, idle = [], None, False
        deadline = time.time() + timeout
        while reply is None or not idle:
            raw = await asyncio.wait_for(self.ws.read_message(), max(0.1, deadline - time.time()))
            assert raw is not None, "the websocket closed"
            msg = json.loads(raw)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "execute_input" and after_start:
                await after_start()
            elif kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "execute_reply":
                reply = msg["content"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        return reply, "".join(out)

    async def ready(self, timeout=60):
        """kernel_info until answered (the server's connection to a new kernel may take a moment)."""
        deadline = time.time() + timeout
        while True:
            msg_id = await self.send("kernel_info_request", {})
            try:
                while True:
                    msg = json.loads(await asyncio.wait_for(self.ws.read_message(), 2))
                    if msg["parent_header"].get("msg_id") == msg_id and msg["header"]["msg_type"] == "kernel_info_reply":
                        return
            except asyncio.TimeoutError:
                assert time.time() < deadline, "no kernel_info_reply through the server"


def launcher_pid(kernel_id):
    """The `tskernel launch` process of this kernel on the "remote" host (this machine)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if b"launch" in cmd and kernel_id.encode() in cmd:
            return int(pid)
    return None


def gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_through_jupyter_server(server, gateway_env):
    async def scenario():
        kernel = rest(server["base"], server["token"], "POST", "/api/kernels", {"name": "ssh_watch"})
        kid = kernel["id"]
        pid = launcher_pid(kid)
        assert pid is not None

        ch = await Channels.open(server, kid)
        await ch.ready()
        reply, out = await ch.execute("const where: string = 'behind a Jupyter Server';\nconsole.log(where)")
        assert reply["status"] == "ok" and out == "behind a Jupyter Server\n"

        # Longer than --orphan-timeout with nothing from the notebook: only the server's restarter
        # polls (signum 0 on the comm port) keep the kernel; it is still there, state and all.
        await asyncio.sleep(ORPHAN_TIMEOUT + 4)
        reply, out = await ch.execute("console.log(where.length)")
        assert reply["status"] == "ok" and out == "23\n"
        assert launcher_pid(kid) == pid

        async def interrupt():
            rest(server["base"], server["token"], "POST", f"/api/kernels/{kid}/interrupt")

        reply, _ = await ch.execute("while (true) {}", after_start=interrupt)
        assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"

        rest(server["base"], server["token"], "POST", f"/api/kernels/{kid}/restart")
        deadline = time.time() + 15
        while not gone(pid):
            assert time.time() < deadline, "the old kernel did not exit on restart"
            await asyncio.sleep(0.05)
        new_pid = launcher_pid(kid)
        assert new_pid is not None and new_pid != pid
        await ch.close()
        ch = await Channels.open(server, kid)
        await ch.ready()
        # The old cell's global is gone; written so the type checker (fresh too) has nothing to report.
        reply, out = await ch.execute("console.log(typeof (globalThis as Record<string, unknown>).where)")
        assert reply["status"] == "ok" and out == "undefined\n"
        await ch.close()
        return new_pid

    pid = asyncio.run(scenario())

    # The gateway goes away without shutting its kernel down: the kernel notices the silence.
    server["proc"].send_signal(signal.SIGKILL)
    server["proc"].wait(timeout=10)
    t0 = time.time()
    while not gone(pid):
        assert time.time() - t0 < ORPHAN_TIMEOUT + 15, "the orphaned kernel is still running"
        time.sleep(0.1)
    logs = "".join(f.read_text() for f in gateway_env["logs"].iterdir())
    assert f"no request from the gateway for {ORPHAN_TIMEOUT} s (--orphan-timeout)" in logs
    assert "shutting down: SIGTERM" in logs
