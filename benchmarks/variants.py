"""Variantes classiques (notebook 14) : la force des pénalités de parcimonie, sur la validation.

Apprentissage sur 50 000 images d'entraînement, mesures sur les 10 000 autres (validation,
`train_test_split` stratifié, graine de la série) ; le jeu de test n'est jamais lu ici. Pour
chaque force de pénalité, l'autoencodeur du tutoriel (784-128-64-32) apprend avec une pénalité
sur son code :

- « l1:λ » : pénalité L1 sur les activations du code (ReLU), `activity_regularizer=L1(λ)` ;
- « kl:β » : pénalité KL de parcimonie (code sigmoïde, activation moyenne visée 0,1, comme
  *Hands-On Machine Learning*, chapitre 17), de poids β.

Règle fixée d'avance : on garde la pénalité la plus forte dont la MSE de validation ne dépasse
pas de plus de 20 % celle de la même architecture sans pénalité (« aucune », code ReLU, pour
L1 ; « kl:0 », code sigmoïde, pour KL).

    python benchmarks/variants.py --penalties aucune,l1:1e-4,kl:0,kl:0.05 --epochs 20

Le tableau est écrit dans benchmarks/results/variants.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

RESULTS = Path(__file__).resolve().parent / "results" / "variants.md"
TARGET = 0.1  # activation moyenne visée par la pénalité KL


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--penalties", default="aucune,l1:1e-5,l1:1e-4,l1:1e-3,kl:0,kl:0.005,kl:0.05,kl:0.5"
    )
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--draws", type=int, default=3, help="tirages de 100 étiquettes")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    args.penalties = args.penalties.split(",")
    for name in args.penalties:
        kind, _, value = name.partition(":")
        if name != "aucune" and (kind not in ("l1", "kl") or not value):
            parser.error(f"pénalité inconnue : {name!r} (attendu : aucune, l1:λ ou kl:β)")
    return args


def kl_sparsity(weight: float, target: float = TARGET):
    """Pénalité KL entre l'activation moyenne visée et celle de chaque unité sur le lot."""
    from keras import ops

    def penalty(codes):
        mean = ops.clip(ops.mean(codes, axis=0), 1e-7, 1 - 1e-7)
        kl = target * ops.log(target / mean) + (1 - target) * ops.log((1 - target) / (1 - mean))
        return weight * ops.sum(kl)

    return penalty


def build(penalty: str, seed: int):
    import keras
    from keras import layers

    from ae_utils.config import set_seed
    from ae_utils.models import build_decoder

    set_seed(seed)
    kind, _, value = penalty.partition(":")
    regularizer, activation = None, "relu"
    if kind == "l1":
        regularizer = keras.regularizers.L1(float(value))
    elif kind == "kl":
        regularizer, activation = kl_sparsity(float(value)), "sigmoid"
    inputs = keras.Input(shape=(784,))
    hidden = layers.Dense(128, activation="relu")(inputs)
    hidden = layers.Dense(64, activation="relu")(hidden)
    code = layers.Dense(32, activation=activation, activity_regularizer=regularizer)(hidden)
    encoder = keras.Model(inputs, code, name="encodeur")
    decoder = build_decoder(32, (128, 64))
    model = keras.Model(inputs, decoder(encoder(inputs)))
    return model, encoder


def main(argv=None) -> int:
    args = parse_args(argv)
    import numpy as np
    import tensorflow as tf
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ae_utils.config import SEED
    from ae_utils.data import load_mnist, prepare
    from ae_utils.models import compile_autoencoder, steps_per_execution

    (x_train, y_train), _ = load_mnist()  # le jeu de test n'est jamais lu ici
    x_fit, x_val, y_fit, y_val = train_test_split(
        prepare(x_train), y_train, test_size=10_000, stratify=y_train, random_state=SEED
    )
    images = tf.identity(x_fit)
    lines = []
    for penalty in args.penalties:
        model, encoder = build(penalty, SEED)
        compile_autoencoder(model, steps_per_execution(len(x_fit)))
        start = time.perf_counter()
        model.fit(images, images, epochs=args.epochs, batch_size=256, shuffle=True, verbose=0)
        per_epoch = (time.perf_counter() - start) / args.epochs
        mse = float(np.mean((model.predict(x_val, batch_size=1000, verbose=0) - x_val) ** 2))
        codes_fit = encoder.predict(x_fit, batch_size=1000, verbose=0)
        codes_val = encoder.predict(x_val, batch_size=1000, verbose=0)
        small = float(np.mean(codes_val < 0.01))  # part des activations presque nulles
        scores = []
        for draw in range(args.draws):
            rng = np.random.default_rng(SEED + draw)
            index = np.concatenate(
                [rng.choice(np.flatnonzero(y_fit == d), 10, replace=False) for d in range(10)]
            )
            classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
            classifier.fit(codes_fit[index], y_fit[index])
            scores.append(float(np.mean(classifier.predict(codes_val) == y_val)))
        line = [
            penalty,
            f"{mse:.4f}",
            f"{100 * small:.0f}",
            f"{float(np.mean(codes_val)):.3f}",
            f"{100 * np.mean(scores):.1f} ± {100 * np.std(scores):.1f}",
            f"{per_epoch:.2f}",
        ]
        print(" | ".join(line), flush=True)
        lines.append(line)
    mse = {line[0]: float(line[1]) for line in lines}
    chosen = {}
    # La référence de chaque pénalité est la même architecture sans pénalité : le code ReLU
    # (« aucune ») pour L1, le code sigmoïde sans pénalité (« kl:0 ») pour KL.
    for kind, base in (("l1", mse.get("aucune")), ("kl", mse.get("kl:0"))):
        allowed = [
            name
            for name, value in mse.items()
            if base is not None and name.startswith(kind + ":") and value <= 1.2 * base
        ]
        if allowed:
            chosen[kind] = max(allowed, key=lambda name: float(name.split(":")[1]))
    print("retenu :", chosen)
    if not args.no_record:
        record(lines, chosen, args, argv)
    return 0


def record(lines, chosen, args, argv) -> None:
    header = ["pénalité", "MSE de validation", "activations < 0,01 (%)", "activation moyenne"]
    header.append("100 étiquettes (%)")
    header.append("s / époque")
    command = " ".join(["python benchmarks/variants.py", *(argv or sys.argv[1:])])
    table = "".join("| " + " | ".join(line) + " |\n" for line in lines)
    text = (
        f"# Variantes : force des pénalités de parcimonie (`{command}`)\n\n"
        f"Mesuré le {date.today().isoformat()} sur {machine()}, au commit {commit()}.\n"
        f"{args.epochs} époques sur 50 000 images, validation sur 10 000 ; 100 étiquettes : "
        f"{args.draws} tirages équilibrés, régression logistique sur le code.\n"
        "Règle : la pénalité la plus forte dont la MSE de validation reste sous 1,2 fois celle "
        "de la même architecture sans pénalité (« aucune », code ReLU, pour L1 ; « kl:0 », code "
        "sigmoïde, pour KL).\n\n"
        "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n" + table + "\n"
        f"Retenu : {', '.join(chosen.values()) or 'rien'}.\n"
    )
    RESULTS.write_text(text, encoding="utf-8")
    print(f"écrit : {RESULTS}")


if __name__ == "__main__":
    sys.exit(main())
