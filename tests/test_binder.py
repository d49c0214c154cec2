"""Binder installe les mêmes versions que la racine (tensorflow-cpu à la place de tensorflow).

Ce que Binder construit vraiment est vérifié par `make binder-check` (scripts/binder_check.py),
que .ci/run lance après `make test`.
"""

import re
import sys
from pathlib import Path

from packaging.markers import Marker

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"([A-Za-z0-9_.\-]+)==(\d+(?:\.\d+)*(?:\.post\d+)?)(?:\s*;\s*(.+))?")
# L'environnement de Binder : Linux x86_64, Python de binder/runtime.txt.
BINDER_MACHINE = {"sys_platform": "linux", "platform_machine": "x86_64"}


# Ce que seuls les développeurs installent (requirements-dev.txt), jamais les apprenants.
DEV_TOOLS = {"nbconvert", "nbval", "pytest", "ruff", "playwright", "nbgrader"}


def all_lines(path):
    lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def requirement_lines(path):
    """Les exigences du fichier, sans ses renvois (-r autre fichier, -c contraintes)."""
    return [line for line in all_lines(path) if not line.startswith(("-r ", "-c "))]


def pins(path, machine=None):
    """{paquet: version} de ce que pip installerait sur `machine` (marqueurs évalués)."""
    result = {}
    for line in requirement_lines(path):
        name, version, marker = PIN.fullmatch(line).groups()
        if marker is None or machine is None or Marker(marker).evaluate(machine):
            result[name.lower()] = version
    return result


def test_every_requirement_is_pinned_exactly():
    for path in (
        ROOT / "requirements.txt",
        ROOT / "binder" / "requirements.txt",
        ROOT / "requirements-dev.txt",
        ROOT / "requirements-mnist.txt",
        ROOT / "constraints.txt",
    ):
        for line in requirement_lines(path):
            assert PIN.fullmatch(line), (path, line)


def test_the_root_asks_for_exactly_one_tensorflow_on_every_platform():
    """tensorflow-cpu là où il existe (Linux x86_64, Windows), tensorflow ailleurs, jamais deux."""
    machines = [
        {"sys_platform": "linux", "platform_machine": "x86_64"},
        {"sys_platform": "linux", "platform_machine": "aarch64"},
        {"sys_platform": "darwin", "platform_machine": "arm64"},
        {"sys_platform": "win32", "platform_machine": "AMD64"},
    ]
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
        "repo2docker exige que binder/start finisse par exec \"$@\""
    )


def test_learners_get_no_developer_tool_and_every_version_is_constrained():
    """make lab et Binder : le jeu des apprenants ; les outils des tests à part ; tout contraint."""
    for path in (ROOT / "requirements.txt", ROOT / "binder" / "requirements.txt"):
        assert not DEV_TOOLS & set(pins(path)), f"{path.name} : outils de développeur {DEV_TOOLS}"
    assert all_lines(ROOT / "requirements.txt")[0] == "-c constraints.txt"
    # Chemin relatif au fichier qui le cite, comme pip le lit (repo2docker copie alors tout le
    # dépôt avant d'installer : il ne met à part que les requirements sans renvoi local).
    assert "-c ../constraints.txt" in all_lines(ROOT / "binder" / "requirements.txt")
    dev = all_lines(ROOT / "requirements-dev.txt")
    assert dev[0] == "-r requirements.txt" and set(pins(ROOT / "requirements-dev.txt")) == DEV_TOOLS
    constraints = {canonical(n): v for n, v in pins(ROOT / "constraints.txt").items()}
    for path in (ROOT / "requirements.txt", ROOT / "requirements-dev.txt"):
        for name, version in pins(path, BINDER_MACHINE).items():
            assert constraints.get(canonical(name)) == version, (path.name, name, version)


# Les outils d'installation de l'environnement virtuel lui-même (venv les fournit selon la
# version de Python) : non contraints, comme pip freeze les omet.
PACKAGING_TOOLS = {"pip", "setuptools", "wheel"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_constraints_pin_every_installed_dependency_of_the_series():
    """Chaque paquet tiré par requirements-dev.txt (dépendances des dépendances comprises) est
    dans constraints.txt, à la version installée ici : sinon, « make constraints »."""
    from importlib import metadata

    from packaging.requirements import Requirement

    constraints = {
        canonical(name): version for name, version in pins(ROOT / "constraints.txt").items()
    }
    roots = [
        canonical(name)
        for name, _ in (
            p
            for path in ("requirements.txt", "requirements-dev.txt")
            for p in pins(
                ROOT / path,
                dict(BINDER_MACHINE, python_version="3.11", python_full_version="3.11.0"),
            ).items()
        )
    ]
    seen, todo, missing = set(), list(roots), []
    while todo:
        name = todo.pop()
        if name in seen or name in PACKAGING_TOOLS:
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # pas installé sur cette plateforme (marqueur) : rien à contraindre
        if constraints.get(name) != dist.version:
            missing.append((name, dist.version, constraints.get(name)))
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonical(requirement.name))
    assert len(seen) > 100, f"seulement {len(seen)} paquets parcourus"
    assert not missing, f"constraints.txt à régénérer (make constraints) : {missing[:5]}"


def test_ae_utils_declares_every_library_it_imports():
    """pyproject.toml : chaque bibliothèque importée par ae_utils est une dépendance déclarée,
    au moins à la version épinglée par requirements.txt (et rien d'autre n'est déclaré)."""
    import ast
    import tomllib
    from importlib import metadata

    from packaging.requirements import Requirement

    imported = set()
    for path in (ROOT / "ae_utils").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m != "ae_utils"}
    providers = metadata.packages_distributions()
    needed = {canonical(d) for m in third_party for d in providers.get(m, [m])}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [Requirement(line) for line in project["dependencies"]]
    here = {canonical(r.name): r for r in declared if r.marker is None or r.marker.evaluate()}
    assert set(here) == needed, f"importés : {sorted(needed)}, déclarés : {sorted(here)}"
    root = {canonical(n): v for n, v in pins(ROOT / "requirements.txt", BINDER_MACHINE).items()}
    for name, requirement in here.items():
        assert requirement.specifier.contains(root[name]), (name, requirement, root[name])
