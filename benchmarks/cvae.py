"""VAE conditionnel dense du notebook 12 : taille du code et époques, jugées sur la validation.

Le VAE de `ae_utils.vae` (notebook 11 : binarisation dynamique, reconstruction de Bernoulli
**sommée** sur les pixels, KL analytique), l'étiquette du chiffre (un vecteur « one-hot ») en
plus à l'entrée de l'encodeur et du décodeur. Apprentissage sur 50 000 images d'entraînement ;
mesures sur les 10 000 autres (validation, `train_test_split` stratifié, graine de la série),
binarisées une fois. Le jeu de test n'est jamais lu ici.

Mesures : −ELBO de validation (un tirage, nats par image) ; la **part des images générées
reconnues** : 1 000 codes tirés de N(0, I) par chiffre, décodés avec l'étiquette demandée
(probabilités des pixels), classés par un juge dense 784-512-512-10 entraîné sur les mêmes
50 000 images (arrêt précoce sur la validation) ; la part minimale sur les dix chiffres.

    python benchmarks/cvae.py --epochs 30 --latent 50
    python benchmarks/cvae.py --epochs 30 --latent 16

La ligne est ajoutée (ou remplacée) dans benchmarks/results/cvae.md.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

TEMPERATURES = (1.0, 0.8, 0.6)  # écart type des codes tirés : N(0, τ² I)
RESULTS = Path(__file__).resolve().parent / "results" / "cvae.md"
HEADER = [
    "couches cachées",
    "code",
    "β",
    "époques",
    "s/époque",
    "−ELBO validation",
    "unités actives",
    "juge (validation)",
    "reconnues (moyenne)",
    "reconnues (pire chiffre)",
    "reconstructions reconnues",
    "reconnues, τ = 0.8",
    "reconnues, τ = 0.6",
]
KEY = 4  # les colonnes qui identifient une ligne


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--hidden", default="500,500", help="tailles des couches cachées")
    parser.add_argument("--latent", type=int, default=50)
    parser.add_argument("--beta", type=float, default=1.0, help="poids de la KL dans la perte")
    parser.add_argument("--no-record", action="store_true", help="ne pas écrire le tableau")
    args = parser.parse_args(argv)
    args.hidden = tuple(int(h) for h in args.hidden.split(","))
    return args


def build(hidden, latent):
    """L'encodeur et le décodeur conditionnels du notebook 12 (ae_utils.vae)."""
    from ae_utils.vae import build_cvae_decoder, build_cvae_encoder

    return build_cvae_encoder(latent, hidden), build_cvae_decoder(latent, hidden)


def make_cvae(encoder, decoder, seed, beta=1.0):
    """Le VAE conditionnel du notebook 12 (ae_utils.vae.CVAE)."""
    from ae_utils.vae import CVAE

    return CVAE(encoder, decoder, beta=beta, seed=seed)


def judge(x_train, y_train, x_val, y_val):
    import keras
    from keras import layers

    model = keras.Sequential(
        [keras.Input((784,))]
        + [layers.Dense(512, activation="relu"), layers.Dropout(0.2)]
        + [layers.Dense(512, activation="relu"), layers.Dropout(0.2)]
        + [layers.Dense(10, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    stop = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    model.fit(
        x_train,
        y_train,
        validation_data=(x_val, y_val),
        epochs=30,
        batch_size=128,
        callbacks=[stop],
        verbose=0,
    )
    return model, model.evaluate(x_val, y_val, verbose=0)[1]


def main(argv=None) -> dict:
    args = parse_args(argv)
    import keras
    import numpy as np
    from sklearn.model_selection import train_test_split

    from ae_utils.config import SEED, set_seed
    from ae_utils.data import load_mnist, prepare

    set_seed(SEED)
    (x_all, y_all), _ = load_mnist()  # le jeu de test n'est pas chargé
    x_train, x_val, y_train, y_val = train_test_split(
        prepare(x_all), y_all, test_size=10_000, random_state=SEED, stratify=y_all
    )
    classifier, judge_accuracy = judge(x_train, y_train, x_val, y_val)
    print(f"juge : {judge_accuracy:.4f} sur la validation", flush=True)
    x_val_binary = (np.random.default_rng(SEED).random(x_val.shape) < x_val).astype("float32")
    onehot_train, onehot_val = (np.eye(10, dtype="float32")[y] for y in (y_train, y_val))

    set_seed(SEED)
    encoder, decoder = build(args.hidden, args.latent)
    cvae = make_cvae(encoder, decoder, SEED, args.beta)
    steps = args.epochs * math.ceil(len(x_train) / 100)
    cvae.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps)),
        steps_per_execution=50,
    )
    start = time.perf_counter()
    cvae.fit(x_train, onehot_train, epochs=args.epochs, batch_size=100, shuffle=True, verbose=0)
    train_time = time.perf_counter() - start
    loss = cvae.evaluate(x_val_binary, onehot_val, batch_size=1000, verbose=0, return_dict=True)[
        "loss"
    ]
    mean, _ = encoder.predict([x_val_binary, onehot_val], batch_size=1000, verbose=0)
    active = int(np.sum(np.var(mean, axis=0) > 0.01))

    recon = keras.ops.convert_to_numpy(cvae((x_val, onehot_val)))
    recon_share = float(np.mean(classifier.predict(recon, verbose=0).argmax(axis=1) == y_val))
    print(f"juge sur les reconstructions de validation : {recon_share:.4f}", flush=True)
    by_temperature = {}
    for temperature in TEMPERATURES:
        set_seed(SEED)
        shares = []
        for digit in range(10):
            z = temperature * keras.random.normal((1000, args.latent))
            label = keras.ops.one_hot(np.full(1000, digit), 10)
            images = keras.ops.convert_to_numpy(keras.ops.sigmoid(decoder([z, label])))
            predicted = classifier.predict(images, batch_size=1000, verbose=0).argmax(axis=1)
            shares.append(float(np.mean(predicted == digit)))
        by_temperature[temperature] = shares
        print(f"τ = {temperature} :", " ".join(f"{s:.3f}" for s in shares), flush=True)
    shares = by_temperature[1.0]
    row = {
        "couches cachées": "-".join(map(str, args.hidden)),
        "code": str(args.latent),
        "β": f"{args.beta:g}",
        "époques": str(args.epochs),
        "s/époque": f"{train_time / args.epochs:.1f}",
        "−ELBO validation": f"{loss:.2f}",
        "unités actives": f"{active}/{args.latent}",
        "juge (validation)": f"{100 * judge_accuracy:.2f} %",
        "reconnues (moyenne)": f"{100 * np.mean(shares):.1f} %",
        "reconnues (pire chiffre)": f"{100 * min(shares):.1f} % ({int(np.argmin(shares))})",
        "reconstructions reconnues": f"{100 * recon_share:.1f} %",
        **{
            f"reconnues, τ = {t}": f"{100 * np.mean(by_temperature[t]):.1f} %"
            for t in TEMPERATURES[1:]
        },
    }
    print(row, flush=True)
    if not args.no_record:
        record(row)
    return row


def record(row: dict) -> None:
    rows = {}
    if RESULTS.exists():
        for line in RESULTS.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if line.startswith("| ") and len(cells) == len(HEADER) and cells[0] != HEADER[0]:
                rows[tuple(cells[:KEY])] = cells
    rows[tuple(row[h] for h in HEADER[:KEY])] = [row[h] for h in HEADER]
    lines = [
        "# VAE conditionnel dense (`python benchmarks/cvae.py`)",
        "",
        f"Mesuré le {date.today()} sur {machine()} (commit {commit()}) ; un processus par ligne. "
        "Lots de 100, Adam 0,001 en cosinus ; apprentissage sur 50 000 images d'entraînement "
        "binarisées dynamiquement, −ELBO (un tirage, nats par image) sur les 10 000 autres "
        "(validation), binarisées une fois ; le jeu de test n'est pas lu. « Reconnues » : part "
        "de 1 000 images générées par chiffre que le juge (784-512-512-10, entraîné sur les "
        "mêmes 50 000 images) classe dans le chiffre demandé.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(cells) + " |" for _, cells in sorted(rows.items())]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
