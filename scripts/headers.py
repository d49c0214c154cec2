"""Écrit l'en-tête de chaque notebook : badges Binder et Colab, liens précédent / suivant,
et la cellule d'installation pour Colab ; et sa dernière cellule : fermer le notebook avant
d'ouvrir le suivant (sur Binder, 2 Gio pour tous les noyaux), et les mêmes liens.

L'adresse du dépôt public est définie ici, et seulement ici : changez `REPOSITORY`, puis
lancez `make headers` ; tous les notebooks sont mis à jour.

    python scripts/headers.py           # réécrit les en-têtes
    python scripts/headers.py --check   # échoue si un en-tête n'est pas à jour
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

REPOSITORY = "autoencodeurs-mnist/autoencodeurs-dnn-mnist"  # « propriétaire/nom » sur GitHub
BRANCH = "main"

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
README_BADGES = re.compile(r"(<!-- badges: [^\n]*-->\n).*?(\n<!-- /badges -->)", re.S)
README_STUDENT_BADGES = re.compile(
    r"(<!-- badges-eleves: [^\n]*-->\n).*?(\n<!-- /badges-eleves -->)", re.S
)
STUDENT_LINE = "Édition élève, sans les solutions (pour une classe)\u00a0: "
TITLE = re.compile(r"^# (\d\d) — (.+)$")


def binder_url(name: str, folder: str = "notebooks") -> str:
    """`folder` : notebooks (édition enseignant) ou eleves (édition élève, scripts/eleves.py)."""
    return f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}?urlpath=lab/tree/{folder}/{name}"


def colab_url(name: str, folder: str = "notebooks") -> str:
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/{folder}/{name}"


def title_of(nb) -> str:
    first = nb.cells[0].source.splitlines()[0]
    if not TITLE.match(first):
        raise ValueError(f"La première ligne devrait être « # NN — Titre », reçu : {first!r}.")
    return first[2:]


def badges(name: str, folder: str = "notebooks") -> str:
    return (
        f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url(name, folder)})\n"
        f"[![Ouvrir dans Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({colab_url(name, folder)})"
    )


def header(
    name: str,
    title: str,
    previous: tuple | None,
    following: tuple | None,
    folder: str = "notebooks",
) -> str:
    links = ["[Sommaire](../README.md)"]
    if previous:
        links.insert(0, f"← [{previous[1]}]({previous[0]})")
    if following:
        links.append(f"[{following[1]}]({following[0]}) →")
    return "\n".join(
        [
            f"# {title}",
            "",
            badges(name, folder),
            "",
            " · ".join(links),
        ]
    )


FOOTER_TAG = "fin"  # la dernière cellule de chaque notebook, écrite par footer()


def footer(previous: tuple | None, following: tuple | None) -> str:
    """La dernière cellule : fermer ce notebook avant d'ouvrir le suivant, et où aller."""
    nbsp = "\u00a0"
    links = ["[Sommaire](../README.md)"]
    if previous:
        links.insert(0, f"← [{previous[1]}]({previous[0]})")
    if following:
        links.append(f"[{following[1]}]({following[0]}) →")
    then = "d'ouvrir le notebook suivant" if following else "d'ouvrir un autre notebook"
    return "\n".join(
        [
            "---",
            "",
            f"**Avant {then}**{nbsp}: fermez celui-ci (menu «{nbsp}Fichier{nbsp}» › «{nbsp}Fermer "
            f"et arrêter le notebook…{nbsp}», ou simplement son onglet). Son noyau s'arrête et "
            "rend sa mémoire (souvent plus d'un gigaoctet après un entraînement). Sur Binder, qui "
            "en donne deux pour tous les notebooks ouverts, deux noyaux en vie peuvent suffire à "
            "tout arrêter.",
            "",
            " · ".join(links),
        ]
    )


COLAB_COPY = "/content/depot"  # où Colab clone le dépôt (son dossier de travail est /content)


def colab_cell(folder: str = "notebooks") -> str:
    """La cellule d'installation pour Colab ; tests/test_colab.py l'exécute comme Colab."""
    return "\n".join(
        [
            "# Sur Colab seulement : récupère le dépôt et installe ae_utils (ne fait rien "
            "ailleurs).",
            "import sys",
            "",
            f'DEPOT = "https://github.com/{REPOSITORY}"',
            f'COPIE = "{COLAB_COPY}"',
            'if "google.colab" in sys.modules:',
            "    import os",
            "",
            "    if not os.path.isdir(COPIE):  # une seule fois par session Colab",
            "        !git clone -q --depth 1 {DEPOT} {COPIE}",
            "    %pip install -q --no-deps -r {COPIE}/requirements-mnist.txt -e {COPIE}",
            f"    %cd {{COPIE}}/{folder}",
            "    sys.path.insert(0, COPIE)  # ae_utils importable sans redémarrer le noyau",
        ]
    )


def update(check: bool = False) -> list[str]:
    """Met à jour en-têtes et badges du README ; renvoie les fichiers qui ne l'étaient pas."""
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    notebooks = [nbformat.read(path, as_version=4) for path in paths]
    titles = [title_of(nb) for nb in notebooks]
    stale = []
    for i, (path, nb) in enumerate(zip(paths, notebooks, strict=True)):
        previous = (paths[i - 1].name, titles[i - 1]) if i > 0 else None
        following = (paths[i + 1].name, titles[i + 1]) if i + 1 < len(paths) else None
        wanted = header(path.name, titles[i], previous, following)
        colab = colab_cell()
        second = nb.cells[1] if len(nb.cells) > 1 else None
        has_colab = second is not None and "colab" in second.metadata.get("tags", [])
        end = footer(previous, following)
        last = nb.cells[-1]
        has_footer = FOOTER_TAG in last.metadata.get("tags", [])
        if (
            nb.cells[0].source == wanted
            and has_colab
            and second.source == colab
            and has_footer
            and last.source == end
        ):
            continue
        stale.append(path.name)
        if check:
            continue
        nb.cells[0].source = wanted
        if has_colab:
            second.source = colab
        else:
            cell = nbformat.v4.new_code_cell(colab, metadata={"tags": ["colab"]})
            nb.cells.insert(1, cell)
        if has_footer:
            last.source = end
        else:
            nb.cells.append(nbformat.v4.new_markdown_cell(end, metadata={"tags": [FOOTER_TAG]}))
        nbformat.write(nb, path)
    readme = README.read_text(encoding="utf-8")
    wanted = README_BADGES.sub(lambda m: m[1] + badges(paths[0].name) + m[2], readme)
    wanted = README_STUDENT_BADGES.sub(
        lambda m: m[1] + STUDENT_LINE + badges(paths[0].name, "eleves").replace("\n", " ") + m[2],
        wanted,
    )
    if wanted != readme:
        stale.append(README.name)
        if not check:
            README.write_text(wanted, encoding="utf-8")
    return stale


if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    stale = update(check=check)
    if check and stale:
        sys.exit("En-têtes à mettre à jour (lancez « make headers ») : " + ", ".join(stale))
    print("Fichiers mis à jour : " + (", ".join(stale) if stale else "aucun (tout était à jour)"))
