"""Fixtures for the gateway test: a throwaway sshd on a loopback address, the gateway's environment,
and tskernel's remote kernelspec.

The "remote host" is 127.0.0.2 on this machine: Gateway Provisioners launches locally (without SSH)
when the host's address is one of this machine's (jupyter_client.localinterfaces: 127.0.0.1 and the
interface addresses), and 127.0.0.2 is not in that list although the loopback interface answers on
it, so the DistributedProvisioner takes its real path: paramiko to sshd, `nohup <argv> &` on the
host, the launcher's encrypted payload back to the response address.

Everything listens on loopback only (sshd on 127.0.0.2, the response socket on 127.0.0.1, the kernel
on 127.0.0.2 via the kernelspec's --ip) and lives in a temp dir: sshd's host key, config, the client
key, HOME (paramiko reads ~/.ssh for its key and known_hosts), kernel logs, the kernelspec prefix.
"""

import getpass
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MAIN_JS = ROOT / "kernel" / "dist" / "cli" / "main.js"
# gateway_provisioners: installed, a checkout named by GATEWAY_PROVISIONERS_SRC, or a copy in vendor/.
VENDOR = Path(os.environ.get("GATEWAY_PROVISIONERS_SRC") or HERE / "vendor")
sys.path[:0] = [str(VENDOR), str(HERE / "shims")]
# Found, not imported: the provisioner reads its settings (GP_SSH_PORT, ...) from the environment
# when it is imported, and the fixtures set them first.
HAVE_GATEWAY = importlib.util.find_spec("gateway_provisioners") is not None
HOST = "127.0.0.2"
SSHD = "/usr/sbin/sshd"  # sshd re-executes itself, so it must be started by absolute path

def free_port(host):
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for_port(host, port, proc, timeout=15):
    """Until something accepts on host:port (sshd is up), or proc died, or the timeout."""
    deadline = time.time() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"sshd exited with {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture(scope="session")
def sshd(tmp_path_factory):
    d = tmp_path_factory.mktemp("sshd")
    home = tmp_path_factory.mktemp("home")
    (home / ".ssh").mkdir(mode=0o700)
    keygen = ["ssh-keygen", "-q", "-t", "ed25519", "-N", ""]
    subprocess.run(keygen + ["-f", str(d / "host_key")], check=True)
    subprocess.run(keygen + ["-f", str(home / ".ssh" / "id_ed25519")], check=True)
    shutil.copy(home / ".ssh" / "id_ed25519.pub", d / "authorized_keys")
    port = free_port(HOST)
    user = getpass.getuser()
    (d / "sshd_config").write_text(
        "\n".join(
            [
                f"ListenAddress {HOST}",
                f"Port {port}",
                f"HostKey {d / 'host_key'}",
                f"PidFile {d / 'sshd.pid'}",
                f"AuthorizedKeysFile {d / 'authorized_keys'}",
                f"AllowUsers {user}",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "StrictModes no",
                "X11Forwarding no",
                "AllowTcpForwarding no",
                "",
            ]
        )
    )
    # sshd refuses to start without its privilege-separation directory (Debian's package creates
    # it from its service unit, which does not run here).
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    subprocess.run([SSHD, "-t", "-f", str(d / "sshd_config")], check=True)
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(d / "sshd_config")], stderr=open(d / "sshd.log", "w"))
    try:
        wait_for_port(HOST, port, proc)
        host_pub = (d / "host_key.pub").read_text().split()
        (home / ".ssh" / "known_hosts").write_text(f"[{HOST}]:{port} {host_pub[0]} {host_pub[1]}\n")
        yield {"port": port, "home": home, "log": d / "sshd.log"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def gateway_env(sshd, tmp_path_factory):
    """The gateway's configuration (Gateway Provisioners reads it from the environment when its
    modules are imported, so nothing of gateway_provisioners is imported before this)."""
    logs = tmp_path_factory.mktemp("kernel-logs")
    prefix = tmp_path_factory.mktemp("prefix")
    env = {
        "HOME": str(sshd["home"]),  # paramiko: ~/.ssh/id_ed25519 and ~/.ssh/known_hosts
        "GP_SSH_PORT": str(sshd["port"]),
        "GP_RESPONSE_IP": "127.0.0.1",
        "GP_RESPONSE_PORT": str(free_port("127.0.0.1")),
        "GP_KERNEL_LOG_DIR": str(logs),
        # The provisioner refuses KERNEL_USERNAME root by default; the test machine's user is root.
        "GP_UNAUTHORIZED_USERS": "nobody-in-particular",
        "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
        "TSKERNEL_HISTORY_FILE": str(prefix / "history.jsonl"),
    }
    os.environ.pop("SSH_AUTH_SOCK", None)
    os.environ.update(env)
    out = subprocess.run(
        [
            "node",
            str(MAIN_JS),
            "install",
            "--remote",
            "distributed",
            "--prefix",
            str(prefix),
            "--remote-hosts",
            HOST,
            "--ip",
            HOST,
            "--launch-timeout",
            "60",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert "installed kernelspec ssh_typescript (distributed-provisioner)" in out.stdout
    return {"logs": logs, "prefix": prefix, "sshd_log": sshd["log"]}
