"""jupyter_kernel_test conformance suite for both tskernel kernelspecs.

Run with Debian's Python (python3-jupyter-kernel-test): JUPYTER_PATH must point at a prefix
where `tskernel install --prefix` wrote the kernelspecs (run.sh does this).
"""

import unittest

import jupyter_kernel_test as jkt


class TypeScriptKernelTests(jkt.KernelTests):
    kernel_name = "typescript"
    language_name = "typescript"
    file_extension = ".ts"

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
