"""Autoencodeur profond de Hinton et Salakhutdinov (notebook 09) : ce que change chaque réglage.

Architecture 784-1000-500-250-30-250-500-1000-784 (ReLU, code linéaire de 30, sortie sigmoïde),
entraînée de zéro (sans pré-entraînement), lots de 256, Adam. Chaque réglage est jugé sur une
**validation** : 10 000 images tirées des 60 000 d'entraînement (`train_test_split`, stratifié
par chiffre, graine de la série) ; le modèle apprend sur les 50 000 autres. Le jeu de test
n'est jamais lu ici : le notebook 09 l'utilise une seule fois, pour la recette retenue, entraînée
sur les 60 000 images. Une configuration par appel ; les options changent un réglage à la fois :

    python benchmarks/deep_autoencoder.py --epochs 40                      # Adam + MSE, pas fixe
    python benchmarks/deep_autoencoder.py --epochs 40 --schedule cosinus   # pas en cosinus
    python benchmarks/deep_autoencoder.py --epochs 40 --noise 0.1          # bruit d'entrée

La recette du notebook 09 (120 époques, environ 10 minutes sur deux cœurs) :

    python benchmarks/deep_autoencoder.py --epochs 120 --loss binary_crossentropy \
        --schedule cosinus --noise 0.1 --batchnorm --shift 1

Mesure de l'article (Science, 2006, figure 2B) : erreur quadratique sommée sur les 784 pixels,
moyennée sur les images, sur la validation (10 000 images) et sur 10 000 images d'entraînement
(l'écart mesure le surapprentissage). La ligne est ajoutée (ou remplacée) dans
benchmarks/results/deep_autoencoder.md.
`--threads 1` fait tourner deux configurations côte à côte sur deux cœurs.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

RESULTS = Path(__file__).resolve().parent / "results" / "deep_autoencoder.md"
HIDDEN = (1000, 500, 250)
CODE_SIZE = 30
BATCH_SIZE = 256
HEADER = [
    "perte",
    "pas d'apprentissage",
    "bruit d'entrée",
    "weight decay",
    "normalisation",
    "dropout",
    "décalage",
    "EMA",
    "lot",
    "époques",
    "cœurs",
    "erreur validation",
    "erreur entraînement",
    "écart",
    "durée (s)",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--loss", choices=("mse", "binary_crossentropy"), default="mse")
    parser.add_argument(
        "--schedule",
        choices=("fixe", "cosinus"),
        default="fixe",
        help="pas d'apprentissage fixe (1e-3) ou décroissant en cosinus jusqu'à 0",
    )
    parser.add_argument(
        "--noise",
        type=float,
        default=0.0,
        help="écart type du bruit gaussien ajouté aux entrées à l'entraînement",
    )
    parser.add_argument("--weight-decay", type=float, default=0.0, help="AdamW si > 0")
    parser.add_argument(
        "--batchnorm", action="store_true", help="normalisation par lots après chaque couche cachée"
    )
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument(
        "--shift", type=int, default=0, help="décalage aléatoire de chaque image, au plus N pixels"
    )
    parser.add_argument(
        "--shift-per-batch",
        action="store_true",
        help="avec --shift : le même décalage pour tout le lot (tf.roll)",
    )
    parser.add_argument(
        "--dropout",
        type=float,
        default=0.0,
        help="taux de dropout après chaque couche cachée (0 : aucun)",
    )
    parser.add_argument(
        "--ema", action="store_true", help="moyenne mobile des poids (Adam use_ema)"
    )
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--threads", type=int, default=0, help="0 : tous les cœurs")
    parser.add_argument("--no-record", action="store_true", help="ne pas écrire le tableau")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.noise < 0 or args.weight_decay < 0 or args.threads < 0:
        parser.error("époques ≥ 1, bruit, weight decay et cœurs ≥ 0 attendus")
    return args


def build(args, steps: int):
    import keras
    from keras import layers

    inputs = keras.Input(shape=(784,))
    x = layers.GaussianNoise(args.noise)(inputs) if args.noise else inputs

    def hidden(x, units):
        if not args.batchnorm:
            x = layers.Dense(units, activation="relu")(x)
        else:
            x = layers.Dense(units, use_bias=False)(x)
            x = layers.Activation("relu")(layers.BatchNormalization()(x))
        return layers.Dropout(args.dropout)(x) if args.dropout else x

    for units in HIDDEN:
        x = hidden(x, units)
    x = layers.Dense(CODE_SIZE)(x)  # code linéaire, comme dans l'article
    for units in reversed(HIDDEN):
        x = hidden(x, units)
    model = keras.Model(inputs, layers.Dense(784, activation="sigmoid")(x))
    rate = (
        keras.optimizers.schedules.CosineDecay(args.learning_rate, steps)
        if args.schedule == "cosinus"
        else args.learning_rate
    )
    ema = {"use_ema": True, "ema_momentum": 0.999} if args.ema else {}
    optimizer = (
        keras.optimizers.AdamW(rate, weight_decay=args.weight_decay, **ema)
        if args.weight_decay
        else keras.optimizers.Adam(rate, **ema)
    )
    model.compile(optimizer=optimizer, loss=args.loss, steps_per_execution=50)
    return model


def main(argv=None) -> dict:
    args = parse_args(argv)
    import tensorflow as tf

    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    import numpy as np

    from ae_utils.config import SEED, set_seed
    from ae_utils.data import load_mnist, prepare
    from ae_utils.metrics import hinton_error

    set_seed(SEED)
    from sklearn.model_selection import train_test_split

    (x_all, y_all), _ = load_mnist()  # le jeu de test n'est pas chargé : il ne sert jamais ici
    x_train, x_val = train_test_split(
        prepare(x_all), test_size=10_000, random_state=SEED, stratify=y_all
    )
    steps = args.epochs * int(np.ceil(len(x_train) / args.batch_size))
    model = build(args, steps)

    def error(images):  # l'erreur de Hinton et Salakhutdinov (notebook 09)
        return hinton_error(images, model.predict(images, batch_size=1000, verbose=0))

    data = {"x": x_train, "y": x_train, "batch_size": args.batch_size, "shuffle": True}
    if args.shift:  # décalage par image (Keras), le même pour l'entrée et la cible
        import keras

        translate = keras.layers.RandomTranslation(
            args.shift / 28,
            args.shift / 28,
            fill_mode="constant",
            interpolation="nearest",
            seed=SEED,
        )

        def shifted(images):
            if args.shift_per_batch:  # un seul décalage entier, tiré pour tout le lot
                shift = tf.random.uniform([2], -args.shift, args.shift + 1, dtype=tf.int32)
                moved = tf.roll(tf.reshape(images, (-1, 28, 28)), shift, axis=(1, 2))
            else:
                moved = translate(tf.reshape(images, (-1, 28, 28, 1)))
            moved = tf.reshape(moved, (-1, 784))
            return moved, moved

        stream = (
            tf.data.Dataset.from_tensor_slices(x_train)
            .shuffle(len(x_train), seed=SEED)
            .batch(args.batch_size)
            .map(shifted)
            .prefetch(tf.data.AUTOTUNE)
        )
        data = {"x": stream, "shuffle": False}
    import keras

    class Progress(keras.callbacks.Callback):  # un seul fit : l'EMA n'est appliquée qu'à la fin
        def on_epoch_end(self, epoch, logs=None):
            if (epoch + 1) % 10 == 0:
                print(
                    f"époque {epoch + 1} : erreur validation {error(x_val):.3f} (poids courants, "
                    f"{time.perf_counter() - start:.0f} s)",
                    flush=True,
                )

    start = time.perf_counter()
    model.fit(**data, epochs=args.epochs, verbose=0, callbacks=[Progress()])
    row = {
        "perte": args.loss,
        "pas d'apprentissage": f"{args.schedule} {args.learning_rate:g}",
        "bruit d'entrée": args.noise,
        "weight decay": args.weight_decay,
        "normalisation": "lots" if args.batchnorm else "non",
        "dropout": args.dropout,
        "décalage": (
            f"{args.shift} px par {'lot' if args.shift_per_batch else 'image'}"
            if args.shift
            else "0"
        ),
        "EMA": "oui" if args.ema else "non",
        "lot": args.batch_size,
        "époques": args.epochs,
        "cœurs": args.threads or "tous",
        "erreur validation": error(x_val),
        "erreur entraînement": error(x_train[:10_000]),
    }
    row["écart"] = row["erreur validation"] - row["erreur entraînement"]
    row["durée (s)"] = round(time.perf_counter() - start)
    print(
        "  ".join(
            f"{k} : {v:.3f}" if isinstance(v, float) else f"{k} : {v}" for k, v in row.items()
        ),
        flush=True,
    )
    if not args.no_record:
        record(row)
    return row


def record(row: dict) -> None:
    measured = ("erreur validation", "erreur entraînement", "écart")
    cells = [f"{row[k]:.3f}" if k in measured else str(row[k]) for k in HEADER]
    line = "| " + " | ".join(cells) + " |"
    key = line.split(" | ")[:11]
    RESULTS.parent.mkdir(exist_ok=True)
    rows = []
    if RESULTS.exists():
        rows = [
            r
            for r in RESULTS.read_text(encoding="utf-8").splitlines()
            if r.startswith("| ") and not r.startswith("| perte") and r.split(" | ")[:11] != key
        ]
    text = (
        "# Autoencodeur profond 784-1000-500-250-30 (`python benchmarks/deep_autoencoder.py`)\n\n"
        f"Mesuré le {date.today().isoformat()} sur {machine()} (commit {commit()}) ; "
        "Adam (lots de 256 sauf mention), "
        "un processus par ligne. Erreur : somme des carrés sur les 784 pixels, moyenne sur les "
        "images (Hinton et Salakhutdinov, 2006 : autoencodeur 3,00, ACP 13,87, sur leur jeu de "
        "test). Ici : apprentissage sur 50 000 images d'entraînement, erreur sur les 10 000 "
        "autres (validation) et sur 10 000 des 50 000 apprises ; le jeu de test n'est pas lu. "
        "Les durées "
        "dépendent de ce qui tournait en même temps (colonne « cœurs »).\n\n"
        "| "
        + " | ".join(HEADER)
        + " |\n"
        + "|---" * len(HEADER)
        + "|\n"
        + "\n".join(sorted(rows + [line]))
        + "\n"
    )
    temporary = RESULTS.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(RESULTS)


if __name__ == "__main__":
    main()
