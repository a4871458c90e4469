"""The package's modules import only from upstream of themselves (the data flow runs one way)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "agir"

# Upstream first: motion input -> canonical skeleton -> gait parameters -> ... -> command line.
LAYERS = ["errors", "skeleton", "readers", "gait", "synth", "corpus", "tokenizer", "lm", "assess", "report", "serve", "cli"]


def _layer(module: str) -> int:
    parts = module.split(".")
    if parts[0] != "agir" or len(parts) == 1:
        return -1
    return LAYERS.index(parts[1])


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("agir"):
            names.append(node.module)
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names if a.name.startswith("agir")]
    return names


def test_every_module_has_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module in ("agir.__init__",):
            continue
        assert _layer(module) >= 0, f"{module} is in no layer; add it to LAYERS"


def test_imports_flow_downstream_only() -> None:
    # readers produce the canonical skeleton, so they sit downstream of its definition
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module == "agir.__init__":
            continue
        own = _layer(module)
        for imported in _imports(path):
            if imported == "agir":
                continue
            assert _layer(imported) <= own, f"{module} imports {imported}, which is downstream of it"
