"""Notebooks written in the idioms of tslab, Deno and IJavascript execute headless with nbclient
(what nbconvert and papermill run) and the saved notebook holds what JupyterLab shows: each
display's MIME types and readable text, async results, and the type report of a cell."""

import pathlib
import time

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[1] / "notebooks"


def run_notebook(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(nb, timeout=60, kernel_name=nb.metadata.kernelspec.name, resources={"metadata": {"path": str(NOTEBOOKS)}})
    if nb.metadata.kernelspec.name == "typescript":
        client.on_notebook_start = lambda notebook: warm_checker(client.kc)
    client.execute()
    return [c for c in nb.cells if c.cell_type == "code"]


async def warm_checker(kc):
    """Waits until the type checker has reported on a cell: a cold checker (the first seconds of
    a kernel) may publish its report after idle, which a saved notebook then misses; warm, it
    must not."""
    msg_id = kc.execute("const warmUp: number = 'x';", store_history=False)
    deadline = time.monotonic() + 60
    while True:
        msg = await kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream" and "TS2322" in msg["content"]["text"]:
            return


def outputs(cell, kind):
    return [o for o in cell.outputs if o.output_type == kind]


def data(cell, kind="execute_result"):
    found = outputs(cell, kind)
    assert found, f"no {kind} in {cell.source!r}: {cell.outputs}"
    return found[0].data


def stream(cell, name):
    return "".join(o.text for o in outputs(cell, "stream") if o.name == name)


def no_errors(cells):
    return [(c.source, o) for c in cells for o in c.outputs if o.output_type == "error" and "raises-exception" not in c.metadata.get("tags", [])]


def test_tslab_notebook_saves_displays_updates_and_the_type_report():
    cells = run_notebook("tslab_style.ipynb")
    assert no_errors(cells) == []
    assert data(cells[0]) == {"text/plain": "true"}
    html, markdown = [o.data for o in outputs(cells[1], "display_data")]
    assert html == {"text/html": "<h3>Hello from <b>tslab</b></h3>", "text/plain": "Hello from tslab"}
    assert markdown == {"text/markdown": "**bold** text", "text/plain": "**bold** text"}
    assert data(cells[2], "display_data")["text/plain"] == "SVG image: circle"
    assert data(cells[3], "display_data")["image/png"] == "iVBORw0KGgo="
    # newDisplay(): a saved notebook keeps the display with its last content only if the update
    # carried the same display_id; nbclient applies the update to the saved output.
    assert [o.data for o in outputs(cells[4], "display_data")] == [{"text/html": "<i>loaded</i>", "text/plain": "loaded"}]
    assert data(cells[5]) == {"text/plain": "5"}
    # The type report arrives before idle, so the saved notebook has it (tslab's errors.ipynb).
    report = stream(cells[6], "stderr")
    assert "TS2322" in report and "is not assignable to type 'number'" in report
    # The README's display-handle pattern type-checks: no TS18048 for h.update.
    assert stream(cells[7], "stderr") == ""
    assert [o.data["text/plain"] for o in outputs(cells[7], "display_data")] == ["'second'"]


def test_deno_notebook_saves_tagged_templates_display_and_npm_imports():
    cells = run_notebook("deno_style.ipynb")
    assert no_errors(cells) == []
    assert data(cells[0]) == {"text/html": "<h2>Hello, Deno!</h2>", "text/plain": "Hello, Deno!"}
    assert data(cells[1])["text/markdown"].startswith("## Table")
    assert data(cells[2]) == {"image/svg+xml": data(cells[2])["image/svg+xml"], "text/plain": "SVG image: hi"}
    assert data(cells[3], "display_data") == {"text/html": "<b>raw bundle</b>", "text/plain": "raw bundle"}
    assert data(cells[4]) == {"text/html": "<span>$12.50</span>", "text/plain": "$12.50"}
    assert data(cells[5]) == {"text/plain": "'Program'"}
    (err,) = outputs(cells[6], "error")
    assert "npm install left-pad-not-installed@1.3.0" in err.evalue and str(NOTEBOOKS) in err.evalue
    assert data(cells[7], "display_data")["text/markdown"] == "shadowed **display**"
    assert data(cells[8], "display_data") == {"text/html": "<i>still the kernel helpers</i>", "text/plain": "still the kernel helpers"}
    assert data(cells[8]) == {"text/plain": "'function'"}
    # Deno, its tagged templates, `$display` and `npm:acorn@8` type-check; the missing package does not.
    assert [i for i, c in enumerate(cells) if stream(c, "stderr")] == [6]
    assert "TS2307" in stream(cells[6], "stderr")


def test_ijavascript_notebook_saves_results_and_async_cells():
    cells = run_notebook("ijavascript_style.ipynb")
    assert no_errors(cells) == []
    assert data(cells[0]) == {"text/html": "<b>bold result</b>", "text/plain": "bold result"}
    assert "image/svg+xml" in data(cells[1])
    assert data(cells[2]) == {"text/markdown": "*from mime*", "text/plain": "from mime"}
    # The async cell's late output and result are saved in the cell, before the next cell ran.
    assert stream(cells[3], "stdout") == "started\nfinished\n"
    assert data(cells[3]) == {"text/plain": "{ total: 6 }"}
    assert outputs(cells[4], "execute_result") == []
    assert data(cells[5])["text/html"] == "<table><tr><td>a</td></tr><tr><td>b</td></tr></table>"
    (err,) = outputs(cells[6], "error")
    assert err.evalue == "async failure"
