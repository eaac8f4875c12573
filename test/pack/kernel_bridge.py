"""A Jupyter client for the pack test, the way a user's frontend starts a kernel: jupyter_client
finds the kernelspec by name on JUPYTER_PATH (the throwaway prefix `tskernel install --prefix`
wrote) and runs its argv. Reads one JSON request per line on stdin, answers one JSON line on
stdout (same "id"):
  {"op": "execute", "code": ..., "timeout": s}   -> status, stdout, stderr, error
  {"op": "debug", "command": ..., "arguments": {...}, "timeout": s} -> the DAP response
  {"op": "mark"}                                  -> cursor: the number of debug_events seen
  {"op": "wait_event", "event": ..., "after": n, "match": {...}, "timeout": s} -> index, body
  {"op": "shutdown"}
Usage: /usr/bin/python3 kernel_bridge.py KERNEL_NAME CWD
"""
import json
import sys
import time

from jupyter_client.manager import KernelManager

events = []  # every debug_event content, in order
by_parent = {}  # other iopub messages by parent msg_id


def pump(seconds):
    """Reads iopub for up to `seconds` (returns at the first quiet moment after that)."""
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        try:
            msg = kc.get_iopub_msg(timeout=max(left, 0.01))
        except Exception:
            return
        if msg["header"]["msg_type"] == "debug_event":
            events.append(msg["content"])
        else:
            by_parent.setdefault(msg["parent_header"].get("msg_id"), []).append(msg)
        if time.monotonic() > deadline:
            return


def execute(req):
    timeout = req.get("timeout", 60)
    msg_id = kc.execute(req["code"], store_history=True)
    deadline = time.monotonic() + timeout
    while not any(m["header"]["msg_type"] == "status" and m["content"]["execution_state"] == "idle" for m in by_parent.get(msg_id, [])):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no idle after execute within {timeout}s")
        pump(0.2)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    out = {"status": reply["content"]["status"], "stdout": "", "stderr": "", "error": None, "data": []}
    for m in by_parent.pop(msg_id, []):
        t, c = m["header"]["msg_type"], m["content"]
        if t == "stream":
            out[c["name"]] += c["text"]
        elif t == "error":
            out["error"] = {"ename": c["ename"], "evalue": c["evalue"], "traceback": c["traceback"]}
        elif t in ("execute_result", "display_data"):
            out["data"].append(c["data"])
    return out


def debug(req):
    msg = kc.session.msg("debug_request", {"type": "request", "seq": req.get("seq", 1), "command": req["command"], "arguments": req.get("arguments", {})})
    kc.control_channel.send(msg)
    deadline = time.monotonic() + req.get("timeout", 30)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no debug_reply to {req['command']}")
        reply = kc.get_control_msg(timeout=left)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return reply["content"]


def wait_event(req):
    deadline = time.monotonic() + req.get("timeout", 15)
    match = req.get("match", {})
    i = req.get("after", 0)
    while True:
        while i < len(events):
            e = events[i]
            if e.get("event") == req["event"] and all(e.get("body", {}).get(k) == v for k, v in match.items()):
                return {"index": i, "body": e.get("body", {})}
            i += 1
        if time.monotonic() > deadline:
            raise TimeoutError(f"no debug_event {req['event']} {match} (saw {[e.get('event') for e in events]})")
        pump(0.2)


km = KernelManager(kernel_name=sys.argv[1])
km.start_kernel(cwd=sys.argv[2])
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=60)
    print(json.dumps({"id": 0, "ok": True, "spec_argv": km.kernel_spec.argv}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        try:
            op = req["op"]
            if op == "execute":
                result = execute(req)
            elif op == "debug":
                result = debug(req)
            elif op == "mark":
                pump(0)
                result = {"cursor": len(events)}
            elif op == "wait_event":
                result = wait_event(req)
            elif op == "shutdown":
                break
            else:
                raise ValueError(f"unknown op {op}")
            print(json.dumps({"id": req["id"], "ok": True, "result": result}), flush=True)
        except Exception as e:  # reported to the test, which fails with it
            print(json.dumps({"id": req["id"], "ok": False, "error": f"{type(e).__name__}: {e}"}), flush=True)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
