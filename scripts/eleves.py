"""Construit l'édition élève (eleves/) depuis l'édition enseignant (notebooks/), avec nbgrader.

Les notebooks de notebooks/ sont l'édition enseignant : solutions en place, sorties d'une
exécution complète. Chaque exercice y suit les conventions de nbgrader : une cellule de
réponse (métadonnées `nbgrader.solution`) dont la solution est entre `### BEGIN SOLUTION` et
`### END SOLUTION`, ou une cellule de texte à réponse écrite ; puis une cellule de
vérification verrouillée (`nbgrader.grade`). `nbgrader generate_assignment` (le même outil
qu'un enseignant utilise pour ses devoirs) en fait l'édition élève :

- chaque solution en code est remplacée par « # À vous : » (les réponses restent à `None`
  au-dessus du marqueur : la vérification dit « Pas encore » et la suite du notebook
  s'exécute) ; chaque réponse écrite par « À vous : … » ;
- les sorties sont effacées, les cellules de vérification verrouillées et munies de leur
  somme de contrôle (nbgrader s'en sert pour voir si un élève les a modifiées).

Ce script ajoute seulement ce qui est propre à la série : les badges Binder et Colab et la
cellule d'installation pointent vers eleves/, une ligne dit que c'est l'édition élève.

L'édition élève est **committée** (et non construite à la demande) : les badges Binder et
Colab ouvrent un notebook du dépôt sur GitHub, il doit donc y être. `make test` vérifie
qu'elle est à jour (`--check`).

    python scripts/eleves.py          # réécrit eleves/
    python scripts/eleves.py --check  # échoue si eleves/ n'est pas à jour
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import headers  # noqa: E402
from normalize_notebooks import normalize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STUDENTS = ROOT / "eleves"
ASSIGNMENT = "serie"  # nom du devoir pour nbgrader (sans importance hors de ce script)
CODE_STUB = "# À vous :"
TEXT_STUB = "*À vous : écrivez votre réponse ici.*"
EDITION_LINE = (
    "*Édition élève : les solutions ont été retirées ; les cellules « Vérification » disent si "
    "votre réponse est juste. L'édition enseignant, avec les solutions, est dans "
    "[`notebooks/`](../notebooks/).*"
)
CONFIG = f"""\
c = get_config()  # noqa: F821
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
c.ClearSolutions.text_stub = {TEXT_STUB!r}
"""


def generate(destination: Path) -> list[Path]:
    """Écrit l'édition élève de chaque notebook dans `destination` ; renvoie les chemins."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="eleves-") as tmp:
        course = Path(tmp)
        source = course / "source" / ASSIGNMENT
        source.mkdir(parents=True)
        for path in paths:
            shutil.copy(path, source / path.name)
        (course / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", ASSIGNMENT]
            + ["--no-db", "--force", "--log-level=WARN"],
            cwd=course,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(
                "nbgrader generate_assignment a échoué (métadonnées nbgrader d'une cellule ?) :\n"
                + done.stdout
                + done.stderr
            )
        released = course / "release" / ASSIGNMENT
        titles = [headers.title_of(nbformat.read(path, as_version=4)) for path in paths]
        destination.mkdir(parents=True, exist_ok=True)
        written = []
        for i, path in enumerate(paths):
            nb = nbformat.read(released / path.name, as_version=4)
            previous = (paths[i - 1].name, titles[i - 1]) if i > 0 else None
            following = (paths[i + 1].name, titles[i + 1]) if i + 1 < len(paths) else None
            top = headers.header(path.name, titles[i], previous, following, folder="eleves")
            nb.cells[0].source = top + "\n\n" + EDITION_LINE
            if "colab" in nb.cells[1].metadata.get("tags", []):
                nb.cells[1].source = headers.colab_cell(folder="eleves")
            normalize(nb)
            target = destination / path.name
            nbformat.write(nb, target)
            written.append(target)
    return written


def main(argv: list[str]) -> None:
    if "--check" not in argv:
        for path in generate(STUDENTS):
            print(f"écrit : {path.relative_to(ROOT)}")
        return
    with tempfile.TemporaryDirectory(prefix="eleves-check-") as tmp:
        fresh = generate(Path(tmp))
        stale = [
            path.name
            for path in fresh
            if not (STUDENTS / path.name).exists()
            or (STUDENTS / path.name).read_text(encoding="utf-8") != path.read_text("utf-8")
        ]
        extra = sorted({p.name for p in STUDENTS.glob("*.ipynb")} - {p.name for p in fresh})
    if stale or extra:
        sys.exit(
            "L'édition élève n'est pas à jour (lancez « make eleves ») : "
            + ", ".join(stale + [f"{name} (en trop)" for name in extra])
        )
    print("L'édition élève (eleves/) est à jour.")


if __name__ == "__main__":
    main(sys.argv[1:])
