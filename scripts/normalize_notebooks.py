"""Retire des notebooks publiés ce qui dépend de l'exécution et non du contenu.

`jupyter nbconvert --execute` écrit dans chaque cellule de code l'heure de son exécution
(`metadata.execution`, quatre horodatages) et, dans le notebook, la version exacte de Python
de la machine (`metadata.language_info.version`). Ces champs changent à chaque `make run`
sans que rien de ce que lit un apprenant ne change, et noient les vraies différences dans
l'historique.

Il rend aussi les sorties texte telles qu'un apprenant les voit à la fin dans JupyterLab : une
barre de progression de Keras arrive en plusieurs morceaux (retours chariot `\r` et retours
arrière `\b` pour réécrire la même ligne) ; JupyterLab n'en affiche que l'état final, mais
GitHub montrerait chaque étape sur sa propre ligne. Les morceaux consécutifs d'un même flux
sont fusionnés et réécrits comme JupyterLab les affiche.

`make run` appelle `normalize` sur chaque notebook exécuté ; `make test`
vérifie (tests/test_notebooks.py) que les notebooks publiés sont déjà normalisés.

    python scripts/normalize_notebooks.py notebooks/*.ipynb          # normalise en place
    python scripts/normalize_notebooks.py --check notebooks/*.ipynb  # échoue s'il y a à faire
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

# Champs de métadonnées écrits par l'exécution (nbclient), jamais par un auteur.
CELL_KEYS = ("execution",)
LANGUAGE_INFO_KEYS = ("version",)


def render(text: str) -> str:
    """Un flux comme JupyterLab l'affiche : chaque `\r` efface sa ligne, `\b` un caractère."""
    lines = []
    for line in text.split("\n"):
        line = line.rsplit("\r", 1)[-1]
        kept: list[str] = []
        for char in line:
            if char == "\b":
                if kept:
                    kept.pop()
            else:
                kept.append(char)
        lines.append("".join(kept))
    return "\n".join(lines)


def merge_streams(outputs: list) -> list:
    """Fusionne les sorties `stream` consécutives d'un même flux, rendues par `render`."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    for output in merged:
        if output.get("output_type") == "stream":
            output["text"] = render(output["text"])
    return merged


def normalize(nb) -> bool:
    """Retire les champs d'exécution, rend les flux (en place) ; True si le notebook a changé."""
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code":
            outputs = merge_streams([dict(o) for o in cell.get("outputs", [])])
            if outputs != [dict(o) for o in cell.get("outputs", [])]:
                cell.outputs = [nbformat.from_dict(o) for o in outputs]
                changed = True
        for key in CELL_KEYS:
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
    language_info = nb.metadata.get("language_info", {})
    for key in LANGUAGE_INFO_KEYS:
        if key in language_info:
            del language_info[key]
            changed = True
    return changed


def main(args: list[str]) -> int:
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    if not paths:
        raise SystemExit("Indiquez les notebooks, par exemple : notebooks/*.ipynb")
    to_do = []
    for name in paths:
        path = Path(name)
        if path.suffix != ".ipynb" or not path.is_file():
            raise SystemExit(f"Notebook attendu (fichier .ipynb existant), reçu : {name!r}.")
        nb = nbformat.read(path, as_version=4)
        if normalize(nb):
            to_do.append(path.name)
            if not check:
                nbformat.write(nb, path)
    if check and to_do:
        print("À normaliser (python scripts/normalize_notebooks.py …) : " + ", ".join(to_do))
        return 1
    print(f"{len(paths)} notebook(s) normalisé(s)" + (" : rien à faire" if not to_do else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
