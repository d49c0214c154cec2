"""Temps de chargement de MNIST par `ae_utils.data.load_mnist()`, source par source.

    python benchmarks/load_mnist.py [--repeat 5]

« À chaud » : le fichier est déjà dans le cache du système d'exploitation (deuxième appel et
suivants du même fichier). Affiche la médiane et le maximum des répétitions, par source.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ae_utils import data


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="répétitions par mesure")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat doit être au moins 1, reçu : {args.repeat}")

    def offline_only():
        arrays = data._from_offline_package()
        data.verify(arrays)

    rows = [
        ("load_mnist() (première source disponible)", data.load_mnist),
        ("copie hors ligne seule, vérification comprise", offline_only),
    ]
    if data.keras_cache_path().is_file():

        def cache_only():
            data.verify(data._from_keras_cache())

        rows.append(("cache de Keras seul, vérification comprise", cache_only))
    data.load_mnist()  # met les fichiers dans le cache du système : mesures « à chaud »
    print(f"{'mesure':<48} {'médiane':>9} {'max':>9}   ({args.repeat} répétitions)")
    for name, function in rows:
        times = timed(function, args.repeat)
        print(f"{name:<48} {statistics.median(times):>8.2f}s {max(times):>8.2f}s")


if __name__ == "__main__":
    main()
