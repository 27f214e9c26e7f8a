"""The package's layers: only ``frontline/app/`` imports Streamlit; page scripts stay small."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "frontline"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_app_layer_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
                 if "app" not in p.relative_to(PACKAGE).parts[:1]
                 and _imports(p) & {"streamlit", "streamlit_folium"}]
    assert offenders == []


def test_a_page_with_a_fragment_keeps_no_data_in_its_globals():
    """Streamlit keeps a fragment's function (and so the globals it sees) for the whole session, closed or
    not: a dataset bound at a page's top level outlived a 200,000-row data swap (bench_team.py measured a
    process at 1.45-2x its fresh memory). Pages with a fragment bind only imports and functions at the top."""
    for page in sorted((ROOT / "pages").glob("*.py")):
        tree = ast.parse(page.read_text(encoding="utf-8"))
        if "fragment" not in page.read_text(encoding="utf-8"):
            continue
        bound = [node.lineno for node in tree.body
                 if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.With))]
        assert bound == [], f"{page.name}: top-level names bound on lines {bound}; put the page body in a function"
