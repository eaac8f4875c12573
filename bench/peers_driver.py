#!/usr/bin/python3
"""Side-by-side kernel benchmark driver: one Python jupyter_client over ZeroMQ for every kernel.

Usage: peers_driver.py --jupyter-path DIR [--rounds N] SPEC [SPEC ...]

Starts every named kernelspec (found in DIR/kernels), then measures, with the kernels' samples
interleaved round by round (the order rotates each round) so machine noise hits all alike:
trivial cell and typed 4-line cell (-> execute_reply; the typed one also -> idle), complete, inspect and is_complete
(-> reply), RSS of each kernel's process tree after start and after 200 cells plus a 100k-line
flood, and the interrupt of a busy loop (interrupt_kernel() as the kernelspec asks -> the
execute_reply). Prints one JSON object {spec: {metric: {median, p95, n, ...}}} on stdout;
progress goes to stderr. A kernel that fails a step gets {"error": ...} for it and the run goes on.
"""

import argparse
import json
import os
import sys
import time
from queue import Empty

# Kernelspecs are looked up in --jupyter-path only (set before jupyter_client reads it).
ap = argparse.ArgumentParser()
ap.add_argument("--jupyter-path", required=True)
ap.add_argument("--rounds", type=int, default=60)
ap.add_argument("--interrupts", type=int, default=5)
ap.add_argument("specs", nargs="+")
args = ap.parse_args()
os.environ["JUPYTER_PATH"] = args.jupyter_path

from jupyter_client import KernelManager  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402

REPLY_TIMEOUT = 60.0
INTERRUPT_TIMEOUT = 5.0
FLOOD_TIMEOUT = 120.0


def log(*a):
    print("[peers]", *a, file=sys.stderr, flush=True)


def stats(xs):
    if not xs:
        return None
    s = sorted(xs)
    q = lambda p: s[min(len(s) - 1, int(p * len(s)))]
    return {"median": round(q(0.5), 3), "p95": round(q(0.95), 3), "max": round(s[-1], 3), "n": len(s)}


# What each language is asked. `i` makes cells distinct (no redeclarations).
JS = {
    "setup": "const arr = [1, 2, 3];\nfunction twice(n: number): number { return n * 2; }\nconst text = 'hello';",
    "trivial": lambda i: "1 + 1",
    "typed": lambda i: f"interface P{i} {{ x: number }}\nconst p{i}: P{i} = {{ x: {i} }};\nconst q{i}: number = p{i}.x * 2;\nq{i}",
    "complete": [("arr.fil", None, "filter"), ("console.lo", None, "log"), ("text.toUpp", None, "toUpperCase"), ("Math.ma", None, "max")],
    "inspect": [("twice(2)", 2), ("Math.max(1, 2)", 6), ("text.length", 2)],
    "is_complete": [("1 + 1", "complete"), ("function g() {\n  if (x) {", "incomplete"), ("const a = [1,\n", "incomplete")],
    "cell": lambda i: f"const c{i} = {i};",
    "flood": "for (let i = 0; i < 100000; i++) console.log(i);",
    "busy": "while (true) {}",
}
PY = {
    "setup": "arr = [1, 2, 3]\ndef twice(n: int) -> int:\n    return n * 2\ntext = 'hello'",
    "trivial": lambda i: "1 + 1",
    "typed": lambda i: f"class P{i}:\n    x: int = {i}\np{i}: P{i} = P{i}()\nq{i}: int = p{i}.x * 2\nq{i}",
    "complete": [("arr.app", None, "append"), ("print", None, "print"), ("text.upp", None, "upper"), ("len", None, "len")],
    "inspect": [("twice(2)", 2), ("max(1, 2)", 2), ("text.upper", 2)],
    "is_complete": [("1 + 1", "complete"), ("def g():\n    if x:", "incomplete"), ("a = [1,\n", "incomplete")],
    "cell": lambda i: f"c{i} = {i}",
    "flood": "for i in range(100000): print(i)",
    "busy": "while True: pass",
}


def tree_rss_mb(pid):
    """Resident memory of a process and all its descendants, in MB."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for t in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo.extend(int(x) for x in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            pass
    return round(total / 1024, 1)


class Kernel:
    def __init__(self, spec):
        self.spec = spec
        ks = KernelSpecManager().get_kernel_spec(spec)
        self.lang = PY if ks.language == "python" else JS
        self.res = {}
        self.samples = {}
        self.failed = {}
        self.start()

    def start(self):
        self.km = KernelManager(kernel_name=self.spec)
        t = time.perf_counter()
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.startup_ms = (time.perf_counter() - t) * 1000

    @property
    def pid(self):
        return self.km.provisioner.process.pid

    def reply(self, msg_id, timeout=REPLY_TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply")
            try:
                m = self.kc.get_shell_msg(timeout=left)
            except Empty:
                raise TimeoutError("no reply")
            if m["parent_header"].get("msg_id") == msg_id:
                return m

    def idle(self, msg_id, timeout=REPLY_TIMEOUT, on_busy=None):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no idle")
            try:
                m = self.kc.get_iopub_msg(timeout=left)
            except Empty:
                raise TimeoutError("no idle")
            if m["parent_header"].get("msg_id") != msg_id or m["msg_type"] != "status":
                continue
            state = m["content"]["execution_state"]
            if state == "busy" and on_busy:
                return
            if state == "idle":
                return

    def execute(self, code, allow_error=False, timeout=REPLY_TIMEOUT):
        """Milliseconds to execute_reply; waits for idle too (not counted)."""
        t = time.perf_counter()
        mid = self.kc.execute(code, store_history=True, stop_on_error=False)
        r = self.reply(mid, timeout)
        ms = (time.perf_counter() - t) * 1000
        self.idle(mid, timeout)
        # Until idle: when a frontend shows the cell as done (tskernel's type report comes before it).
        self.last_idle_ms = (time.perf_counter() - t) * 1000
        if r["content"]["status"] != "ok" and not allow_error:
            raise RuntimeError(f"{code!r}: {r['content'].get('ename')}: {r['content'].get('evalue')}")
        return ms

    def timed(self, send):
        t = time.perf_counter()
        mid = send()
        r = self.reply(mid)
        ms = (time.perf_counter() - t) * 1000
        self.idle(mid)
        return ms, r["content"]

    def sample(self, metric, fn):
        """Runs one measurement; after a metric's first failure that metric is skipped (not the run)."""
        if metric in self.failed:
            return
        try:
            self.samples.setdefault(metric, []).append(fn())
        except Exception as e:  # one kernel failing must not end the others' run
            self.failed[metric] = str(e) or type(e).__name__
            log(self.spec, metric, "failed:", self.failed[metric])

    def stop(self):
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=False)
        except Exception:
            self.km.shutdown_kernel(now=True)


def rotations(kernels, r):
    k = r % len(kernels)
    return kernels[k:] + kernels[:k]


def main():
    kernels, out = [], {}
    for spec in args.specs:
        log("starting", spec)
        try:
            kernels.append(Kernel(spec))
        except Exception as e:
            log(spec, "did not start:", e)
            out[spec] = {"errors": {"start": str(e)}}
    # Let every kernel settle (background warm-ups) before the first RSS reading.
    time.sleep(3)
    for k in kernels:
        k.res["startup_ms"] = round(k.startup_ms, 1)
        k.res["rss_start_mb"] = tree_rss_mb(k.pid)
        k.sample("setup", lambda k=k: k.execute(k.lang["setup"]))

    # Warm-up (not measured): a few of each request, so caches and language services are warm.
    for k in kernels:
        for i in range(5):
            k.sample("warm", lambda k=k, i=i: k.execute(k.lang["typed"](1000 + i)))
            for code, pos, _ in k.lang["complete"]:
                k.sample("warm", lambda k=k, code=code: k.timed(lambda: k.kc.complete(code, len(code)))[0])
            for code, pos in k.lang["inspect"]:
                k.sample("warm", lambda k=k, code=code, pos=pos: k.timed(lambda: k.kc.inspect(code, pos))[0])
            for code, _ in k.lang["is_complete"]:
                k.sample("warm", lambda k=k, code=code: k.timed(lambda: k.kc.is_complete(code))[0])
    log("warm; measuring", args.rounds, "rounds")

    found = {k.spec: {"complete_hits": 0, "complete_n": 0, "inspect_found": 0, "inspect_n": 0, "is_complete_right": 0, "is_complete_n": 0} for k in kernels}
    for r in range(args.rounds):
        for k in rotations(kernels, r):
            L, f = k.lang, found[k.spec]
            k.sample("trivial", lambda: k.execute(L["trivial"](r)))
            k.sample("typed", lambda: k.execute(L["typed"](r)))
            if "typed" not in k.failed:
                k.sample("typed_idle", lambda: k.last_idle_ms)
            code, _, want = L["complete"][r % len(L["complete"])]

            def complete():
                ms, c = k.timed(lambda: k.kc.complete(code, len(code)))
                f["complete_n"] += 1
                f["complete_hits"] += want in c.get("matches", [])
                return ms

            k.sample("complete", complete)
            icode, ipos = L["inspect"][r % len(L["inspect"])]

            def inspect():
                ms, c = k.timed(lambda: k.kc.inspect(icode, ipos))
                f["inspect_n"] += 1
                f["inspect_found"] += bool(c.get("found"))
                return ms

            k.sample("inspect", inspect)
            ccode, cwant = L["is_complete"][r % len(L["is_complete"])]

            def is_complete():
                ms, c = k.timed(lambda: k.kc.is_complete(ccode))
                f["is_complete_n"] += 1
                f["is_complete_right"] += c.get("status") == cwant
                return ms

            k.sample("is_complete", is_complete)

    log("200 cells + flood")
    for i in range(200):
        for k in rotations(kernels, i):
            k.sample("cells", lambda k=k, i=i: k.execute(k.lang["cell"](i)))
    for k in kernels:
        k.sample("flood", lambda k=k: k.execute(k.lang["flood"], timeout=FLOOD_TIMEOUT))
        if "flood" not in k.failed:
            k.res["rss_after_mb"] = tree_rss_mb(k.pid)

    log("interrupts")
    for r in range(args.interrupts):
        for k in rotations(kernels, r):
            k.sample("interrupt", lambda k=k: interrupt(k))

    for k in kernels:
        res = dict(k.res)
        for m in ("trivial", "typed", "typed_idle", "complete", "inspect", "is_complete", "flood", "interrupt"):
            if k.samples.get(m):
                res[m] = stats(k.samples[m])
        res.update(found[k.spec])
        if k.failed:
            res["errors"] = k.failed
        out[k.spec] = res
        k.stop()
    print(json.dumps(out))


def interrupt(k):
    mid = k.kc.execute(k.lang["busy"], stop_on_error=False)
    k.idle(mid, on_busy=True)  # returns at the busy status of this request
    time.sleep(0.1)  # let the loop run: the interrupt must stop running code, not a queued request
    t = time.perf_counter()
    k.km.interrupt_kernel()
    try:
        k.reply(mid, timeout=INTERRUPT_TIMEOUT)
    except TimeoutError:
        log(k.spec, "did not answer an interrupt within", INTERRUPT_TIMEOUT, "s; restarting it")
        k.kc.stop_channels()
        k.km.shutdown_kernel(now=True)
        k.start()
        k.execute(k.lang["setup"])
        raise TimeoutError(f"no execute_reply within {INTERRUPT_TIMEOUT} s of the interrupt")
    ms = (time.perf_counter() - t) * 1000
    k.idle(mid)
    return ms


if __name__ == "__main__":
    main()
