"""Notebooks are committed clean: no outputs and no execution counts, except the reference text of
the cells nbval checks (``# NBVAL_CHECK_OUTPUT``), which must be printed text and present.

An executed notebook can carry megabytes of plotly.js and whatever a store held when it ran. nbval
compares a checked cell only when its reference was run (it has an execution count) and has
output; a checked cell stripped bare would silently check nothing. After changing a checked cell,
refresh the reference text (runs each notebook once and keeps only the checked cells' printed
output and their execution counts)::

    .venv/bin/python tests/test_notebooks_clean.py notebooks/01-draft-company-okrs.ipynb ...
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for folder in ("notebooks", "templates") for p in (ROOT / folder).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
TEXT_STREAMS = {"stdout"}


def checked(cell: nbformat.NotebookNode) -> bool:
    """True for a code cell whose output nbval compares (``# NBVAL_CHECK_OUTPUT`` on a line of its own)."""
    return cell.cell_type == "code" and any(line.strip() == CHECK_MARKER for line in cell.source.splitlines())


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """What makes a notebook unfit to commit, one line per cell."""
    out = []
    for i, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        if checked(cell):
            if not cell.outputs or cell.get("execution_count") is None:
                out.append(f"cell {i}: checked by nbval but has no reference output and execution count")
            for o in cell.outputs:
                if o.output_type != "stream" or o.get("name") not in TEXT_STREAMS:
                    out.append(f"cell {i}: checked output must be printed text, not {o.output_type}")
            continue
        if cell.get("execution_count") is not None:
            out.append(f"cell {i}: execution_count {cell.execution_count}")
        if cell.outputs:
            out.append(f"cell {i}: {len(cell.outputs)} output(s) committed")
    return out


def refresh(path: Path, timeout: int = 120) -> None:
    """Run ``path`` once and write it back clean, keeping the checked cells' printed output as reference."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    ran = copy.deepcopy(nb)
    NotebookClient(ran, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell, done in zip(nb.cells, ran.cells, strict=True):
        if cell.cell_type != "code":
            continue
        keep = checked(cell)
        cell.execution_count = done.execution_count if keep else None
        cell.outputs = [nbformat.from_dict({"output_type": "stream", "name": o.name, "text": o.text})
                        for o in done.outputs if keep and o.output_type == "stream" and o.name in TEXT_STREAMS]
    nbformat.write(nb, path)


def test_there_are_notebooks_to_check() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in NOTEBOOKS}
    assert {"notebooks/01-draft-company-okrs.ipynb", "notebooks/review/dashboard.ipynb",
            "templates/workshop.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_is_committed_clean(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert problems(nb) == [], f"{path.relative_to(ROOT)}: run `.venv/bin/python tests/test_notebooks_clean.py {path}`"


def test_a_notebook_with_outputs_or_counts_is_refused() -> None:
    printed = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]
    cells = [nbformat.v4.new_code_cell("print(1)", execution_count=3,
                                       outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")]),
             nbformat.v4.new_code_cell(f"{CHECK_MARKER}\nprint(2)"),
             nbformat.v4.new_code_cell(f"{CHECK_MARKER}\nprint(2)", outputs=printed),
             nbformat.v4.new_code_cell(f"{CHECK_MARKER}\n2", execution_count=5, outputs=[nbformat.v4.new_output(
                 "execute_result", data={"text/plain": "2"}, execution_count=5)]),
             nbformat.v4.new_code_cell(f"{CHECK_MARKER}\nprint(2)", execution_count=6, outputs=printed)]
    found = problems(nbformat.v4.new_notebook(cells=cells))
    assert found == ["cell 1: execution_count 3", "cell 1: 1 output(s) committed",
                     "cell 2: checked by nbval but has no reference output and execution count",
                     "cell 3: checked by nbval but has no reference output and execution count",
                     "cell 4: checked output must be printed text, not execute_result"]


if __name__ == "__main__":
    for arg in sys.argv[1:] or [str(p) for p in NOTEBOOKS]:
        refresh(Path(arg).resolve())
        print(f"refreshed {arg}")
