"""Barres d'erreur : les chiffres phares des notebooks 05, 07 et 08 sur plusieurs graines.

Un notebook publie le résultat d'un seul entraînement, avec la graine de la série (42). Ce
script refait chacun de ces entraînements, à l'identique, avec d'autres graines, chacun dans un
processus neuf, et écrit la moyenne et l'écart type dans benchmarks/results/seeds.md :

- **05** : MSE de test du modèle du tutoriel (50 époques, lots de 256, Adam, MSE ; le même
  `fit` que le notebook, sans `validation_data`, qui ne change pas l'entraînement) ;
- **07** : PSNR de test des deux débruiteurs (architecture du tutoriel, bruit tiré une fois ;
  élargi, bruit neuf à chaque époque), au plus 50 époques avec arrêt anticipé sur la
  validation, comme au notebook ;
- **08** : AUROC moyenne de test du protocole B, méthode choisie sur la validation au notebook
  (autoencodeur ajusté : code de 16, lots de 64, 60 époques ; erreur relative), et la même
  avec la MSE pour score.

La graine change tout ce qui est tiré au hasard pendant l'entraînement : poids initiaux, ordre
des lots, bruit d'entraînement (07). Ce qui sert à mesurer ne change pas : le découpage
apprentissage / validation et le bruit des images de validation et de test (07) restent ceux
de la graine 42, pour que toutes les graines soient mesurées sur les mêmes images. Avec la
graine 42, les lignes de 05 et 08 refont le calcul du notebook publié ; celle de 07 s'en écarte
de quelques centièmes de dB, car le notebook recharge le modèle du 05 avant d'entraîner, et la
construction de ses couches puise dans le même générateur aléatoire de Keras.

    python benchmarks/seeds.py                   # graines 42, 43 et 44, les trois notebooks
    python benchmarks/seeds.py --only 05 --seeds 42 43
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

RESULTS = Path(__file__).resolve().parent / "results" / "seeds.md"
EXPERIMENTS = ("05", "07", "08")
NOISE_FACTOR = 0.5  # notebook 07


def run_05(seed: int) -> dict:
    import numpy as np
    import tensorflow as tf

    from ae_utils.config import set_seed
    from ae_utils.data import load_mnist, prepare
    from ae_utils.models import build_autoencoder

    set_seed(seed)
    (x_train, _), (x_test, _) = load_mnist()
    x_train, x_test = prepare(x_train), prepare(x_test)
    model = build_autoencoder()
    model.compile(optimizer="adam", loss="mse", steps_per_execution=47)
    images = tf.identity(x_train)
    model.fit(images, images, epochs=50, batch_size=256, shuffle=True, verbose=0)
    reconstructions = model.predict(x_test, batch_size=1024, verbose=0)
    return {"MSE de test": float(np.mean((x_test - reconstructions) ** 2))}


def run_07(seed: int) -> dict:
    import keras
    import numpy as np
    import tensorflow as tf
    from sklearn.model_selection import train_test_split

    from ae_utils.config import SEED, set_seed
    from ae_utils.data import load_mnist, prepare
    from ae_utils.metrics import mean_psnr
    from ae_utils.models import build_autoencoder, compile_autoencoder
    from ae_utils.noise import add_gaussian_noise, noisy_pairs

    set_seed(seed)
    (x_train, y_train), (x_test, _) = load_mnist()
    x_train, x_test = prepare(x_train), prepare(x_test)
    # Mêmes tirages que le notebook : bruit du test, puis de la validation, puis d'entraînement.
    # Le test et la validation sont ceux de la graine 42, quelle que soit la graine.
    fixed = np.random.default_rng(SEED)
    rng = np.random.default_rng(seed)
    x_test_noisy = add_gaussian_noise(x_test, NOISE_FACTOR, fixed)
    add_gaussian_noise(x_test, NOISE_FACTOR, rng)  # garde à `rng` la suite de tirages du notebook
    x_fit, x_val = train_test_split(x_train, test_size=10_000, random_state=SEED, stratify=y_train)
    x_val_noisy = add_gaussian_noise(x_val, NOISE_FACTOR, fixed)
    add_gaussian_noise(x_val, NOISE_FACTOR, rng)
    x_fit_noisy = tf.identity(add_gaussian_noise(x_fit, NOISE_FACTOR, rng))
    fit_images = tf.identity(x_fit)

    def early_stopping():
        return keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=5, restore_best_weights=True
        )

    small = compile_autoencoder(build_autoencoder())
    small.fit(
        x_fit_noisy,
        fit_images,
        epochs=50,
        batch_size=256,
        shuffle=True,
        validation_data=(x_val_noisy, x_val),
        callbacks=[early_stopping()],
        verbose=0,
    )
    del x_fit_noisy
    stream = (
        tf.data.Dataset.from_tensor_slices(fit_images)
        .shuffle(len(fit_images), seed=seed)
        .batch(256)
        .map(noisy_pairs(NOISE_FACTOR))
        .prefetch(tf.data.AUTOTUNE)
    )
    wide = compile_autoencoder(build_autoencoder(code_size=128, hidden=(512, 256)))
    wide.fit(
        stream,
        epochs=50,
        shuffle=False,
        validation_data=(x_val_noisy, x_val),
        callbacks=[early_stopping()],
        verbose=0,
    )
    return {
        "PSNR de test, débruiteur du tutoriel (dB)": mean_psnr(
            x_test, small.predict(x_test_noisy, batch_size=1024, verbose=0)
        ),
        "PSNR de test, débruiteur élargi (dB)": mean_psnr(
            x_test, wide.predict(x_test_noisy, batch_size=1024, verbose=0)
        ),
    }


def run_08(seed: int) -> dict:
    import numpy as np
    import tensorflow as tf
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    from ae_utils.config import SEED, set_seed
    from ae_utils.data import load_mnist, prepare
    from ae_utils.models import build_autoencoder, compile_autoencoder, reset, starting_state

    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train, x_test = prepare(x_train), prepare(x_test)
    # Le notebook construit d'abord le modèle du tutoriel (code de 32), puis l'ajusté, chacun
    # après set_seed : on refait les deux constructions pour tirer les mêmes poids initiaux.
    set_seed(seed)
    compile_autoencoder(build_autoencoder(code_size=32))
    set_seed(seed)
    model = compile_autoencoder(build_autoencoder(code_size=16))
    state = starting_state(model)
    fit_index, _ = train_test_split(
        np.arange(len(x_train)), test_size=0.1, random_state=SEED, stratify=y_train
    )
    fit_labels = y_train[fit_index]
    auroc = {"relatif": [], "MSE": []}
    for digit in range(10):
        images = tf.identity(x_train[fit_index[fit_labels == digit]])
        set_seed(seed)
        reset(model, state)
        model.fit(images, images, epochs=60, batch_size=64, shuffle=True, verbose=0)
        errors = (x_test - model.predict(x_test, batch_size=1024, verbose=0)) ** 2
        anomalies = y_test != digit
        auroc["relatif"].append(
            100 * roc_auc_score(anomalies, errors.sum(axis=1) / np.sum(x_test**2, axis=1))
        )
        auroc["MSE"].append(100 * roc_auc_score(anomalies, errors.mean(axis=1)))
    return {
        "AUROC moyenne de test, erreur relative (%)": float(np.mean(auroc["relatif"])),
        "AUROC moyenne de test, MSE (%)": float(np.mean(auroc["MSE"])),
    }


RUNS = {"05": run_05, "07": run_07, "08": run_08}
TITLES = {
    "05": "Notebook 05 — le modèle du tutoriel",
    "07": "Notebook 07 — les débruiteurs (facteur 0,5)",
    "08": "Notebook 08 — protocole B, autoencodeur ajusté",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument("--only", nargs="+", choices=EXPERIMENTS, default=list(EXPERIMENTS))
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        experiment, seed = args.child
        start = time.perf_counter()
        result = RUNS[experiment](int(seed))
        result["durée (s)"] = time.perf_counter() - start
        print(json.dumps(result))
        return
    if len(set(args.seeds)) < 2 or min(args.seeds) < 0:
        parser.error(f"il faut au moins deux graines distinctes, positives, reçu : {args.seeds}")
    results = {}
    for experiment in args.only:
        for seed in args.seeds:
            out = subprocess.run(
                [sys.executable, __file__, "--child", experiment, str(seed)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results[experiment, seed] = json.loads(out.strip().splitlines()[-1])
            print(experiment, seed, results[experiment, seed], flush=True)
    import tensorflow as tf

    lines = [
        f"# Barres d'erreur sur {len(args.seeds)} graines (`python benchmarks/seeds.py`)",
        "",
        f"Mesuré le {date.today().isoformat()} sur {machine()} (commit {commit()}), Python "
        f"{platform.python_version()}, TensorFlow {tf.__version__} ; un processus neuf par "
        "entraînement. La graine change les poids initiaux, l'ordre des lots et le bruit "
        "d'entraînement ; le découpage et les images de validation et de test (bruit compris) "
        "sont ceux de la graine 42 pour toutes. Écart type : celui de l'échantillon "
        "(divisé par n − 1). Graine 42 : le calcul du notebook publié pour 05 et 08 ; pour 07, "
        "la même graine, mais pas le même tirage (le notebook recharge d'abord le modèle du 05).",
    ]
    for experiment in args.only:
        metrics = [key for key in results[experiment, args.seeds[0]] if key != "durée (s)"]
        lines += [
            "",
            f"## {TITLES[experiment]}",
            "",
            "| mesure | "
            + " | ".join(f"graine {s}" for s in args.seeds)
            + " | moyenne ± écart type |",
            "|---|" + "---|" * (len(args.seeds) + 1),
        ]
        for metric in metrics + ["durée (s)"]:
            values = [results[experiment, s][metric] for s in args.seeds]
            digits = 0 if metric == "durée (s)" else 4 if "MSE de test" == metric else 2
            cells = " | ".join(f"{v:.{digits}f}" for v in values)
            mean, std = statistics.mean(values), statistics.stdev(values)
            summary = f"{mean:.{digits}f} ± {std:.{digits}f}"
            if metric == "MSE de test":  # l'écart type d'une MSE : un chiffre de plus
                summary = f"{mean:.4f} ± {std:.5f}"
            lines.append(f"| {metric} | {cells} | {summary} |")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"écrit : {RESULTS}")


if __name__ == "__main__":
    main()
