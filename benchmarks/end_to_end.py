"""De bout en bout, comme on le vit : le notebook 05 face au code du tutoriel et à PyTorch.

Trois lignes, chacune dans un processus neuf, mesurées du lancement à la dernière figure :

1. « notebook 05 » : notebooks/05_entrainement.ipynb exécuté dans un noyau Jupyter neuf
   (démarrage du noyau, importations, données, 50 époques, évaluation, figures, sauvegarde),
   en mode complet, avec un dossier d'artefacts vide : il entraîne, il ne recharge rien ;
2. « tutoriel » : le code du tutoriel source en script (benchmarks/end_to_end/tutoriel.py),
   avec sa barre de progression (verbose=1, la valeur par défaut de `fit`) ;
3. « pytorch » : le même modèle dans un script PyTorch simple (benchmarks/end_to_end/pytorch.py ;
   ligne ignorée, avec un message, si torch n'est pas installé :
   pip install -r benchmarks/requirements-torch.txt).

Avec --repeat R, les lignes sont alternées R fois et l'on garde la médiane. Les rapports
(durée du tutoriel / durée de la ligne) sont calculés dans ce même lancement : ces machines
sont partagées, seuls les rapports d'un même lancement se comparent. Pour le notebook, la durée
de chaque section (horodatages de nbclient), du démarrage du noyau à la dernière cellule.
Écrit benchmarks/results/end_to_end.md (ou --output).

    python benchmarks/end_to_end.py --repeat 2
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

RESULTS = ROOT / "benchmarks" / "results" / "end_to_end.md"
NOTEBOOK = ROOT / "notebooks" / "05_entrainement.ipynb"
SCRIPTS = ROOT / "benchmarks" / "end_to_end"
MSE = re.compile(r"MSE de test\s*:\s*([\d.,]+)")

# Exécuté dans un processus à part : getrusage(RUSAGE_CHILDREN) n'y voit que cette ligne.
WRAPPER = r"""
import json, resource, subprocess, sys, time
from datetime import datetime
kind, target = sys.argv[1], sys.argv[2]
start = time.time()
if kind == "notebook":
    import nbclient, nbformat
    from pathlib import Path
    nb = nbformat.read(target, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=-1, kernel_name="python3",
                                     resources={"metadata": {"path": str(Path(target).parent)}})
    client.execute()
    end = time.time()
    cells, section, text = [], "avant la première section", []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## "):
                    section = line[3:].strip()
            continue
        timing = cell.metadata.get("execution", {})
        begin, done = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        if begin and done:
            cells.append([section, datetime.fromisoformat(begin).timestamp() - start,
                          datetime.fromisoformat(done).timestamp() - start])
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text.append(output["text"])
    result = dict(cells=cells, output="".join(text))
else:
    done = subprocess.run([sys.executable, target], capture_output=True, text=True)
    end = time.time()
    if done.returncode:
        sys.exit(f"{target} a échoué :\n{done.stderr[-2000:]}")
    result = dict(cells=[], output=done.stdout)
result["seconds"] = end - start
result["peak"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
print(json.dumps(result))
"""

ROWS = {
    "notebook 05": ("notebook", NOTEBOOK),
    "tutoriel": ("script", SCRIPTS / "tutoriel.py"),
    "pytorch": ("script", SCRIPTS / "pytorch.py"),
}


def run_row(name: str) -> dict:
    kind, target = ROWS[name]
    with tempfile.TemporaryDirectory() as artefacts:
        env = dict(
            os.environ,
            AE_FAST="0",
            AE_ARTEFACTS=artefacts,  # vide : le notebook entraîne
            TF_CPP_MIN_LOG_LEVEL="1",  # comme make run et make lab
            MPLBACKEND="Agg",  # les scripts : plt.show() sans fenêtre
        )
        done = subprocess.run(
            [sys.executable, "-c", WRAPPER, kind, str(target)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )
    if done.returncode:
        raise SystemExit(f"ligne « {name} » en échec :\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    found = MSE.search(result["output"])
    result["mse"] = float(found[1].replace(",", ".")) if found else float("nan")
    return result


def sections(cells: list, total: float) -> list[tuple[str, float]]:
    """Durée de chaque section, démarrage du noyau compris, jusqu'à la fin de l'exécution."""
    parts = [("démarrage du noyau (avant la première cellule)", cells[0][1])]
    for section, begin, end in cells:
        if parts[-1][0] == section:
            parts[-1] = (section, parts[-1][1] + end - begin)
        else:
            parts.append((section, end - begin))
    parts.append(("entre les cellules et arrêt du noyau", total - sum(s for _, s in parts)))
    return parts


def fr(x: float, spec: str) -> str:
    return format(x, spec).replace(",", "\u202f").replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="tours de toutes les lignes")
    parser.add_argument("--output", type=Path, default=RESULTS, help="fichier .md des résultats")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat doit être au moins 1, reçu : {args.repeat}")
    if args.output.suffix != ".md":
        parser.error(f"--output attend un fichier .md, reçu : {args.output}")
    rows = list(ROWS)
    if importlib.util.find_spec("torch") is None:
        rows.remove("pytorch")
        print(
            "Ligne « pytorch » ignorée : torch n'est pas installé "
            "(pip install -r benchmarks/requirements-torch.txt)."
        )
    runs: dict[str, list[dict]] = {row: [] for row in rows}
    for turn in range(args.repeat):
        for row in rows:
            result = run_row(row)
            runs[row].append(result)
            print(
                f"tour {turn + 1}/{args.repeat}, {row} : {fr(result['seconds'], '.1f')} s, "
                f"MSE {fr(result['mse'], '.4f')}, {result['peak']} Mio",
                flush=True,
            )

    def median(row: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[row])

    reference = median("tutoriel", "seconds")
    lines = [
        "| Ligne, de bout en bout | Durée (s) | Vitesse / tutoriel | MSE de test "
        "| Mémoire max. (Mio) |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        seconds = median(row, "seconds")
        lines.append(
            f"| {row} | {fr(seconds, '.1f')} | ×{fr(reference / seconds, '.2f')} | "
            f"{fr(median(row, 'mse'), '.4f')} | {fr(median(row, 'peak'), ',.0f')} |"
        )
    middle = median("notebook 05", "seconds")
    notebook = min(runs["notebook 05"], key=lambda r: abs(r["seconds"] - middle))
    lines += [
        "",
        f"Le notebook 05, section par section (le tour de durée médiane, "
        f"{fr(notebook['seconds'], '.1f')} s) :",
        "",
        "| Section | Durée (s) | Part |",
        "|---|---|---|",
    ]
    for section, seconds in sections(notebook["cells"], notebook["seconds"]):
        share = seconds / notebook["seconds"]
        lines.append(f"| {section} | {fr(seconds, '.1f')} | {fr(100 * share, '.0f')}\u00a0% |")
    command = "python benchmarks/end_to_end.py" + (
        f" --repeat {args.repeat}" if args.repeat != 1 else ""
    )
    header = [
        "# De bout en bout : le notebook 05, le code du tutoriel, PyTorch",
        "",
        f"`{command}` — {machine()}, commit {commit()}, médiane de {args.repeat} tour(s).",
        "",
    ]
    text = "\n".join(header + lines) + "\n"
    print()
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
