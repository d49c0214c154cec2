"""Les tableaux de résultats des README, écrits depuis leur seule source (`make results`).

Un résultat n'est écrit qu'une fois, là où il est mesuré ; les README le recopient par ce
script, jamais à la main :

- « Résultats clés » du README : depuis les sorties publiées des notebooks (`make run`) ;
- colonne « Durée » du tableau des notebooks du README, et tableau durée et mémoire de
  benchmarks/README.md : depuis benchmarks/results/notebooks.md (écrit par `make run`) ;
- tableaux de vitesse de benchmarks/README.md : depuis les fichiers de
  `benchmarks/train_speed.py` (benchmarks/results/train_speed_*.md).

Chaque tableau est entre deux balises de commentaire (`<!-- résultats : … -->` …
`<!-- /résultats -->`) ; le texte autour reste à la main. `make run` appelle `update()` ;
`make test` vérifie (`update(check=True)`, tests/test_notebooks.py) que les README sont à jour.

    python scripts/results.py          # réécrit les tableaux
    python scripts/results.py --check  # échoue si un tableau diffère de sa source
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BENCHMARKS_README = ROOT / "benchmarks" / "README.md"
NOTEBOOK_RESULTS = ROOT / "benchmarks" / "results" / "notebooks.md"
NBSP = "\u00a0"  # espace insécable : avant : ; ? ! % (CONTRIBUTING.md)
THIN_NBSP = "\u202f"  # espace fine insécable : entre les milliers

# Les résultats clés : (ligne, mesure, notebook, (motif, unité) de la valeur, comparaisons).
# Chaque motif est cherché dans le texte affiché par le notebook ; son 1er groupe est la
# valeur, recopiée telle qu'imprimée (à la française : ae_utils.text.fr).
NUMBER = r"([\d,]+)"
KEY_RESULTS = [
    (
        "05–06",
        "MSE de reconstruction, modèle du tutoriel",
        "06_visualisation.ipynb",
        (rf"autoencodeur du tutoriel\s+{NUMBER}", ""),
        [("image moyenne", rf"image moyenne\s+{NUMBER}", "")],
    ),
    (
        "07",
        "PSNR moyen après débruitage (bruit gaussien, facteur 0,5), débruiteur élargi, "
        "bruit neuf à chaque époque",
        "07_debruitage.ipynb",
        (rf"débruiteur élargi, bruit neuf\s+{NUMBER}\n", "dB"),
        [
            ("entrée bruitée", rf"entrée bruitée \(facteur 0,5\)\s+{NUMBER}\n", "dB"),
            (
                "débruiteur à l'architecture du tutoriel",
                rf"débruiteur, architecture du tutoriel\s+{NUMBER}\n",
                "dB",
            ),
            (
                "meilleur débruiteur classique (filtre médian, noir corrigé, "
                "réglé sur la validation)",
                rf"meilleure méthode classique : {NUMBER} dB",
                "dB",
            ),
        ],
    ),
    (
        "08",
        "AUROC moyenne de test, un modèle par chiffre (les 9 autres chiffres sont les "
        "anomalies), méthode et score choisis sur une validation",
        "08_detection_anomalies.ipynb",
        (rf"AUROC moyenne de test : {NUMBER}", "%"),
        [
            ("Deep SVDD (publié)", rf"Deep SVDD \(publié\)(?:\s+[\d,]+){{10}}\s+{NUMBER}", "%"),
            ("ACP", rf"ACP, 16 composantes, relatif(?:\s+[\d,]+){{10}}\s+{NUMBER}", "%"),
        ],
    ),
    (
        "08",
        "Hors distribution\u00a0: AUROC d'images vides contre de vrais chiffres, score = MSE de "
        "reconstruction de l'autoencodeur du 05 (sous 0,5\u00a0: mieux reconstruites que les "
        "chiffres)",
        "08_detection_anomalies.ipynb",
        (rf"images vides\s+\d+\s+[\d,]+\s+[\d,]+\s+{NUMBER}", ""),
        [
            ("lettres", rf"lettres \(DejaVu\)\s+\d+\s+[\d,]+\s+[\d,]+\s+{NUMBER}", ""),
            ("chiffres inversés", rf"chiffres inversés\s+\d+\s+[\d,]+\s+[\d,]+\s+{NUMBER}", ""),
        ],
    ),
    (
        "09",
        "Erreur de reconstruction (somme sur les 784 pixels), autoencodeur profond "
        "784-1000-500-250-30",
        "09_compression_acp.ipynb",
        (rf"autoencodeur profond \(poids livrés\)\s+[\d,]+\s+{NUMBER}", ""),
        [
            (
                "Hinton et Salakhutdinov (2006)",
                rf"autoencodeur profond \(poids livrés\)\s+{NUMBER}",
                "",
            ),
            ("ACP à 30 composantes", rf"ACP à 30 composantes\s+[\d,]+\s+{NUMBER}", ""),
        ],
    ),
    (
        "09",
        "Compression\u00a0: octets par image du code du 05 quantifié sur 8 bits "
        "(composantes mortes non stockées, décodeur à part)",
        "09_compression_acp.ipynb",
        (rf"code sur 8 bits : {NUMBER} octets", "octets"),
        [
            ("son PSNR", rf"octets pour {NUMBER} dB ; JPEG", "dB"),
            ("JPEG au même PSNR (interpolé)", rf"même PSNR : environ {NUMBER} octets", "octets"),
            ("PNG, sans perte", rf"PNG\s+{NUMBER}", "octets"),
        ],
    ),
    (
        "11",
        "Log-vraisemblance négative de test (nats, MNIST binarisé, k = 1\u202f000 tirages), "
        "VAE dense 784-500-500-50, 120 époques (poids livrés, les 10\u202f000 images de test)",
        "11_autoencodeur_variationnel.ipynb",
        (rf"notre VAE \(ce notebook\).*?\s{NUMBER}\n", ""),
        [
            (
                "VAE de Burda et al. (2016), 784-200-200-50, 3\u202f280 passes",
                rf"VAE, Burda et al\. \(2016\).*?\s{NUMBER}\n",
                "",
            ),
            ("IWAE k = 50", rf"IWAE k = 50, Burda et al\. \(2016\).*?\s{NUMBER}\n", ""),
        ],
    ),
    (
        "12",
        "Images générées reconnues comme le chiffre demandé par un classifieur dense, VAE "
        "conditionnel (code de 8, β = 2), 1\u202f000 images par chiffre tirées de la loi normale",
        "12_vae_conditionnel.ipynb",
        (rf"reconnues comme le chiffre demandé : {NUMBER}", "%"),
        [("le même classifieur sur les vraies images de test", rf"moyenne\s+{NUMBER}", "%")],
    ),
    (
        "13",
        "Exactitude de test avec 100 étiquettes (10 par chiffre, moyenne de 5 tirages) : "
        "propagation des étiquettes dans le code d'un autoencodeur 784-512-256-32 appris sans "
        "étiquettes sur les 60\u202f000 images",
        "13_peu_d_etiquettes.ipynb",
        (rf"code élargi \+ propagation, 100 étiquettes : {NUMBER}", "%"),
        [
            (
                "la même propagation sur l'ACP à 32 composantes",
                rf"ACP 32, propagation\s+{NUMBER} ± [\d,]+\n",
                "%",
            ),
            (
                "régression logistique sur les pixels",
                rf"pixels, logistique\s+{NUMBER} ± [\d,]+\n",
                "%",
            ),
            (
                "M1+TSVM, Kingma et al. (2014), chiffre publié non vérifié, autre protocole",
                rf"M1\+TSVM \(Kingma et al\., 2014\)\s+{NUMBER}",
                "%",
            ),
        ],
    ),
    (
        "14",
        "MSE de test à budget égal (20 époques, code de 32, une graine), petit autoencodeur "
        "convolutif de 241\u202f441 paramètres",
        "14_variantes.ipynb",
        (rf"(?m)^convolutif +[\d\u202f]+ +{NUMBER} ", ""),
        [
            ("autoencodeur dense du tutoriel", rf"(?m)^tutoriel +[\d\u202f]+ +{NUMBER} ", ""),
            (
                "poids liés (moitié moins de paramètres)",
                rf"(?m)^poids liés +[\d\u202f]+ +{NUMBER} ",
                "",
            ),
        ],
    ),
]


class SourceError(ValueError):
    """Une source ne contient pas ce qu'un tableau recopie."""


def french(number: str, unit: str = "") -> str:
    """Un nombre recopié, et son unité : « 97,84 » et « % » → « 97,84 % » (espace insécable).

    Les notebooks impriment déjà à la française ; les fichiers des bancs d'essai
    (benchmarks/results/*.md) écrivent le point décimal de Python, remplacé ici.
    """
    return number.replace(".", ",") + (NBSP + unit if unit else "")


def printed(notebook: str) -> str:
    """Tout le texte affiché par les cellules de code d'un notebook publié."""
    nb = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))
    return "".join(
        "".join(output.get("text", ""))
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for output in cell["outputs"]
    )


def find(notebook: str, text: str, pattern: str) -> str:
    found = re.search(pattern, text)
    if not found:
        raise SourceError(
            f"{notebook} : « {pattern} » introuvable dans les sorties publiées ; "
            "relancez make run ou corrigez le motif dans scripts/results.py"
        )
    return found[1]


def key_results_table() -> str:
    lines = ["| Notebook | Mesure | Ici | Pour comparer |", "|---|---|---|---|"]
    for row, measure, notebook, (pattern, unit), comparisons in KEY_RESULTS:
        text = printed(notebook)
        value = french(find(notebook, text, pattern), unit)
        others = f"{NBSP}; ".join(
            f"{label}{NBSP}: {french(find(notebook, text, p), u)}" for label, p, u in comparisons
        )
        lines.append(f"| {row} | {measure} | {value} | {others} |")
    return "\n".join(lines)


def measured_notebooks() -> dict[str, tuple[str, int]]:
    """{« 05 » : (durée, mémoire en Mio)} depuis benchmarks/results/notebooks.md."""
    measured = {}
    for line in NOTEBOOK_RESULTS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) == 4 and cells[0].endswith(".ipynb"):
            measured[cells[0][:2]] = (cells[1], int(cells[2]))
    expected = sorted(p.name[:2] for p in (ROOT / "notebooks").glob("*.ipynb"))
    if sorted(measured) != expected:
        raise SourceError(
            f"{NOTEBOOK_RESULTS.name} : notebooks mesurés {sorted(measured)}, "
            f"attendus {expected} ; lancez make run"
        )
    return measured


def memory_table(measured: dict[str, tuple[str, int]]) -> str:
    lines = ["| Notebook | Durée | Mémoire max. (Mio) |", "|---|---|---|"]
    for number, (duration, peak) in sorted(measured.items()):
        lines.append(f"| {number} | {duration} | {peak:,} |".replace(",", THIN_NBSP))
    return "\n".join(lines)


def with_durations(table: str, measured: dict[str, tuple[str, int]]) -> str:
    """Le tableau des notebooks du README, sa dernière colonne (« Durée ») réécrite."""
    out = []
    for line in table.split("\n"):
        number = re.match(r"\| (\d\d) \|", line)
        if number:
            if number[1] not in measured:
                raise SourceError(f"README : le notebook {number[1]} n'a pas de durée mesurée")
            line = line[: line.rstrip(" |").rfind("|") + 1] + f" {measured[number[1]][0]} |"
        out.append(line)
    return "\n".join(out)


# Les tableaux de vitesse de benchmarks/README.md, depuis les fichiers de
# benchmarks/train_speed.py : (fichier, ligne du banc, libellé dans le README).
SPEED_MAIN = (
    "train_speed_main.md",
    [
        ("tutoriel", "`tutoriel` : le code du tutoriel, `fit(x_train, x_train)` sur NumPy"),
        (
            "notebooks",
            "`notebooks` : `fit(images, images)`, un seul tenseur, `steps_per_execution=50`",
        ),
        ("numpy+spe50", "`numpy+spe50` : `fit(x_train, x_train)` et `steps_per_execution=50`"),
        ("notebooks+bf16", "`notebooks+bf16` : le même, en précision mixte bfloat16"),
        (
            "tf.data-index+spe235",
            "`tf.data-index+spe235` : pipeline `tf.data`, une époque par appel",
        ),
        ("pytorch", "`pytorch` : boucle PyTorch (torch 2.13.0, CPU)"),
        ("plancher", "`plancher` : les seuls produits matriciels"),
    ],
)
SPEED_SPE47 = (
    ("train_speed_spe47.md", "train_speed_spe47_bis.md"),
    [
        ("tutoriel", "`tutoriel`"),
        ("notebooks", "`notebooks` (un seul tenseur, 47)"),
        ("numpy+spe50", "`numpy+spe50` (l'ancienne valeur)"),
        ("numpy+spe47", "`numpy+spe47` (la nouvelle)"),
    ],
)


def speed_rows(name: str) -> dict[str, list[str]]:
    """{ligne : cellules} d'un fichier de benchmarks/train_speed.py."""
    path = ROOT / "benchmarks" / "results" / name
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) == 9 and cells[0] != "ligne" and not cells[0].startswith("-"):
            rows[cells[0]] = cells
    if not rows:
        raise SourceError(f"{name} : aucune ligne de mesure")
    return rows


def speed_main_table() -> str:
    name, labels = SPEED_MAIN
    rows = speed_rows(name)
    lines = [
        "| Ligne | s / époque | images / s | vitesse / tutoriel | MSE de test / tutoriel "
        "| mémoire max. (Mio) |",
        "|---|---|---|---|---|---|",
    ]
    for row, label in labels:
        if row not in rows:
            raise SourceError(f"{name} : ligne « {row} » absente")
        _, _, epoch, images, _, peak, speed, mse, _ = rows[row]
        images = images.replace(" ", THIN_NBSP)
        peak = f"{int(peak):,}".replace(",", THIN_NBSP)
        label = label.replace("` : ", f"`{NBSP}: ")  # espace insécable avant le deux-points
        lines.append(
            f"| {label} | {french(epoch)} | {images} | {french(speed)} | {french(mse)} | {peak} |"
        )
    return "\n".join(lines)


def speed_spe47_table() -> str:
    names, labels = SPEED_SPE47
    runs = [speed_rows(name) for name in names]
    lines = [
        "| Ligne | 1er lancement (médiane de 3) | 2e lancement (médiane de 5) |",
        "|---|---|---|",
    ]
    for row, label in labels:
        cells = []
        for run in runs:
            if row not in run:
                cells.append("—")
                continue
            speed = french(run[row][6])
            if row == "tutoriel":
                speed += f" ({french(run[row][2])} s / époque)"
            cells.append(speed)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def block(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- {name} : [^\n]*-->\n)(.*?)(\n<!-- /{name} -->)", re.S)


def replace_block(text: str, name: str, make, path: Path) -> str:
    pattern = block(name)
    if len(pattern.findall(text)) != 1:
        raise SourceError(
            f"{path.name} : il faut une et une seule paire de balises "
            f"« <!-- {name} : … --> » et « <!-- /{name} --> »"
        )
    return pattern.sub(lambda m: m[1] + make(m[2]) + m[3], text)


def update(check: bool = False) -> list[str]:
    """Réécrit les tableaux (ou, avec check, les compare) ; renvoie les fichiers à mettre à jour."""
    measured = measured_notebooks()
    changes = {
        README: [
            ("résultats", lambda _: key_results_table()),
            ("notebooks", lambda table: with_durations(table, measured)),
        ],
        BENCHMARKS_README: [
            ("mesures", lambda _: memory_table(measured)),
            ("vitesse", lambda _: speed_main_table()),
            ("vitesse-spe47", lambda _: speed_spe47_table()),
        ],
    }
    stale = []
    for path, blocks in changes.items():
        text = path.read_text(encoding="utf-8")
        new = text
        for name, make in blocks:
            new = replace_block(new, name, make, path)
        if new != text:
            stale.append(str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path))
            if not check:
                path.write_text(new, encoding="utf-8")
    return stale


def main(args: list[str]) -> int:
    check = args == ["--check"]
    if args and not check:
        raise SystemExit(f"Usage : python scripts/results.py [--check] ; reçu : {args}")
    try:
        stale = update(check=check)
    except SourceError as error:
        raise SystemExit(f"Erreur : {error}") from None
    if check and stale:
        print("Tableaux à régénérer (make results) : " + ", ".join(stale))
        return 1
    print(
        ("À jour : " if check or not stale else "Réécrits : ")
        + (", ".join(stale) or "README.md, benchmarks/README.md")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
