"""jupyter_kernel_test conformance suite for both tskernel kernelspecs.

Run with Debian's Python (python3-jupyter-kernel-test): JUPYTER_PATH must point at a prefix
where `tskernel install --prefix` wrote the kernelspecs (run.sh does this).
"""

import unittest

import time

import jupyter_kernel_test as jkt


def warm_type_checker(kc):
    """A typed cell's idle waits (at most 3 s) for its type report, so that saved notebooks hold
    it; the suite reads each message after a reply with a 0.1 s timeout, which a checker still
    starting would exceed. Wait until the checker has reported once."""
    msg_id = kc.execute("const warmUp: number = 'x';", store_history=False)
    deadline = time.monotonic() + 60
    reported = idle = False
    while not (reported and idle):
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        # Cold, the report may come after idle: wait for both.
        reported = reported or (msg["msg_type"] == "stream" and "TS2322" in msg["content"]["text"])
        idle = idle or (msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle")


class TypeScriptKernelTests(jkt.KernelTests):
    kernel_name = "typescript"
    language_name = "typescript"
    file_extension = ".ts"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.language_name == "typescript":
            warm_type_checker(cls.kc)

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'
    code_page_something = None
    code_generate_error = 'throw new Error("failure")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "const s: string = 'ab'; s + 'c'", "result": "'abc'"},
        {"code": "[1, 2].map((x: number) => x * 2)", "result": "[ 2, 4 ]"},
    ]
    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.svg("<svg xmlns=\'http://www.w3.org/2000/svg\'></svg>")', "mime": "image/svg+xml"},
        {"code": 'display({"text/markdown": "# hi"})', "mime": "text/markdown"},
    ]
    code_clear_output = "display.clear()"
    code_history_pattern = "6 * *"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "Math.max"
    completion_samples = [
        {"text": "const someLongName = 1; someLongN", "matches": {"someLongName"}},
        {"text": "'abc'.toUpperC", "matches": {"toUpperCase"}},
    ]
    complete_code_samples = ["1 + 1", "function f() { return 1; }", "const x = { a: 1 };"]
    incomplete_code_samples = ["function f() {", "const x = [1,", "`unterminated ${1}"]
    invalid_code_samples = ["const = ;", "} x {"]


class JavaScriptKernelTests(TypeScriptKernelTests):
    kernel_name = "javascript"
    language_name = "javascript"
    file_extension = ".js"

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "const s = 'ab'; s + 'c'", "result": "'abc'"},
    ]
    completion_samples = [
        {"text": "const someLongName = 1; someLongN", "matches": {"someLongName"}},
    ]
    incomplete_code_samples = ["function f() {", "const x = [1,"]
    invalid_code_samples = ["const = ;"]


if __name__ == "__main__":
    unittest.main()
