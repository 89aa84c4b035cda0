"""The import contract of ARCHITECTURE.md (``[tool.importlinter]`` in pyproject.toml, run by
``lint-imports`` in ``make test``): it holds for the tree as it is, and it fails, naming the import,
when a lower layer imports a higher one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    assert LINT_IMPORTS, "lint-imports is needed (pip install import-linter; make venv installs it)"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([LINT_IMPORTS, "--no-cache", "--config", str(tree / "pyproject.toml")], cwd=tree,
                          env=env, capture_output=True, text=True, timeout=120)


def copy_of_tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "goalbook", tmp_path / "goalbook", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_the_contract() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(("module", "line", "arrow"), [
    ("model.py", "from goalbook.io import load_goalbook", "goalbook.model -> goalbook.io"),
    ("scoring.py", "import goalbook.widgets", "goalbook.scoring -> goalbook.widgets"),
    ("workspace.py", "import ipywidgets", "goalbook.workspace -> ipywidgets"),
    ("smart/check.py", "from goalbook.store import open", "goalbook.smart.check -> goalbook.store"),
])
def test_a_back_arrow_breaks_it(tmp_path: Path, module: str, line: str, arrow: str) -> None:
    tree = copy_of_tree(tmp_path)
    path = tree / "goalbook" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # a back-arrow\n", encoding="utf-8")
    done = lint_imports(tree)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKEN" in done.stdout and arrow in done.stdout, done.stdout
