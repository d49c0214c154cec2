"""Binder installe les mêmes versions que la racine (tensorflow-cpu à la place de tensorflow)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pins(path):
    lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return dict(line.split("==") for line in lines if line)


def test_every_requirement_is_pinned_exactly():
    for path in (ROOT / "requirements.txt", ROOT / "binder" / "requirements.txt",
                 ROOT / "requirements-mnist.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            assert not line or re.fullmatch(r"[A-Za-z0-9_.\-]+==\d+(\.\d+)*", line), (path, line)


def test_binder_pins_equal_the_root_pins():
    root = pins(ROOT / "requirements.txt")
    binder = pins(ROOT / "binder" / "requirements.txt")
    root["tensorflow-cpu"] = root.pop("tensorflow")
    assert binder == root


def test_binder_runtime_and_postbuild():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() in ("python-3.11", "python-3.12")
    post_build = ROOT / "binder" / "postBuild"
    text = post_build.read_text(encoding="utf-8")
    assert post_build.stat().st_mode & 0o111, "postBuild doit être exécutable"
    assert "set -euo pipefail" in text
    assert "--no-deps -r requirements-mnist.txt" in text
    assert "--no-deps -e ." in text
