"""Peu d'étiquettes (notebook 13) : quel code et quel classifieur, choisis sur la validation.

Apprentissage sur 50 000 images d'entraînement, mesures sur les 10 000 autres (validation,
`train_test_split` stratifié, graine de la série), comme `benchmarks/cvae.py` ; le jeu de test
n'est jamais lu ici. Les autoencodeurs apprennent sur les 50 000 images **sans leurs
étiquettes** ; seules n images étiquetées (n/10 par chiffre, tirées au hasard, plusieurs
tirages) servent aux classifieurs :

- « logistique » : régression logistique (standardisation puis `LogisticRegression`, C = 1) ;
- « 1-ppv » : le plus proche voisin étiqueté ;
- « propagation » : `LabelSpreading` de scikit-learn sur le graphe des k plus proches voisins
  des 50 000 codes (les n étiquettes se propagent aux images voisines), puis prédiction des
  images de validation par leurs voisins dans ce graphe.

    python benchmarks/few_labels.py --features pixels,acp,ae05 --epochs 30

Le tableau (exactitude de validation, moyenne ± écart type sur les tirages) est écrit dans
benchmarks/results/few_labels.md, une ligne par (représentation, classifieur, n).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

RESULTS = Path(__file__).resolve().parent / "results" / "few_labels.md"
# Autoencodeurs candidats : couches cachées, taille et activation du code, décalage d'un pixel
# (l'augmentation du notebook 09), bruit gaussien à l'entrée (le débruitage du notebook 07).
CANDIDATES = {
    "ae05": dict(hidden=(128, 64), code=32, activation="relu"),
    "ae05-lineaire": dict(hidden=(128, 64), code=32, activation=None),
    "large": dict(hidden=(512, 256), code=32, activation=None),
    "large+decalage": dict(hidden=(512, 256), code=32, activation=None, shift=True),
    "large+bruit": dict(hidden=(512, 256), code=32, activation=None, noise=0.3),
    "large+decalage-code10": dict(hidden=(512, 256), code=10, activation=None, shift=True),
    "profond+decalage": dict(hidden=(1000, 500, 250), code=30, activation=None, shift=True),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", default="pixels,acp,ae05", help="représentations")
    parser.add_argument("--classifiers", default="logistique,1-ppv,propagation")
    parser.add_argument("--n", default="10,100,1000", help="nombres d'images étiquetées")
    parser.add_argument("--draws", type=int, default=5, help="tirages des étiquettes par n")
    parser.add_argument("--epochs", type=int, default=30, help="époques des autoencodeurs")
    parser.add_argument("--neighbors", type=int, default=10, help="k du graphe de propagation")
    parser.add_argument("--alpha", type=float, default=0.2, help="α de LabelSpreading")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    args.features = args.features.split(",")
    args.classifiers = args.classifiers.split(",")
    args.n = [int(n) for n in args.n.split(",")]
    unknown = [f for f in args.features if f not in ("pixels", "acp", *CANDIDATES)]
    if unknown:
        parser.error(f"représentations inconnues : {unknown} ; connues : {list(CANDIDATES)}")
    return args


def balanced_draw(labels, n, rng):
    """n/10 indices par chiffre, tirés sans remise."""
    import numpy as np

    return np.concatenate(
        [rng.choice(np.flatnonzero(labels == digit), n // 10, replace=False) for digit in range(10)]
    )


def train_autoencoder(x_fit, spec, epochs, seed):
    """Entraîne un autoencodeur candidat sans étiquettes ; renvoie son encodeur et s/époque."""
    import tensorflow as tf

    from ae_utils.config import set_seed
    from ae_utils.models import build_autoencoder, compile_autoencoder, steps_per_execution

    set_seed(seed)
    model = compile_autoencoder(
        build_autoencoder(spec["code"], spec["hidden"], spec["activation"]),
        steps_per_execution(len(x_fit)),
    )
    images = tf.identity(x_fit)
    shift = tf.keras.layers.RandomTranslation(
        1 / 28, 1 / 28, fill_mode="constant", interpolation="nearest", seed=seed
    )
    noise = spec.get("noise", 0.0)

    def pair(index):
        clean = tf.gather(images, index)
        if spec.get("shift"):
            clean = tf.reshape(shift(tf.reshape(clean, (-1, 28, 28, 1))), (-1, 784))
        seen = clean
        if noise:
            seen = tf.clip_by_value(clean + noise * tf.random.normal(tf.shape(clean)), 0.0, 1.0)
        return seen, clean

    stream = (
        tf.data.Dataset.range(len(x_fit))
        .shuffle(len(x_fit), seed=seed)
        .batch(256)
        .map(pair)
        .prefetch(tf.data.AUTOTUNE)
    )
    start = time.perf_counter()
    model.fit(stream, epochs=epochs, verbose=0)
    seconds = (time.perf_counter() - start) / epochs
    return model.get_layer("encodeur"), seconds


def classify(name, features_fit, features_val, labels_fit, index, args):
    """Exactitude de validation d'un classifieur entraîné sur les images `index` seulement."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.semi_supervised import LabelSpreading

    if name == "logistique":
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
        model.fit(features_fit[index], labels_fit[index])
    elif name == "1-ppv":
        model = KNeighborsClassifier(n_neighbors=1).fit(features_fit[index], labels_fit[index])
    elif name.startswith("propagation"):  # « propagation », « propagation:α » ou « …:α:k »
        parts = name.split(":")
        alpha = float(parts[1]) if len(parts) > 1 else args.alpha
        neighbors = int(parts[2]) if len(parts) > 2 else args.neighbors
        partial = np.full(len(labels_fit), -1)
        partial[index] = labels_fit[index]
        model = LabelSpreading(kernel="knn", n_neighbors=neighbors, alpha=alpha, max_iter=100)
        model.fit(features_fit, partial)
    else:
        raise ValueError(f"classifieur inconnu : {name!r}")
    return float(np.mean(model.predict(features_val) == args.labels_val))


def main(argv=None) -> int:
    args = parse_args(argv)
    import numpy as np
    from sklearn.decomposition import PCA
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from ae_utils.config import SEED
    from ae_utils.data import load_mnist, prepare

    (x_train, y_train), _ = load_mnist()  # le jeu de test n'est jamais lu ici
    x_fit, x_val, y_fit, y_val = train_test_split(
        prepare(x_train), y_train, test_size=10_000, stratify=y_train, random_state=SEED
    )
    args.labels_val = y_val
    lines = []
    for feature in args.features:
        seconds = ""
        if feature == "pixels":
            f_fit, f_val = x_fit, x_val
        elif feature == "acp":
            pca = PCA(n_components=32, svd_solver="covariance_eigh", random_state=SEED).fit(x_fit)
            f_fit, f_val = pca.transform(x_fit), pca.transform(x_val)
        else:
            encoder, per_epoch = train_autoencoder(x_fit, CANDIDATES[feature], args.epochs, SEED)
            seconds = f"{per_epoch:.2f}"
            f_fit = encoder.predict(x_fit, batch_size=1000, verbose=0)
            f_val = encoder.predict(x_val, batch_size=1000, verbose=0)
        scaler = StandardScaler().fit(f_fit)  # sans étiquettes : toutes les images d'apprentissage
        f_fit, f_val = scaler.transform(f_fit), scaler.transform(f_val)
        for classifier in args.classifiers:
            for n in args.n:
                start = time.perf_counter()
                scores = []
                for draw in range(args.draws):
                    rng = np.random.default_rng(SEED + draw)
                    index = balanced_draw(y_fit, n, rng)
                    scores.append(classify(classifier, f_fit, f_val, y_fit, index, args))
                took = (time.perf_counter() - start) / args.draws
                line = [
                    feature,
                    classifier,
                    str(n),
                    f"{100 * np.mean(scores):.1f} ± {100 * np.std(scores):.1f}",
                    f"{took:.1f}",
                    seconds,
                ]
                print(" | ".join(line), flush=True)
                lines.append(line)
    if not args.no_record:
        record(lines, args, argv)
    return 0


def record(lines, args, argv) -> None:
    header = ["représentation", "classifieur", "n", "validation (%)", "s / tirage", "s / époque"]
    command = " ".join(["python benchmarks/few_labels.py", *(argv or sys.argv[1:])])
    text = (
        f"# Peu d'étiquettes : exactitude de validation (`{command}`)\n\n"
        f"Mesuré le {date.today().isoformat()} sur {machine()}, au commit {commit()}.\n"
        f"{args.draws} tirages des étiquettes par n (graines 42 et suivantes) ; autoencodeurs : "
        f"{args.epochs} époques sur 50 000 images sans étiquettes ; propagation : "
        f"k = {args.neighbors}, α = {args.alpha}, sauf si le nom les donne (propagation:α:k).\n\n"
        "| "
        + " | ".join(header)
        + " |\n|"
        + "---|" * len(header)
        + "\n"
        + "".join("| " + " | ".join(line) + " |\n" for line in lines)
    )
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    RESULTS.write_text(previous + ("\n" if previous else "") + text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
