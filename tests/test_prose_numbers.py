"""Chaque nombre de la prose d'un notebook vient d'une sortie (la promesse de la série).

Un nombre décimal (0,0076 ; 2,50) ou un pourcentage (39 %) écrit dans une cellule de texte
doit se retrouver, dans cet ordre de préférence :

1. dans une sortie du notebook lui-même (ce qu'une cellule a imprimé) ;
2. dans une sortie d'un autre notebook que la même cellule nomme (« au notebook 09 ») ;
3. dans un fichier de résultats de `benchmarks/results/` dont le notebook donne le lien, arrondi
   au même nombre de décimales ;
4. dans le code du notebook (un réglage : `NOISE_FACTOR = 0.5`, `FALSE_ALARM_RATE = 0.05`) ;
5. sinon dans la courte liste `QUOTED` ci-dessous : les nombres recopiés d'un article, du
   tutoriel source ou d'une définition, chacun avec sa source.

Le texte entre accents graves (du code) n'est pas lu, ni la ligne « Durée estimée » de l'en-tête,
que `make run` écrit lui-même depuis ses mesures.
"""

from __future__ import annotations

import re

import pytest
from helpers import NOTEBOOKS, ROOT, code_cells, load

# Nombres cités, pas mesurés : notebook → {nombre tel qu'écrit : d'où il vient}.
QUOTED: dict[str, dict[str, str]] = {
    "03_architecture.ipynb": {"0,5": "valeur de la sigmoïde en 0 (définition)"},
    "04_compilation.ipynb": {
        "0,001": "taux d'apprentissage par défaut d'Adam (documentation de Keras)",
        "0,03": "exemple de lecture d'une MAE (définition)",
    },
    "08_detection_anomalies.ipynb": {
        "0,5": "AUROC du hasard (définition de l'AUROC)",
    },
    "10_espace_latent.ipynb": {
        "98 %": "part des codes entre le 1er et le 99e centile d'un axe (définition des centiles)",
    },
    "09_compression_acp.ipynb": {
        "0,0038": "3,00 / 784 : l'erreur de l'article en MSE (calcul dans la phrase)",
        "0,99": "exemple de gradient (calcul dans la phrase : x̂ − x avec x̂ = 0,01)",
    },
    "13_peu_d_etiquettes.ipynb": {
        "11,82 %": "M1+TSVM, 100 étiquettes (Kingma et al. 2014, tableau 1 ; non vérifié)",
        "11,97 %": "M2, 100 étiquettes (Kingma et al. 2014, tableau 1 ; non vérifié)",
        "3,33 %": "M1+M2, 100 étiquettes (Kingma et al. 2014, tableau 1 ; non vérifié)",
    },
}

NUMBER = re.compile(r"(?<![\w,.\u202f])(\d{1,3}(?:\u202f\d{3})*(?:,\d+)?)(\u00a0%)?(?![\w])")
CODE_SPAN = re.compile(r"```.*?```|`[^`]*`", re.S)
REFERENCE = re.compile(r"notebooks?\s+\d\d(?:(?:,\s*|\s+et\s+|\s+ou\s+)\d\d)*")
LINK = re.compile(r"benchmarks/results/[\w.-]+\.md")


def prose_numbers(nb: dict) -> dict[str, set[str]]:
    """Les nombres décimaux et les pourcentages de la prose, écrits comme dans le texte, avec
    les notebooks que nomment les cellules où ils apparaissent (« notebook 09 » → "09")."""
    found: dict[str, set[str]] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        text = "\n".join(line for line in text.split("\n") if "**Durée estimée**" not in line)
        text = CODE_SPAN.sub(" ", text)
        named = set(re.findall(r"\b\d\d\b", " ".join(REFERENCE.findall(text))))
        for match in NUMBER.finditer(text):
            number, percent = match.groups()
            if "," in number or percent:
                found.setdefault(number + (" %" if percent else ""), set()).update(named)
    return found


def output_text(nb: dict) -> str:
    parts = []
    for cell in code_cells(nb):
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def in_text(number: str, text: str) -> bool:
    """Le nombre, tel quel, comme mot entier d'une sortie (sans son signe %)."""
    bare = number.removesuffix(" %")
    return re.search(rf"(?<![\d,]){re.escape(bare)}(?!,?\d)", text) is not None


def value(number: str) -> float:
    return float(number.removesuffix(" %").replace("\u202f", "").replace(",", "."))


def in_results(number: str, nb: dict) -> bool:
    decimals = len(number.removesuffix(" %").partition(",")[2])
    for link in set(LINK.findall(markdown_text(nb))):
        path = ROOT / link
        if path.exists():
            for found in re.findall(r"-?\d+\.\d+", path.read_text(encoding="utf-8")):
                if round(float(found), decimals) == value(number):
                    return True
    return False


def in_code(number: str, nb: dict) -> bool:
    literals = set()
    for cell in code_cells(nb):
        source = "".join(cell["source"])
        literals |= {float(x) for x in re.findall(r"(?<![\w.])\d+\.\d+(?:e-?\d+)?", source)}
        literals |= {float(x) for x in re.findall(r"(?<![\w.])\d+(?![\w.])", source)}
    wanted = value(number) / 100 if number.endswith("%") else value(number)
    return any(abs(wanted - x) < 1e-12 for x in literals)


def markdown_text(nb: dict) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


ALL_OUTPUTS = {path.name: output_text(load(path)) for path in NOTEBOOKS}


def sourced(number: str, named: set[str], path, nb: dict) -> bool:
    """Le nombre vient-il d'une sortie, d'un fichier de résultats ou du code ? (QUOTED à part)"""
    others = [name for name in ALL_OUTPUTS if name[:2] in named and name != path.name]
    return (
        in_text(number, ALL_OUTPUTS[path.name])
        or any(in_text(number, ALL_OUTPUTS[name]) for name in others)
        or in_results(number, nb)
        or in_code(number, nb)
    )


def unsourced(path) -> list[str]:
    nb = load(path)
    quoted = QUOTED.get(path.name, {})
    return sorted(
        number
        for number, named in prose_numbers(nb).items()
        if number not in quoted and not sourced(number, named, path, nb)
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_number_in_the_prose_comes_from_an_output(path):
    missing = unsourced(path)
    assert not missing, (
        f"{path.name} : ces nombres de la prose ne sont imprimés par aucune sortie (ni cités dans "
        f"QUOTED) : {missing}. Faites-les imprimer par la cellule au-dessus, ou corrigez le texte."
    )


def test_quoted_numbers_are_used_and_needed():
    """Une entrée de QUOTED sert : le texte l'utilise, et aucune sortie ne l'imprime déjà."""
    for name, numbers in QUOTED.items():
        path = ROOT / "notebooks" / name
        nb = load(path)
        prose = prose_numbers(nb)
        assert set(numbers) <= set(prose), (name, sorted(set(numbers) - set(prose)))
        needless = [n for n in numbers if sourced(n, prose[n], path, nb)]
        assert not needless, (name, "déjà imprimés, à retirer de QUOTED :", needless)


def test_the_check_catches_a_number_edited_by_hand():
    """Un nombre mesuré, recopié de travers dans la prose, est signalé."""
    path = ROOT / "notebooks" / "05_entrainement.ipynb"
    nb = load(path)
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": ["MSE de 0,0071."]})
    assert "0,0071" in prose_numbers(nb)
    assert not in_text("0,0071", ALL_OUTPUTS[path.name]) and not in_code("0,0071", nb)
    printed = re.search(r"MSE de test\s+:\s+(\d+,\d+)", ALL_OUTPUTS[path.name])[1]
    assert in_text(printed, ALL_OUTPUTS[path.name])  # le vrai, lui, est imprimé
