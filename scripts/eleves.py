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

Il écrit aussi eleves/README.md, le guide de l'enseignant : pour chaque notebook, le temps
d'étude et d'exécution (en-têtes des notebooks), le temps d'exécution de l'édition élève en
mode rapide (benchmarks/results/eleves.md, écrit par `--mesurer`) et ses exercices.

    python scripts/eleves.py            # réécrit eleves/ (notebooks et README.md)
    python scripts/eleves.py --check    # échoue si eleves/ n'est pas à jour
    python scripts/eleves.py --mesurer  # exécute l'édition élève en mode rapide, chronométrée,
                                        # et écrit benchmarks/results/eleves.md
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import headers  # noqa: E402
import run_notebooks  # noqa: E402
from normalize_notebooks import normalize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STUDENTS = ROOT / "eleves"
MEASURES = ROOT / "benchmarks" / "results" / "eleves.md"
GUIDE = "README.md"  # eleves/README.md : le guide de l'enseignant, écrit par ce script
ASSIGNMENT = "serie"  # nom du devoir pour nbgrader (sans importance hors de ce script)
CODE_STUB = "# À vous :"
TEXT_STUB = "*À vous : écrivez votre réponse ici.*"
EDITION_LINE = (
    "*Édition élève\u00a0: les solutions ont été retirées\u00a0; les cellules "
    "«\u00a0Vérification\u00a0» disent si votre réponse est juste. L'édition enseignant, avec "
    "les solutions, est dans [`notebooks/`](../notebooks/).*"
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
    guide = destination / GUIDE
    guide.write_text(teacher_guide(paths), encoding="utf-8")
    return written + [guide]


def exercise_kinds(nb) -> tuple[int, int, list[str]]:
    """(vérifiés automatiquement, réponses écrites, exercices dont la solution entraîne)."""
    automatic, written, training = 0, 0, []
    number = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown" and re.match(r"### Exercice \d+\n", cell.source):
            number = int(cell.source.split()[2])
        grading = cell.metadata.get("nbgrader", {})
        if not grading.get("solution"):
            continue
        if cell.cell_type == "code":
            automatic += 1
            if re.search(r"\.fit\(|fit_or_load\(", cell.source):
                training.append(str(number))
        else:
            written += 1
    return automatic, written, training


def measured_rows() -> dict[str, str]:
    """Temps de l'édition élève en mode rapide, par notebook (benchmarks/results/eleves.md)."""
    if not MEASURES.exists():
        return {}
    rows = {}
    for line in MEASURES.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) >= 4 and cells[0].endswith(".ipynb"):
            rows[cells[0]] = cells[3]
    return rows


def french_typography(text: str) -> str:
    """Espaces insécables de la typographie française, hors code (`…`) et adresses de liens."""
    parts = re.split(r"(`[^`]*`|\]\([^)]*\))", text)
    for i in range(0, len(parts), 2):
        part = re.sub(r" ([:;?!»])", "\u00a0\\1", parts[i])
        parts[i] = part.replace("« ", "«\u00a0")
    return "".join(parts)


def teacher_guide(paths: list[Path]) -> str:
    fast = measured_rows()
    lines = [
        "# Édition élève : le guide de l'enseignant",
        "",
        "Ce dossier est l'**édition élève** de la série : les mêmes notebooks que "
        "[`notebooks/`](../notebooks/) (l'édition enseignant), sans les solutions et sans les "
        "sorties. Chaque exercice y a une cellule de réponse ; quand la réponse est du code, une "
        "cellule « Vérification » dit « Juste », « Pas tout à fait » (avec un indice) ou "
        "« Pas encore ». Les questions qui demandent une explication gardent une réponse écrite, "
        "suivie de points pour se relire. Ne modifiez pas ces fichiers : `make eleves` les "
        "reconstruit depuis `notebooks/` (avec nbgrader).",
        "",
        "Pour la distribuer : donnez ce dossier (ou les badges Binder et Colab en tête de chaque "
        "notebook) ; sur une machine, `make lab` puis ouvrez `eleves/` dans JupyterLab.",
        "",
        "## Combien de temps en classe",
        "",
        "Étude : temps estimé pour lire le notebook et faire ses exercices (une même règle pour "
        "tous : 100 mots par minute, 10 minutes par exercice). Exécution complète : mesurée par "
        "`make run` (édition enseignant, solutions comprises). Édition élève, mode rapide : "
        "« Exécuter tout » de l'édition élève avec `AE_FAST=1`, mesuré par "
        "`python scripts/eleves.py --mesurer` ([détail](../benchmarks/results/eleves.md)). "
        "Exercices : vérifiés automatiquement / à réponse écrite ; « entraîne » signale ceux dont "
        "la solution entraîne un modèle (plusieurs minutes en mode complet, quelques secondes en "
        "mode rapide).",
        "",
        "| Notebook | Étude | Exécution complète | Édition élève, mode rapide "
        "| Exercices | Entraîne |",
        "|---|---|---|---|---|---|",
    ]
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        study = re.search(r"environ (\d+) min d'étude", text)
        full = run_notebooks.MEASURED.search(text)
        automatic, written, training = exercise_kinds(nb)
        lines.append(
            f"| [{path.stem}]({path.name}) | {study[1] if study else '?'} min "
            f"| {full['time'] if full else '?'} | {fast.get(path.name, 'non mesuré')} "
            f"| {automatic} / {written} | {', '.join(training) or '—'} |"
        )
    lines += [
        "",
        "## Un TP de deux heures",
        "",
        "Deux séances qui tiennent en deux heures chacune, en mode complet, parce qu'aucun de "
        "leurs exercices n'entraîne de modèle (colonne « Entraîne ») : la lecture des "
        "notebooks se fait avant, en autonomie.",
        "",
        "- **Les bases** (notebooks 02 à 06, modèle du notebook 05 déjà entraîné) : exercices 1 "
        "et 2 du 02, 1 et 3 du 03, 1 à 3 du 04, 2 du 05, 1 à 3 du 06 ; les réponses écrites "
        "(02.3, 03.2) en fin de séance ou à la maison.",
        "- **Les applications** (07, 08, 09, 10, 13) : 3 du 07, 1 à 3 du 08, 2 et 4 du 09, 2 et "
        "3 du 10, 2 du 13.",
        "",
        "Les exercices qui entraînent un modèle (05.1, 05.3, 07.1, 07.2, 09.1, 10.1, 11.1, 11.3, "
        "12.3) vont en devoir à la maison, ou en salle en mode rapide (`AE_FAST=1`), où ils "
        "tournent en quelques secondes : la vérification accepte un modèle moins bon, elle "
        "contrôle que la réponse est celle du modèle entraîné.",
        "",
        "## Noter avec nbgrader",
        "",
        "Les notebooks de `notebooks/` suivent les conventions de "
        "[nbgrader](https://nbgrader.readthedocs.io) : solutions entre `### BEGIN SOLUTION` et "
        "`### END SOLUTION`, cellules de réponse et de vérification décrites dans les "
        "métadonnées (`grade_id`, points, cellules verrouillées). Pour noter :",
        "",
        "1. Installez nbgrader (`pip install nbgrader==0.9.6`, la version de "
        "`requirements-dev.txt`) et créez un cours (`nbgrader quickstart cours`).",
        "2. Copiez les notebooks de l'édition enseignant dans `cours/source/<devoir>/`, puis "
        "`nbgrader generate_assignment <devoir>` : nbgrader produit l'édition élève (la même que "
        "ce dossier) dans `cours/release/`.",
        "3. Ramassez les copies dans `cours/submitted/<élève>/<devoir>/`, puis "
        "`nbgrader autograde <devoir>` : chaque cellule « Vérification » vaut un point, perdu si "
        "la vérification ne dit pas « Juste » (pendant la notation, nbgrader définit "
        "`NBGRADER_EXECUTION` et une vérification ratée lève une erreur, avec le même message "
        "en français).",
        "4. Les réponses écrites (un point chacune) se notent à la main dans le *formgrader* "
        "(`nbgrader formgrader`), la solution de l'édition enseignant sous les yeux.",
        "",
        "Les vérifications sont visibles et ne cachent pas de test : elles aident l'élève à "
        "avancer. Pour un examen, ajoutez vos propres tests entre `### BEGIN HIDDEN TESTS` et "
        "`### END HIDDEN TESTS` dans une cellule de vérification de l'édition enseignant.",
        "",
    ]
    return french_typography("\n".join(lines))


def measure() -> None:
    """Exécute chaque notebook de eleves/ en mode rapide, chronométré ; écrit MEASURES."""
    rows = []
    total = 0.0
    for path in sorted(STUDENTS.glob("[0-9][0-9]_*.ipynb")):
        with tempfile.TemporaryDirectory(prefix="eleves-mesure-") as tmp:
            env = dict(os.environ, AE_FAST="1", AE_CHECKS="pending", AE_ARTEFACTS=tmp)
            output = Path(tmp) / path.name
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute"]
                + ["--ExecutePreprocessor.timeout=-1", "--output", str(output), str(path)],
                check=True,
                env=env,
                capture_output=True,
                cwd=STUDENTS,
            )
            seconds = time.perf_counter() - start
            nb = nbformat.read(output, as_version=4)
        checks = [
            c
            for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
        ]
        pending = sum(
            "".join(o.get("text", "") for o in c.outputs).startswith("Pas encore") for c in checks
        )
        automatic, written, _ = exercise_kinds(nbformat.read(NOTEBOOKS / path.name, as_version=4))
        total += seconds
        rows.append(
            f"| {path.name} | {automatic} | {written} | {run_notebooks.minutes(seconds)} "
            f"| {pending} / {len(checks)} |"
        )
        print(rows[-1], flush=True)
    MEASURES.write_text(
        "# Édition élève en mode rapide (`python scripts/eleves.py --mesurer`)\n\n"
        f"Dernière mesure au commit {run_notebooks.commit()}, sur {run_notebooks.machine()} : "
        "chaque notebook de eleves/ exécuté de bout en bout (« Exécuter tout »), `AE_FAST=1`, "
        "noyau neuf et dossier d'artefacts vide, l'un après l'autre.\n\n"
        "| Notebook | Exercices vérifiés automatiquement | Réponses écrites "
        "| Exécution en mode rapide | Vérifications « Pas encore » |\n"
        "|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"Total : {run_notebooks.minutes(total)}.\n",
        encoding="utf-8",
    )


def main(argv: list[str]) -> None:
    if "--mesurer" in argv:
        measure()
        generate(STUDENTS)  # le guide reprend les nouvelles mesures
        return
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
        extra = sorted(
            {p.name for p in STUDENTS.iterdir() if p.is_file()} - {p.name for p in fresh}
        )
    if stale or extra:
        sys.exit(
            "L'édition élève n'est pas à jour (lancez « make eleves ») : "
            + ", ".join(stale + [f"{name} (en trop)" for name in extra])
        )
    print("L'édition élève (eleves/) est à jour.")


if __name__ == "__main__":
    main(sys.argv[1:])
