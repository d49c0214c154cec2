"""Débruitage (notebook 07) : la part de chacun des deux changements du débruiteur élargi.

Quatre entraînements, mêmes données, même facteur de bruit (0,5), même nombre d'époques,
lots de 256, Adam et MSE comme au notebook 07 :

- architecture du tutoriel (784-128-64-32-…) ou élargie (784-512-256-128-…) ;
- bruit tiré une seule fois avant l'entraînement, ou tiré à nouveau à chaque époque (`tf.data`).

Les choix du notebook 07 se font sur une **validation** : 10 000 images tirées des 60 000
d'entraînement (`train_test_split`, stratifié, graine de la série, comme aux notebooks 05 et 07) ;
les modèles apprennent sur les 50 000 autres, et le jeu de test n'est jamais lu ici. Pour chacun :
PSNR moyen par image sur les 10 000 images de validation bruitées (le même tirage pour tous),
PSNR sur 10 000 images d'apprentissage avec leur bruit d'entraînement (l'écart
apprentissage − validation mesure le surapprentissage) et durée. Chaque entraînement tourne dans un
processus neuf ; le tableau est écrit dans benchmarks/results/denoising.md.

    python benchmarks/denoising.py --epochs 50
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

RESULTS = Path(__file__).resolve().parent / "results" / "denoising.md"
NOISE_FACTOR = 0.5
BATCH_SIZE = 256
ARCHITECTURES = {"tutoriel": (32, (128, 64)), "élargie": (128, (512, 256))}
NOISES = ("tiré une fois", "neuf à chaque époque")


def child(architecture: str, noise: str, epochs: int) -> None:
    import numpy as np
    import tensorflow as tf
    from sklearn.model_selection import train_test_split

    from ae_utils.config import SEED, set_seed
    from ae_utils.data import load_mnist, prepare
    from ae_utils.metrics import mean_psnr
    from ae_utils.models import build_autoencoder, compile_autoencoder
    from ae_utils.noise import add_gaussian_noise, noisy_pairs

    set_seed(SEED)
    (x_all, y_all), _ = load_mnist()  # le jeu de test n'est pas chargé : il ne sert jamais ici
    x_train, x_val = train_test_split(
        prepare(x_all), test_size=10_000, random_state=SEED, stratify=y_all
    )
    rng = np.random.default_rng(SEED)
    x_val_noisy = add_gaussian_noise(x_val, NOISE_FACTOR, rng)
    x_train_noisy = add_gaussian_noise(x_train, NOISE_FACTOR, rng)
    code_size, hidden = ARCHITECTURES[architecture]
    model = compile_autoencoder(build_autoencoder(code_size=code_size, hidden=hidden))
    start = time.perf_counter()
    if noise == NOISES[0]:
        model.fit(
            x_train_noisy, x_train, epochs=epochs, batch_size=BATCH_SIZE, shuffle=True, verbose=0
        )
    else:
        stream = (
            tf.data.Dataset.from_tensor_slices(x_train)
            .shuffle(len(x_train), seed=SEED)
            .batch(BATCH_SIZE)
            .map(noisy_pairs(NOISE_FACTOR))
            .prefetch(tf.data.AUTOTUNE)
        )
        model.fit(stream, epochs=epochs, shuffle=False, verbose=0)
    seconds = time.perf_counter() - start
    n = len(x_val)
    print(
        json.dumps(
            {
                "val": mean_psnr(x_val, model.predict(x_val_noisy, batch_size=1024, verbose=0)),
                "train": mean_psnr(
                    x_train[:n], model.predict(x_train_noisy[:n], batch_size=1024, verbose=0)
                ),
                "seconds": seconds,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=50, help="époques par entraînement")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.epochs < 1:
        parser.error(f"--epochs doit être un entier ≥ 1, reçu : {args.epochs}")
    if args.child:
        child(*args.child, args.epochs)
        return
    rows = []
    for architecture in ARCHITECTURES:
        for noise in NOISES:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--epochs",
                    str(args.epochs),
                    "--child",
                    architecture,
                    noise,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            result = json.loads(out.strip().splitlines()[-1])
            rows.append((architecture, noise, result))
            print(
                f"{architecture:<10} {noise:<22} validation {result['val']:.2f} dB  "
                f"entraînement {result['train']:.2f} dB  {result['seconds']:.0f} s",
                flush=True,
            )
    import tensorflow as tf

    lines = [
        f"# Débruitage, facteur 0,5 (`python benchmarks/denoising.py --epochs {args.epochs}`)",
        "",
        f"Mesuré le {date.today().isoformat()} sur {machine()} (commit {commit()}), Python "
        f"{platform.python_version()}, TensorFlow {tf.__version__} ; {args.epochs} époques, "
        "lots de 256, un processus neuf par ligne ; apprentissage sur 50 000 images "
        "d'entraînement, PSNR sur les 10 000 autres (validation), le jeu de test n'est pas lu.",
        "",
        "| architecture | bruit d'entraînement | PSNR validation (dB) | PSNR apprentissage (dB) "
        "| écart (dB) | durée (s) |",
        "|---|---|---|---|---|---|",
    ]
    for architecture, noise, r in rows:
        lines.append(
            f"| {architecture} | {noise} | {r['val']:.2f} | {r['train']:.2f} | "
            f"{r['train'] - r['val']:.2f} | {r['seconds']:.0f} |"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"écrit : {RESULTS}")


if __name__ == "__main__":
    main()
