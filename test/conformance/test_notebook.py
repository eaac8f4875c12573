"""The example notebooks execute headless with nbclient (what `jupyter execute` runs) and give
the outputs a reader of the notebook would see."""

import os
import pathlib

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[2]


def run_notebook(name):
    nb = nbformat.read(ROOT / "examples" / name, as_version=4)
    NotebookClient(nb, timeout=60, kernel_name=nb.metadata.kernelspec.name, resources={"metadata": {"path": str(ROOT / "examples")}}).execute()
    return nb


def text_of(cell):
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out:
            parts.append(out.data.get("text/plain", ""))
    return "".join(parts)


def test_tour_notebook_executes():
    nb = run_notebook("tour.ipynb")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(o.output_type != "error" for c in code for o in c.outputs)
    assert "Ada" in text_of(code[1])
    assert any("text/html" in o.get("data", {}) for c in code for o in c.outputs)
