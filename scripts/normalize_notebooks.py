"""Retire des notebooks publiés ce qui dépend de l'exécution et non du contenu.

`jupyter nbconvert --execute` écrit dans chaque cellule de code l'heure de son exécution
(`metadata.execution`, quatre horodatages) et, dans le notebook, la version exacte de Python
de la machine (`metadata.language_info.version`). Ces champs changent à chaque `make run`
sans que rien de ce que lit un apprenant ne change, et noient les vraies différences dans
l'historique. `make run` appelle `normalize` sur chaque notebook exécuté ; `make test`
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


def normalize(nb) -> bool:
    """Retire en place les champs d'exécution ; renvoie True si le notebook a changé."""
    changed = False
    for cell in nb.cells:
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
