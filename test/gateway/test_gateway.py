"""tskernel as a remote kernel under Gateway Provisioners' own code (vendored, see vendor/README.md).

jupyter_client's AsyncKernelManager with the kernelspec `tskernel install --remote distributed`
writes is what a Jupyter Server / Enterprise Gateway runs per kernel: it loads the
DistributedProvisioner named in the kernelspec (by entry point), which SSHes to the host, starts
`tskernel launch` there and waits for its encrypted connection info on the ResponseManager's socket;
interrupts, liveness polls and shutdown then go through the launcher's comm port. The notebook side
is a plain jupyter_client over ZeroMQ to the ports the gateway received, as the server's websocket
bridge does. Also: our payload decrypted by the ResponseManager's own code, byte layout included.
"""

import asyncio
import base64
import json
import os
import socket
import subprocess
import time

import pytest
from jupyter_client.blocking.client import BlockingKernelClient

from conftest import HAVE_GATEWAY, HOST, MAIN_JS
from dap import debugger_round_trip

if not HAVE_GATEWAY:
    # Counted as skipped, never as passed: see test/gateway/README.md for why it can be missing.
    pytest.skip("gateway_provisioners is not installed, nor in $GATEWAY_PROVISIONERS_SRC or test/gateway/vendor (see test/gateway/README.md)", allow_module_level=True)


@pytest.fixture(scope="module")
def loop():
    # One loop for the module: the ResponseManager singleton polls its socket on the loop that
    # created it (a tornado PeriodicCallback), as in a long-running server.
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def alive(pid):
    """The process exists and has not exited (a zombie waiting to be reaped has)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def wait_until(predicate, timeout, what):
    deadline = time.time() + timeout
    while not predicate():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def refused(port):
    try:
        with socket.create_connection((HOST, port), timeout=2):
            return False
    except ConnectionRefusedError:
        return True


def client_for(km):
    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return kc


def run(kc, code, timeout=60):
    """Executes a cell; returns (reply content, stdout text, error content or None)."""
    out = []
    errors = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            errors.append(msg["content"])

    reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
    return reply["content"], "".join(out), errors[0] if errors else None


def launched_kernel(km):
    """(pid, comm port) of the kernel as the provisioner knows them from the launcher's payload."""
    p = km.provisioner
    return p.pid, p.comm_port


def test_response_manager_decrypts_our_payload(gateway_env, loop):
    from gateway_provisioners.response_manager import ResponseManager

    async def make():
        return ResponseManager.instance()

    rm = loop.run_until_complete(make())
    info = {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "0.0.0.0",
            "key": "8a0e7c1e-6d3b-4b4e-9a4f-2b1c3d4e5f60", "transport": "tcp", "signature_scheme": "hmac-sha256",
            "kernel_name": "", "pid": 123, "pgid": 120, "comm_port": 6, "kernel_id": "k-\u00e9"}
    script = (
        "const p = require(process.argv[1]);"
        "const info = JSON.parse(process.argv[2]);"
        "process.stdout.write(p.encryptPayload(info, p.importPublicKey(process.argv[3])));"
    )
    payload_js = str(MAIN_JS.parent.parent / "launcher" / "payload.js")
    data = subprocess.run(["node", "-e", script, payload_js, json.dumps(info), rm.public_key],
                          check=True, capture_output=True, text=True).stdout
    decoded = rm._decode_payload(data)
    assert decoded == {**info, "key": info["key"].encode()}
    # The outer layer as upstream's server_listener builds it: json.dumps of these three fields.
    outer = base64.b64decode(data).decode()
    fields = json.loads(outer)
    assert list(fields) == ["version", "key", "conn_info"] and fields["version"] == 1
    assert outer == json.dumps(fields)


def test_kernel_through_distributed_provisioner(gateway_env, loop):
    from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(kernel_name="ssh_typescript")
    t0 = time.time()
    loop.run_until_complete(km.start_kernel())
    print(f"start_kernel through the DistributedProvisioner (SSH, launch, payload): {time.time() - t0:.2f} s")
    try:
        assert type(km.provisioner).__name__ == "DistributedProvisioner"
        assert km.provisioner.assigned_host == HOST
        # Started over SSH (not the provisioner's shortcut for local addresses).
        assert "Accepted publickey for" in gateway_env["sshd_log"].read_text()
        pid, comm_port = launched_kernel(km)
        assert pid > 0 and comm_port > 0 and alive(pid)
        info = km.get_connection_info()
        assert info["ip"] == HOST
        # The launcher's connection file: private dir, owner-only file (this is one machine, so
        # the test can look at the "remote" host's /proc and /tmp).
        conn_dirs = [d for d in os.listdir("/tmp") if d.startswith("tskernel-launch-")]
        mine = [d for d in conn_dirs if os.path.exists(f"/tmp/{d}/kernel.json")
                and json.load(open(f"/tmp/{d}/kernel.json"))["shell_port"] == info["shell_port"]]
        assert len(mine) == 1
        conn_dir = f"/tmp/{mine[0]}"
        assert os.stat(conn_dir).st_mode & 0o777 == 0o700
        assert os.stat(f"{conn_dir}/kernel.json").st_mode & 0o777 == 0o600

        kc = client_for(km)
        print(f"... and the first kernel_info reply: {time.time() - t0:.2f} s")
        try:
            reply, out, _ = run(kc, "const greeting: string = 'hello from ' + 'the gateway';\nconsole.log(greeting)")
            assert reply["status"] == "ok" and out == "hello from the gateway\n"

            # The gateway's liveness poll (signum 0 over the comm port) says alive.
            assert loop.run_until_complete(km.is_alive()) is True

            # Interrupt a busy loop: interrupt_mode "signal" -> provisioner -> comm port -> SIGINT.
            msg_id = kc.execute("let spins = 0;\nwhile (true) { spins++; }")
            wait_until(lambda: _started(kc, msg_id), 30, "the busy loop to start")
            t0 = time.time()
            loop.run_until_complete(km.interrupt_kernel())
            reply = _reply(kc, msg_id, 30)
            assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", reply
            assert time.time() - t0 < 15
            reply, out, _ = run(kc, "console.log(greeting.length)")
            assert reply["status"] == "ok" and out == "22\n"

            # The debugger, over the gateway's connection (control channel, debug_request).
            debugger_round_trip(kc)
        finally:
            kc.stop_channels()

        # Restart: the old kernel ends (shutdown_request + the comm port's shutdown), a new one is
        # launched over SSH with the same kernel id, new ports, a fresh state.
        t0 = time.time()
        loop.run_until_complete(km.restart_kernel())
        print(f"restart_kernel: {time.time() - t0:.2f} s")
        wait_until(lambda: not alive(pid), 15, "the old kernel to exit")
        assert refused(comm_port)
        assert not os.path.exists(conn_dir)
        new_pid, new_comm = launched_kernel(km)
        assert new_pid != pid and alive(new_pid)
        kc = client_for(km)
        try:
            # The old cell's global is gone; written so the type checker (fresh too) has nothing to report.
            reply, out, _ = run(kc, "console.log(typeof (globalThis as Record<string, unknown>).greeting)")
            assert reply["status"] == "ok" and out == "undefined\n"
            reply, out, _ = run(kc, "console.log(40 + 2)")
            assert reply["status"] == "ok" and out == "42\n"
        finally:
            kc.stop_channels()

        loop.run_until_complete(km.shutdown_kernel())
        wait_until(lambda: not alive(new_pid), 15, "the kernel to exit after shutdown")
        assert refused(new_comm)
        assert loop.run_until_complete(km.is_alive()) is False
    finally:
        if loop.run_until_complete(km.is_alive()):
            loop.run_until_complete(km.shutdown_kernel(now=True))
        for f in sorted(gateway_env["logs"].iterdir()):
            print(f"--- {f.name}\n{f.read_text()[-4000:]}")


def _started(kc, msg_id):
    """Takes one IOPub message; true when it is msg_id's execute_input (the cell is running)."""
    try:
        msg = kc.get_iopub_msg(timeout=0.5)
    except Exception:  # queue.Empty: nothing yet
        return False
    return msg["msg_type"] == "execute_input" and msg["parent_header"].get("msg_id") == msg_id


def _reply(kc, msg_id, timeout):
    deadline = time.time() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]
