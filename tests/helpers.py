"""Ce que partagent les tests des notebooks, des README et des scripts."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def markdown(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def printed(path: Path) -> str:
    """Tout le texte que les cellules de code du notebook ont affiché."""
    return "".join("".join(o.get("text", "")) for c in code_cells(load(path)) for o in c["outputs"])


def script(name: str):
    """Charge scripts/<name>.py comme un module (les scripts ne sont pas un paquet)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
