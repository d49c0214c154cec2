"""Exécute les notebooks en mode complet, en place, et mesure chacun (appelé par `make run`).

Pour chaque notebook : durée d'exécution et mémoire résidente maximale (le noyau compris),
mesurées ici même ; la ligne « **Durée estimée** » du notebook est réécrite avec ces mesures
et la machine, et le tableau de toutes les mesures est écrit dans
benchmarks/results/notebooks.md.

Journal de TensorFlow : le noyau démarre avec `TF_CPP_MIN_LOG_LEVEL=1`, qui fait taire à la
source les messages d'information (niveau I) du C++ de TensorFlow. Deux lignes échappent à ce
réglage parce qu'elles sont écrites avant qu'il ne s'applique : l'en-tête d'absl (« WARNING: All
log messages before absl::InitializeLog()… ») et la notice oneDNN (« I0000 … port.cc:… oneDNN
custom operations are on… »). Ce ne sont que des informations ; elles sont retirées des sorties
publiées par `strip_startup_log`. Les avertissements (W) et les erreurs (E) de TensorFlow, et
tous les avertissements de Python, restent : tests/test_notebooks.py échoue s'il en trouve un
du journal C++, pour qu'une personne décide.

La même ligne donne le **temps d'étude** estimé (lecture et exercices), pour qu'un enseignant
prévoie sa séance : une règle simple, la même pour tous les notebooks (`study_minutes`). Après
une modification du texte seul, `--etude` la recalcule sans rien exécuter.

    python scripts/run_notebooks.py notebooks/*.ipynb
    python scripts/run_notebooks.py --etude notebooks/*.ipynb   # temps d'étude seulement
"""

from __future__ import annotations

import math
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))  # aussi quand un test charge ce fichier
import results  # noqa: E402 — les tableaux des README
from normalize_notebooks import normalize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "notebooks.md"
# Les modèles et figures d'un `make run` : un dossier vidé au début de chaque lancement, pour
# qu'aucune sortie publiée ne vienne d'un modèle gardé d'un lancement précédent. Dans un même
# lancement, 06, 07 et 10 reprennent le modèle que 05 vient d'entraîner ; un notebook lancé
# seul (make run NB=…) entraîne lui-même ce dont il a besoin.
RUN_ARTEFACTS = Path(os.environ.get("AE_RUN_ARTEFACTS") or ROOT / "artefacts" / "make-run")
CELLS = ROOT / "artefacts" / "cellules"  # durée et mémoire de chaque cellule, par notebook
DURATION_LINE = re.compile(r"^\*\*Durée estimée\*\*.*$", re.MULTILINE)
MEASURED = re.compile(
    r"(?P<time>\d+ s|\d+ min \d+ s) d'exécution complète \(mesurée par `make run` sur "
    r"(?P<where>.*?)\u00a0; mémoire maximale (?P<peak>\d+) Mio\)"
)
# Temps d'étude : lecture attentive d'un texte technique, code compris, et un temps fixe par
# exercice (le chercher, écrire et lancer le code, lire la solution). Arrondi aux 5 minutes.
WORDS_PER_MINUTE = 100
MINUTES_PER_EXERCISE = 10
EXERCISE = re.compile(r"^### Exercice \d+$", re.MULTILINE)

# Exécuté dans un processus à part pour que getrusage ne voie que ce notebook et son noyau.
WRAPPER = """
import resource, subprocess, sys
subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--inplace", "--ExecutePreprocessor.timeout=-1", sys.argv[1]], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


# Chargé au démarrage du noyau (dossier IPython à part) : après chaque cellule, sa durée, la
# mémoire résidente, le maximum atteint et le temps écoulé depuis le démarrage du noyau (un
# écart entre deux cellules, ou avec la durée totale, est du temps passé hors des cellules),
# dans artefacts/cellules/NOTEBOOK.tsv.
# C'est là qu'on cherche quelle cellule coûte, quand un notebook dépasse son budget.
CELL_LOG = """
import os, time
from pathlib import Path

_log = Path(os.environ["AE_CELL_LOG"])
_log.write_text(
    "cellule\\tsecondes\\tRSS (Mio)\\tmax. (Mio)\\tdébut\\técoulé (s)\\n", encoding="utf-8"
)
_state = {"n": 0, "t": time.perf_counter(), "t0": time.perf_counter()}


def _before(info):
    _state["t"] = time.perf_counter()


def _after(result):
    fields = dict(
        line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    )
    rss, peak = (int(fields[k].split()[0]) // 1024 for k in ("VmRSS", "VmHWM"))
    first = (result.info.raw_cell.strip().splitlines() or [""])[0][:60]
    now = time.perf_counter()
    seconds, elapsed = now - _state["t"], now - _state["t0"]
    with _log.open("a", encoding="utf-8") as out:
        out.write(f"{_state['n']}\\t{seconds:.1f}\\t{rss}\\t{peak}\\t{first}\\t{elapsed:.1f}\\n")
    _state["n"] += 1


get_ipython().events.register("pre_run_cell", _before)
get_ipython().events.register("post_run_cell", _after)
"""


STARTUP_LOG = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to "
    r"STDERR|I\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.]+:\d+\] .*)\n?$"
)


def strip_startup_log(nb) -> int:
    """Retire des sorties d'erreur les lignes d'information du démarrage de TensorFlow.

    Ne touche qu'aux lignes de `STARTUP_LOG` (informations, niveau I) ; une sortie vidée est
    supprimée. Renvoie le nombre de lignes retirées.
    """
    removed = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept_outputs = []
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stderr":
                lines = output.text.splitlines(keepends=True)
                kept = [line for line in lines if not STARTUP_LOG.match(line)]
                removed += len(lines) - len(kept)
                if not kept:
                    continue
                output.text = "".join(kept)
            kept_outputs.append(output)
        cell.outputs = kept_outputs
    return removed


def machine() -> str:
    """Description courte de la machine : processeur et nombre de cœurs."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cœurs, sans GPU"


def commit() -> str:
    """Le commit mesuré (abrégé), suivi de « + modifications » si l'arbre de travail diffère."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    head = git("rev-parse", "--short", "HEAD").strip() or "inconnu (pas de dépôt git)"
    return head + (" + modifications" if git("status", "--porcelain").strip() else "")


def minutes(seconds: float) -> str:
    """Une durée lisible, arrondie à la seconde : 59,6 s → « 1 min 00 s », pas « 0 min 60 s »."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    return f"{whole // 60} min {whole % 60:02d} s"


def cell_log(path: Path) -> dict[str, str]:
    """Les variables d'environnement qui font écrire au noyau le journal de ses cellules.

    Le journal va dans CELLS/NOTEBOOK.tsv, à côté du dossier d'artefacts (qui reste vide au
    départ, pour qu'aucun modèle d'un lancement précédent ne serve)."""
    startup = CELLS / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "cellules.py").write_text(CELL_LOG, encoding="utf-8")
    return {"IPYTHONDIR": str(CELLS / "ipython"), "AE_CELL_LOG": str(CELLS / f"{path.stem}.tsv")}


def run(path: Path) -> tuple[float, float]:
    """Exécute un notebook ; renvoie (secondes, mémoire maximale en Mio)."""
    start = time.perf_counter()
    # Mode complet ; journal C++ de TensorFlow sans ses informations.
    env = {
        **os.environ,
        "AE_FAST": "0",
        "TF_CPP_MIN_LOG_LEVEL": "1",
        "MALLOC_ARENA_MAX": "2",  # comme make lab et Binder : voir binder/start
        "MALLOC_MMAP_THRESHOLD_": "4194304",
        "AE_ARTEFACTS": str(RUN_ARTEFACTS),
        **cell_log(path),
    }
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(path)], capture_output=True, text=True, env=env
    )
    if out.returncode != 0:
        raise SystemExit(f"Échec de l'exécution de {path.name} :\n{out.stderr[-5000:]}")
    seconds = time.perf_counter() - start
    peak_mib = int(out.stdout.strip().splitlines()[-1]) / 1024  # ru_maxrss est en Kio
    return seconds, peak_mib


def exercises(nb) -> int:
    return sum(len(EXERCISE.findall(c.source)) for c in nb.cells if c.cell_type == "markdown")


def study_minutes(nb) -> int:
    """Temps d'étude estimé : les mots du texte et du code à lire, plus les exercices."""
    words = sum(len(re.findall(r"\w+", c.source)) for c in nb.cells[2:])  # sans l'en-tête
    total = words / WORDS_PER_MINUTE + MINUTES_PER_EXERCISE * exercises(nb)
    return 5 * math.ceil(total / 5)


def duration_line(nb, measured: str) -> str:
    nbsp = "\u00a0"  # espace insécable avant : et ; (typographie française)
    return (
        f"**Durée estimée**{nbsp}: environ {study_minutes(nb)} min d'étude (lecture et "
        f"{exercises(nb)} exercices, estimation), et {measured}."
    )


def write_line(nb, path: Path, measured: str) -> None:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and DURATION_LINE.search(cell.source):
            cell.source = DURATION_LINE.sub(duration_line(nb, measured), cell.source)
            nbformat.write(nb, path)
            return
    raise SystemExit(f"{path.name} : aucune ligne « **Durée estimée** » à mettre à jour.")


def write_duration(path: Path, seconds: float, peak_mib: float, where: str) -> None:
    nb = nbformat.read(path, as_version=4)
    strip_startup_log(nb)
    normalize(nb)  # ni horodatages d'exécution ni version de Python de la machine
    nbsp = "\u00a0"
    measured = (
        f"{minutes(seconds)} d'exécution complète (mesurée par `make run` sur {where}{nbsp}; "
        f"mémoire maximale {peak_mib:.0f} Mio)"
    )
    write_line(nb, path, measured)


def refresh_study_time(path: Path) -> None:
    """Recalcule le temps d'étude de la ligne « Durée estimée », sans toucher aux mesures."""
    nb = nbformat.read(path, as_version=4)
    found = next((MEASURED.search(c.source) for c in nb.cells if MEASURED.search(c.source)), None)
    if found is None:
        raise SystemExit(f"{path.name} : pas de mesure de `make run` dans « Durée estimée ».")
    write_line(nb, path, found.group(0))


def main(paths: list[str]) -> None:
    if "--etude" in paths:
        for name in (p for p in paths if p != "--etude"):
            refresh_study_time(Path(name))
        return
    if not paths:
        raise SystemExit("Indiquez les notebooks à exécuter, par exemple notebooks/*.ipynb.")
    where = machine()
    if not os.environ.get("AE_RUN_ARTEFACTS"):  # un dossier donné est celui d'un autre lancement
        shutil.rmtree(RUN_ARTEFACTS, ignore_errors=True)
    RUN_ARTEFACTS.mkdir(parents=True, exist_ok=True)
    rows = {}
    if RESULTS.exists():  # on garde les mesures des notebooks qui ne sont pas relancés
        for line in RESULTS.read_text(encoding="utf-8").splitlines():
            if line.startswith("| ") and line.count("|") == 5 and ".ipynb" in line:
                rows[line.split("|")[1].strip()] = line
    for name in paths:
        path = Path(name)
        if path.suffix != ".ipynb" or not path.is_file():
            raise SystemExit(f"Notebook attendu (fichier .ipynb existant), reçu : {name!r}.")
        print(f"Exécution de {path.name}…", flush=True)
        seconds, peak = run(path)
        write_duration(path, seconds, peak, where)
        rows[path.name] = f"| {path.name} | {minutes(seconds)} | {peak:.0f} | {where} |"
        print(f"  {minutes(seconds)}, mémoire maximale {peak:.0f} Mio", flush=True)
        write_results(rows)  # après chaque notebook : une exécution interrompue garde ses mesures
    results.update()  # à la fin : les README recopient les sorties de tous les notebooks


def write_results(rows: dict[str, str]) -> None:
    """Écrit benchmarks/results/notebooks.md (durée et mémoire de chaque notebook)."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        "# Exécution complète des notebooks (`make run`)\n\n"
        f"Dernière exécution au commit {commit()}.\n\n"
        "| Notebook | Durée | Mémoire max. (Mio) | Machine |\n|---|---|---|---|\n"
        + "\n".join(rows[k] for k in sorted(rows))
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(sys.argv[1:])
