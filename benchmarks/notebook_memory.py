"""Mémoire d'un notebook, cellule par cellule : où se trouve le pic (README, « Durée et mémoire »).

Exécute les cellules de code dans ce processus, dans l'ordre (la cellule d'installation Colab
exceptée, les figures fermées sans être affichées), et affiche après chacune la mémoire
résidente (RSS) et le maximum atteint jusque-là, lus dans /proc/self/status (Linux).

    AE_FAST=1 python benchmarks/notebook_memory.py notebooks/07_debruitage.ipynb
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def memory() -> tuple[int, int]:
    """(mémoire résidente, maximum atteint), en Mio."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS", "VmHWM")):
            name, value = line.split(":")
            fields[name] = int(value.split()[0]) // 1024
    return fields["VmRSS"], fields["VmHWM"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebook", type=Path)
    args = parser.parse_args()
    if not args.notebook.is_file() or args.notebook.suffix != ".ipynb":
        parser.error(f"un fichier .ipynb existant est attendu, reçu : {args.notebook}")
    cells = json.loads(args.notebook.read_text(encoding="utf-8"))["cells"]
    plt.show = lambda *a, **k: plt.close("all")
    namespace: dict = {}
    print(f"{'cellule':>7} {'RSS (Mio)':>10} {'max. (Mio)':>11}  début de la cellule")
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code" or "colab" in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell["source"])
        exec(compile(source, f"cellule {index}", "exec"), namespace)
        rss, peak = memory()
        print(f"{index:>7} {rss:>10} {peak:>11}  {source.splitlines()[0][:60]}", flush=True)


if __name__ == "__main__":
    main()
