"""What a review page's kernel imports: each of the many kernels a burst of readers starts holds what its
page imported, so a page imports only what it draws with (goalbook.widgets imports each widget on first use)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("plotly", "networkx", "anywidget")
"""What only the alignment map draws with."""

_BUILD = """
import json, sys
from goalbook import pages
page = getattr(pages, sys.argv[1])({"team": None, "period": None, "since": None})
print(json.dumps({"widget": type(page).__name__, "heavy": [m for m in sys.argv[2:] if m in sys.modules]}))
"""


def _build(page: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOALBOOK_", "VOILA_"))}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", _BUILD, page, *HEAVY], env=env, capture_output=True, text=True,
                         check=True, timeout=300)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_dashboard_page_imports_neither_plotly_nor_networkx() -> None:
    assert _build("dashboard_review") == {"widget": "Dashboard", "heavy": []}


def test_the_alignment_page_imports_what_its_map_draws_with() -> None:
    assert _build("alignment_review") == {"widget": "AlignmentExplorer", "heavy": list(HEAVY)}
