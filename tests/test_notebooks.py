"""Hygiène des notebooks, sans rien exécuter (l'exécution est le travail de nbval)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import NOTEBOOKS, ROOT, code_cells, load, markdown, printed, script

SECTIONS = ("**Objectifs**", "**Prérequis**", "**Durée estimée**", "## À retenir", "## Exercices")


def test_there_are_notebooks():
    assert NOTEBOOKS, "aucun notebook dans notebooks/"


def test_notebooks_are_numbered_in_sequence():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", p.name) for p in NOTEBOOKS)
    assert numbers == list(range(1, len(NOTEBOOKS) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_skeleton(path):
    nb = load(path)
    text = markdown(nb)
    assert "".join(nb["cells"][0]["source"]).startswith(f"# {path.name[:2]} — ")
    for section in SECTIONS:
        assert section in text, f"{path.name} : section {section} absente"
    assert "### Exercice 1" in text, f"{path.name} : exercices (tests/test_eleves.py) ?"
    assert re.search(r"\*\*Durée estimée\*\*\u00a0: environ \d+ min d'étude", text), "étude ?"
    assert re.search(r"\d+ (s|min \d+ s) d'exécution complète \(mesurée", text), "non mesurée"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_study_time_follows_the_text(path):
    """Le temps d'étude de l'en-tête est celui que donne la règle pour le texte d'aujourd'hui."""
    nbformat = pytest.importorskip("nbformat")
    run_notebooks = script("run_notebooks")
    nb = nbformat.read(path, as_version=4)
    expected = run_notebooks.duration_line(nb, "")
    assert expected.split(", et ")[0] in markdown(load(path)), (
        f"{path.name} : lancez « python scripts/run_notebooks.py --etude {path.name} »"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom_without_errors(path):
    nb = load(path)
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name} : lancez « make run »"
    errors = [o for c in code_cells(nb) for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


# Une trace du mode complet dans les sorties publiées de chaque notebook qui en dépend (02 et
# 03 n'ont rien qui dépende du mode rapide : leurs sorties sont les mêmes dans les deux modes).
FULL_RUN = {
    "01": lambda out: "Mode rapide : False" in out,
    "04": lambda out: "après 3 époques (test)" in out,
    "05": lambda out: "époque 50/50" in out,
    "06": lambda out: value(r"autoencodeur du tutoriel\s+([\d,]+)", out) <= 0.009,
    "07": lambda out: (
        value(r"débruiteur élargi, bruit neuf\s+([\d,]+)", out) >= 19
        # section 6 : le débruiteur du tutoriel bat la meilleure méthode classique
        and value(r"meilleure méthode classique : ([\d,]+) dB", out)
        < value(r"; débruiteur du tutoriel : ([\d,]+) dB", out)
    ),
    "08": lambda out: (
        value(r"AUROC moyenne de test : ([\d,]+)", out) >= 97
        # section 8 : les images vides sont mieux reconstruites que les chiffres
        and value(r"images vides\s+\d+\s+[\d,]+\s+[\d,]+\s+([\d,]+)", out) < 0.5
    ),
    "09": lambda out: (
        "ACP à 30 composantes : 13,87" in out
        and value(r"autoencodeur profond \(poids livrés\)\s+3,00\s+([\d,]+)", out) < 3.00
        # section 4 : au PSNR du code sur 8 bits, JPEG demande plus d'octets
        and value(r"\(([\d,]+) fois plus\)", out) > 1
    ),
    "10": lambda out: "t-SNE sur 5000 points" in out,
    "11": lambda out: value(r"notre VAE \(ce notebook\).*?([\d,]+)\n", out) <= 90,
    "12": lambda out: value(r"reconnues comme le chiffre demandé : ([\d,]+)", out) >= 97,
    "13": lambda out: value(r"code élargi \+ propagation, 100 étiquettes : ([\d,]+)", out) >= 88.2,
    "14": lambda out: value(r"tutoriel : MSE (\d+,\d+)", out) <= 0.02,  # 0,07 en mode rapide
}


def value(pattern: str, text: str) -> float:
    """Le nombre du 1er groupe du motif, imprimé à la française ; nan (toute comparaison
    échoue) s'il manque."""
    found = re.search(pattern, text)
    return float(found[1].replace(",", ".")) if found else float("nan")


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p.name[:2] in FULL_RUN], ids=lambda p: p.name
)
def test_committed_outputs_come_from_a_full_run(path):
    """MSE, PSNR, AUROC, erreur : les valeurs du mode complet, pas celles du mode rapide."""
    assert FULL_RUN[path.name[:2]](printed(path)), f"{path.name} : lancez « make run »"


def test_every_mode_dependent_notebook_has_a_full_run_check():
    assert sorted(FULL_RUN) == [p.name[:2] for p in NOTEBOOKS if p.name[:2] not in ("02", "03")]


# Ce qui change d'une exécution à l'autre : durées de Keras, adresses, tailles de figures.
UNSTABLE = re.compile(
    r"\d+(\.\d+)?\s*(s|ms|us|µs)/(step|sample)|\b\d+(\.\d+)?(s|ms)\b"
    r"|0x[0-9a-fA-F]+|<Figure size"
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_compared_by_nbval_are_stable(path):
    """nbval compare les sorties des cellules étiquetées `nbval-check-output` telles quelles (pas
    de fichier de remplacements) : elles ne doivent rien contenir qui change d'une exécution à
    l'autre."""
    checked = [
        c for c in code_cells(load(path)) if "nbval-check-output" in c["metadata"].get("tags", [])
    ]
    for cell in checked:
        for output in cell["outputs"]:
            text = "".join(output.get("text", "")) + "".join(
                output.get("data", {}).get("text/plain", "")
            )
            assert not UNSTABLE.search(text), (path.name, UNSTABLE.search(text)[0])


def test_some_outputs_are_compared_by_nbval():
    """Sans cellule étiquetée, --nbval-lax n'assurerait que l'absence d'erreur."""
    tagged = sum(
        "nbval-check-output" in c["metadata"].get("tags", [])
        for path in NOTEBOOKS
        for c in code_cells(load(path))
    )
    assert tagged >= 10, tagged


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_learner_cells_carry_no_test_markers(path):
    """Les consignes pour nbval vont dans les étiquettes de cellule, pas dans le code qu'on lit."""
    for cell in code_cells(load(path)):
        assert "NBVAL" not in "".join(cell["source"]), (path.name, "".join(cell["source"])[:80])


def test_latent_explorer_has_a_static_fallback():
    """Notebook 10 : la sortie de l'explorateur porte le widget ET une image fixe.

    JupyterLab affiche le widget ; GitHub et les vues statiques, qui ne savent pas l'afficher,
    montrent l'image (le test dans un vrai navigateur vérifie les curseurs).
    """
    nb = load(ROOT / "notebooks" / "10_espace_latent.ipynb")
    cell = next(c for c in code_cells(nb) if "widgets.interactive(" in "".join(c["source"]))
    bundles = [o["data"] for o in cell["outputs"] if o["output_type"] == "display_data"]
    assert len(bundles) == 1, "une seule sortie attendue : le widget et son image de repli"
    assert "application/vnd.jupyter.widget-view+json" in bundles[0]
    assert bundles[0]["image/png"].startswith("iVBOR")  # un PNG encodé en base64


NBSP = "\u00a0"


def prose(nb: dict) -> str:
    """Le texte des cellules markdown, sans le code, les liens ni les balises HTML."""
    text = markdown(nb)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<[^>]+>", "", text)


def readme_prose(path: Path) -> str:
    """Le texte d'un README, comme `prose` le tire d'un notebook."""
    return prose({"cells": [{"cell_type": "markdown", "source": path.read_text(encoding="utf-8")}]})


@pytest.mark.parametrize(
    "path",
    [
        *NOTEBOOKS,
        ROOT / "README.md",
        ROOT / "benchmarks" / "README.md",
        ROOT / "CONTRIBUTING.md",
        ROOT / "eleves" / "README.md",
    ],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_french_typography_in_markdown(path):
    text = prose(load(path)) if path.suffix == ".ipynb" else readme_prose(path)
    bad = re.findall(r".{0,30}(?: [:;?!]|[«] | [»]).{0,10}", text)
    assert not bad, f"espace ordinaire avant : ; ? ! ou dans « » (il faut U+00A0) : {bad[:5]}"
    thousands = re.findall(r".{0,20}\d[ \u00a0]\d{3}(?!\d).{0,5}", text)
    assert not thousands, f"milliers séparés par une espace fine insécable U+202F : {thousands[:5]}"
    missing = re.findall(r".{0,30}\w[;?!](?:\s|$)", text)
    assert not missing, f"ponctuation double sans espace insécable : {missing[:5]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_relative_links_point_to_existing_files(path):
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", markdown(load(path))):
        if "://" in target:
            continue
        assert (path.parent / target).exists(), f"{path.name} : lien cassé vers {target}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_badges_point_to_this_notebook_in_this_repository(path):
    headers = script("headers")
    header = "".join(load(path)["cells"][0]["source"])
    assert f"({headers.binder_url(path.name)})" in header
    assert f"({headers.colab_url(path.name)})" in header
    assert f"/{headers.REPOSITORY}/" in headers.binder_url(path.name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_hold_no_absolute_path_or_user_name(path):
    outputs = json.dumps([c["outputs"] for c in code_cells(load(path))], ensure_ascii=False)
    for private in (str(ROOT), "/root/", "/home/", "/tmp/", "/Users/", "C:\\\\"):
        assert private not in outputs, f"{path.name} : « {private} » apparaît dans une sortie"


# Le journal C++ de TensorFlow (absl) : « I0000 00:00:1795659876.081171  14694 port.cc:153] … »,
# son en-tête, et tout ce qui parle de CUDA sur une machine sans carte graphique.
TENSORFLOW_LOG = re.compile(
    r"^[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.]+:\d+\]|absl::InitializeLog|cuInit|cuda drivers"
    r"|rebuild TensorFlow with the appropriate compiler flags",
    re.M | re.I,
)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_published_outputs_hold_no_tensorflow_log_line(path):
    """Aucune ligne du journal de TensorFlow dans les sorties publiées (en rouge sur GitHub).

    `make run` démarre le noyau avec TF_CPP_MIN_LOG_LEVEL=1 et retire les deux lignes
    d'information du démarrage qui échappent à ce réglage (scripts/run_notebooks.py). Un
    avertissement ou une erreur de TensorFlow fait échouer ce test : à une personne de décider.
    """
    found = [
        (i, line)
        for i, cell in enumerate(code_cells(load(path)))
        for output in cell["outputs"]
        if output["output_type"] == "stream"
        for line in "".join(output["text"]).splitlines()
        if TENSORFLOW_LOG.search(line)
    ]
    assert not found, f"{path.name} : journal de TensorFlow dans les sorties : {found[:3]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_published_outputs_hold_no_red_block(path):
    """Rien sur la sortie d'erreur (un bloc rouge sur GitHub et dans JupyterLab) : un
    avertissement de Python ou de Keras se corrige dans le code, il ne se publie pas."""
    found = [
        (i, "".join(output["text"])[:160])
        for i, cell in enumerate(code_cells(load(path)))
        for output in cell["outputs"]
        if output["output_type"] == "stream" and output["name"] == "stderr"
    ]
    assert not found, f"{path.name} : sortie d'erreur publiée (cellule de code n° i) : {found[:2]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_published_notebooks_are_normalized(path):
    """Ni horodatage d'exécution ni version de Python de la machine dans un notebook publié."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(path, as_version=4)
    assert not script("normalize_notebooks").normalize(nb), (
        f"{path.name} : lancez « python scripts/normalize_notebooks.py {path.name} » "
        "(make run le fait)"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_size_is_reasonable(path):
    assert path.stat().st_size <= 3 * 1024 * 1024, f"{path.name} dépasse 3 Mo"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_sets_the_seed_and_uses_fast_mode_in_its_parameter_cell(path):
    """01 fixe la graine dans sa section 4 (c'est son sujet) ; 02 ne tire rien au hasard."""
    sources = ["".join(c["source"]) for c in code_cells(load(path))]
    parameters = next((s for s in sources if "from ae_utils.config import" in s), None)
    assert parameters and "FAST" in parameters and "SEED" in parameters
    if path.name[:2] == "01":
        assert any("keras.utils.set_random_seed(SEED)" in s for s in sources)
    elif path.name[:2] != "02":
        assert "set_seed(SEED)" in parameters, f"{path.name} : set_seed(SEED) attendu"
    if path.name[:2] >= "04":  # ceux qui entraînent : une ligne pilotée par FAST
        assert re.search(r"^\w+ = .+ if FAST else .+$", parameters, re.M)
