"""Binder installe les mêmes versions que la racine (tensorflow-cpu à la place de tensorflow).

Ce que Binder construit vraiment est vérifié par `make binder-check` (scripts/binder_check.py),
que .ci/run lance après `make test`.
"""

import re
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"([A-Za-z0-9_.\-]+)==(\d+(?:\.\d+)*(?:\.post\d+)?)(?:\s*;\s*(.+))?")
# L'environnement de Binder : Linux x86_64, Python de binder/runtime.txt.
BINDER_MACHINE = {"sys_platform": "linux", "platform_machine": "x86_64"}


def requirement_lines(path):
    lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def pins(path, machine=None):
    """{paquet: version} de ce que pip installerait sur `machine` (marqueurs évalués)."""
    result = {}
    for line in requirement_lines(path):
        name, version, marker = PIN.fullmatch(line).groups()
        if marker is None or machine is None or Marker(marker).evaluate(machine):
            result[name.lower()] = version
    return result


def test_every_requirement_is_pinned_exactly():
    for path in (ROOT / "requirements.txt", ROOT / "binder" / "requirements.txt",
                 ROOT / "requirements-mnist.txt"):
        for line in requirement_lines(path):
            assert PIN.fullmatch(line), (path, line)


def test_the_root_asks_for_exactly_one_tensorflow_on_every_platform():
    """tensorflow-cpu là où il existe (Linux x86_64, Windows), tensorflow ailleurs, jamais deux."""
    machines = [{"sys_platform": "linux", "platform_machine": "x86_64"},
                {"sys_platform": "linux", "platform_machine": "aarch64"},
                {"sys_platform": "darwin", "platform_machine": "arm64"},
                {"sys_platform": "win32", "platform_machine": "AMD64"}]
    chosen = []
    for machine in machines:
        installed = pins(ROOT / "requirements.txt", machine)
        flavours = [name for name in installed if name in ("tensorflow", "tensorflow-cpu")]
        assert len(flavours) == 1, (machine, flavours)
        chosen.append(flavours[0])
    assert chosen == ["tensorflow-cpu", "tensorflow", "tensorflow", "tensorflow-cpu"]


def test_binder_pins_equal_the_root_pins():
    root = pins(ROOT / "requirements.txt", BINDER_MACHINE)
    binder = pins(ROOT / "binder" / "requirements.txt", BINDER_MACHINE)
    assert binder == root


def test_binder_scripts_are_executable():
    for name in ("postBuild", "start"):
        assert (ROOT / "binder" / name).stat().st_mode & 0o111, f"binder/{name} : chmod +x"
    assert (ROOT / "binder" / "start").read_text().rstrip().endswith('exec "$@"'), (
        "repo2docker exige que binder/start finisse par exec \"$@\"")
