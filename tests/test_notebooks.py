"""Every notebook runs headlessly; notebooks are committed without outputs and match their source;
workshop solutions pass their own checks and the exercises fail them."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(p.relative_to(NOTEBOOKS) for p in NOTEBOOKS.rglob("*.ipynb")
             if ".ipynb_checkpoints" not in p.parts)
PASS_MARK = "✔"  # printed by roi_kit.workshop checks that pass
FAIL_MARK = "✘"  # ... and by those that fail


def _builder():
    spec = importlib.util.spec_from_file_location("build_notebooks",
                                                  ROOT / "scripts" / "build_notebooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_notebook_is_committed_without_outputs() -> None:
    assert ALL, "no notebooks found"
    for rel in ALL:
        nb = nbformat.read(NOTEBOOKS / rel, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, rel


def test_notebooks_match_their_source_definitions() -> None:
    generated = {str(k) for k in _builder().all_notebooks()}
    assert generated == {str(p) for p in ALL}, "run: python scripts/build_notebooks.py"
    assert _builder().main(["--check"]) == 0, "run: python scripts/build_notebooks.py"


def test_notebooks_are_thin_and_start_with_a_question() -> None:
    for rel in ALL:
        nb = nbformat.read(NOTEBOOKS / rel, as_version=4)
        first = nb.cells[0]
        assert first.cell_type == "markdown" and first.source.startswith("# "), rel
        assert "question" in first.source.lower() or "exercise" in first.source.lower(), rel
        previous = None
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert len(cell.source.splitlines()) <= 12, f"{rel}: code cell too long"
                assert previous == "markdown", f"{rel}: code cell without markdown before it"
                assert not re.search(r"https?://|open\(|read_csv\(['\"]/", cell.source), rel
            previous = cell.cell_type


RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
         "import os as _os\n_os.chdir({path!r})\ndel _os")
"""First (hidden) cell of every run in the shared kernel: an empty namespace (so a notebook
cannot lean on a name another one defined) and the notebook's own folder as working directory."""


@pytest.fixture(scope="module")
def kernel() -> Iterator[Any]:
    """One kernel for every notebook: start-up and the roi_kit / pandas / Altair imports are paid
    once (~5 s each) instead of sixteen times; each notebook still starts from an empty namespace."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(NOTEBOOKS))
    try:
        yield km
    finally:
        km.shutdown_kernel(now=True)


def _run(rel: Path, km: Any) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / rel, as_version=4)
    folder = str((NOTEBOOKS / rel).parent)
    nb.cells.insert(0, nbformat.v4.new_code_cell(RESET.format(path=folder)))
    client = NotebookClient(nb, km=km, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": folder}})
    client.execute()
    return nb


def _text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif out.get("output_type") in ("execute_result", "display_data"):
                data = out.get("data", {})
                parts.append(data.get("text/plain", "") + data.get("text/html", ""))
            elif out.get("output_type") == "error":
                parts.append("ERROR " + out.get("ename", "") + ": " + out.get("evalue", ""))
    return "\n".join(parts)


@pytest.mark.notebook
@pytest.mark.parametrize("rel", ALL, ids=[str(p) for p in ALL])
def test_notebook_executes(rel: Path, kernel: Any) -> None:
    nb = _run(rel, kernel)
    text = _text(nb)
    assert "ERROR " not in text and "Traceback" not in text
    sources = "".join(c.source for c in nbformat.read(NOTEBOOKS / rel, as_version=4).cells)
    if "workshop" in rel.parts and "check_" in sources:
        if "solutions" in rel.parts:
            assert PASS_MARK in text and FAIL_MARK not in text, text[-2000:]
        else:
            assert FAIL_MARK in text and PASS_MARK not in text, text[-2000:]
