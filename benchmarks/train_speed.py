"""Vitesse d'entraînement, côte à côte, sur la même machine et les mêmes données.

Des lignes pour le même modèle (784-128-64-32-64-128-784), le même optimiseur (Adam,
taux 0,001), les mêmes lots de 256 images mélangées à chaque époque, le même nombre d'époques,
avec validation sur le jeu de test à chaque époque :

1. « tutoriel »  : le code du tutoriel, tel quel (`model.fit` sur des tableaux NumPy) ;
2. « notebooks » : le chemin d'entraînement des notebooks (`ae_utils.models`) ;
   « notebooks+bf16 » : le même en précision mixte bfloat16 (un essai, pour comparer) ;
3. « pytorch »   : une boucle PyTorch simple sur CPU (ignorée, avec un message, si torch
   n'est pas installé : pip install -r benchmarks/requirements-torch.txt) ;
4. des candidats pour accélérer le chemin des notebooks (toujours `model.fit`, même modèle,
   mêmes métriques que les notebooks) : voir CANDIDATES ci-dessous, chacun décrit en une
   phrase dans la légende du tableau.

Chaque ligne tourne dans un processus neuf (mémoire maximale propre, aucun état partagé) ;
avec --repeat R, les lignes sont alternées R fois (graines 42, 43… : la même graine pour
toutes les lignes d'un tour) et l'on garde la médiane. La première
époque (mise en route) est donnée à part. Les rapports sont calculés dans ce même lancement :
ces machines sont partagées, seuls les rapports d'un même lancement se comparent. Un lancement
de toutes les lignes écrit benchmarks/results/train_speed.md ; avec --rows, le tableau est
seulement affiché.

    python benchmarks/train_speed.py --epochs 10 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

BATCH_SIZE = 256
RESULTS = Path(__file__).resolve().parent / "results" / "train_speed.md"


# --- Une ligne, dans son propre processus ---------------------------------------------------


def load_data():
    from ae_utils.data import load_mnist, prepare

    (x_train, _), (x_test, _) = load_mnist()
    return prepare(x_train), prepare(x_test)


def keras_epoch_times():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):  # validation comprise
            self.times.append(time.perf_counter() - self.start)

    return EpochTimer()


def run_tutorial(epochs: int) -> tuple[list[float], object, object]:
    from ae_utils.models import build_dnn_autoencoder  # le code du tutoriel, tel quel

    x_train, x_test = load_data()
    autoencoder = build_dnn_autoencoder()
    autoencoder.compile(optimizer='adam', loss='mse', metrics=['accuracy'])
    timer = keras_epoch_times()
    autoencoder.fit(
        x_train,
        x_train,
        epochs=epochs,
        batch_size=BATCH_SIZE,
        shuffle=True,
        validation_data=(x_test, x_test),
        callbacks=[timer],
        verbose=0,
    )
    return timer.times, autoencoder.predict(x_test, verbose=0), x_test


def run_notebooks(epochs: int) -> tuple[list[float], object, object]:
    from ae_utils.models import train_autoencoder

    x_train, x_test = load_data()
    timer = keras_epoch_times()
    model, _ = train_autoencoder(
        x_train, x_test, epochs=epochs, batch_size=BATCH_SIZE, callbacks=[timer]
    )
    return timer.times, model.predict(x_test, verbose=0), x_test


def run_notebooks_bf16(epochs: int) -> tuple[list[float], object, object]:
    """Le chemin des notebooks en précision mixte bfloat16 (un essai, à comparer)."""
    import keras

    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    times, prediction, x_test = run_notebooks(epochs)
    return times, prediction.astype("float32"), x_test


def run_pytorch(epochs: int) -> tuple[list[float], object, object]:
    import torch
    from torch import nn

    torch.set_num_threads(os.cpu_count())
    x_train_np, x_test_np = load_data()
    x_train, x_test = torch.from_numpy(x_train_np), torch.from_numpy(x_test_np)
    sizes = [784, 128, 64, 32, 64, 128, 784]
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        linear = nn.Linear(n_in, n_out)
        nn.init.xavier_uniform_(linear.weight)  # comme glorot_uniform de Keras
        nn.init.zeros_(linear.bias)  # biais nuls, comme Keras
        layers += [linear, nn.Sigmoid() if i == len(sizes) - 2 else nn.ReLU()]
    model = nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)  # réglages de Keras
    loss_fn = nn.MSELoss()
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        for idx in torch.randperm(len(x_train)).split(BATCH_SIZE):
            batch = x_train[idx]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(batch), batch)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():  # validation sur le test, comme validation_data
            val = sum(loss_fn(model(b), b).item() * len(b) for b in x_test.split(BATCH_SIZE))
            _ = val / len(x_test)
        times.append(time.perf_counter() - start)
    with torch.no_grad():
        prediction = model(x_test).numpy()
    return times, prediction, x_test_np


def run_floor(epochs: int) -> tuple[list[float], None, None]:
    """Le plancher : les seuls produits matriciels d'une époque, dans TensorFlow.

    Pour chaque lot de 256 images : les 6 produits de la passe avant et les 11 de la passe
    arrière (gradient des poids de chaque couche, gradient de l'entrée de chaque couche sauf
    la première), sans activation, perte, optimiseur ni métrique ; puis la passe avant sur
    les 10 000 images de test. Aucun entraînement ne peut aller plus vite avec ces calculs :
    c'est la limite de ce que l'on peut gagner sur le reste.
    """
    import tensorflow as tf

    x_train, x_test = load_data()
    sizes = [784, 128, 64, 32, 64, 128, 784]
    weights = [
        tf.random.normal((n_in, n_out), stddev=0.05)
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    train, test = tf.constant(x_train), tf.constant(x_test)

    @tf.function
    def epoch(train, test):
        total = tf.constant(0.0)
        for start in tf.range(0, 60000, BATCH_SIZE):
            activations = [train[start : start + BATCH_SIZE]]
            for w in weights:  # passe avant
                activations.append(activations[-1] @ w)
            grad = activations[-1]
            for i in reversed(range(len(weights))):  # passe arrière
                total += tf.reduce_sum(tf.matmul(activations[i], grad, transpose_a=True))
                if i > 0:
                    grad = tf.matmul(grad, weights[i], transpose_b=True)
        for start in tf.range(0, 10000, BATCH_SIZE):  # validation : passe avant seule
            h = test[start : start + BATCH_SIZE]
            for w in weights:
                h = h @ w
            total += tf.reduce_sum(h)  # toute la sortie : aucun produit ne peut être élagué
        return total

    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        epoch(train, test).numpy()
        times.append(time.perf_counter() - start)
    return times, None, None


# --- Candidats pour le chemin des notebooks (issue 6) ---------------------------------------
# Même modèle (build_autoencoder), même compilation que compile_autoencoder (Adam 0,001,
# MSE, métriques MAE et PSNR) ; seuls changent l'alimentation en données, steps_per_execution
# et les réglages de TensorFlow indiqués.

WHOLE_EPOCH = 235  # lots par époque : 60 000 / 256 arrondi au-dessus (le dernier a 96 images)


def notebook_model(steps_per_execution: int, metrics: bool = True):
    """Le modèle des notebooks, compilé comme compile_autoencoder, à steps_per_execution près."""
    from ae_utils.metrics import psnr
    from ae_utils.models import build_autoencoder

    model = build_autoencoder()
    model.compile(
        optimizer="adam",
        loss="mse",
        metrics=["mae", psnr] if metrics else None,
        steps_per_execution=steps_per_execution,
    )
    return model


def tf_datasets(x_train, x_val, val_batch_size: int = BATCH_SIZE):
    """Pipelines tf.data construits une fois : une seule copie des images, cible = entrée.

    Entraînement : mélange complet à chaque époque (tampon de 60 000), lots de 256,
    paire (x, x) formée après le lot. Validation : lots fixes, gardés en mémoire (`cache`).
    """
    import tensorflow as tf

    train = (
        tf.data.Dataset.from_tensor_slices(x_train)
        .shuffle(len(x_train))
        .batch(BATCH_SIZE)
        .map(lambda x: (x, x))
        .prefetch(tf.data.AUTOTUNE)
    )
    val = (
        tf.data.Dataset.from_tensor_slices(x_val)
        .batch(val_batch_size)
        .map(lambda x: (x, x))
        .cache()
        .prefetch(tf.data.AUTOTUNE)
    )
    return train, val


def tf_datasets_by_index(x_train, x_val):
    """Variante de tf_datasets : on mélange les numéros d'images, puis un `gather` par lot.

    Le tampon de mélange ne contient que 60 000 entiers au lieu de 60 000 images, et chaque
    lot est copié d'un bloc au lieu de 256 copies d'une image (comme le fait Keras pour NumPy,
    mais une seule fois au lieu de deux : la cible est l'entrée).
    """
    import tensorflow as tf

    images = tf.constant(x_train)
    train = (
        tf.data.Dataset.range(len(x_train))
        .shuffle(len(x_train))
        .batch(BATCH_SIZE)
        .map(lambda i: (tf.gather(images, i),) * 2)
        .prefetch(tf.data.AUTOTUNE)
    )
    _, val = tf_datasets(x_train[:1], x_val)
    return train, val


def fit_numpy(epochs: int, steps_per_execution: int) -> tuple[list[float], object, object]:
    """`model.fit` sur les tableaux NumPy, comme train_autoencoder."""
    x_train, x_test = load_data()
    model = notebook_model(steps_per_execution)
    timer = keras_epoch_times()
    model.fit(
        x_train,
        x_train,
        epochs=epochs,
        batch_size=BATCH_SIZE,
        shuffle=True,
        validation_data=(x_test, x_test),
        callbacks=[timer],
        verbose=0,
    )
    return timer.times, model.predict(x_test, verbose=0), x_test


def fit_tf_data(
    epochs: int,
    steps_per_execution: int,
    val_batch_size: int = BATCH_SIZE,
    metrics: bool = True,
    by_index: bool = False,
) -> tuple[list[float], object, object]:
    """`model.fit` sur les pipelines tf.data de tf_datasets."""
    x_train, x_test = load_data()
    if by_index:
        train, val = tf_datasets_by_index(x_train, x_test)
    else:
        train, val = tf_datasets(x_train, x_test, val_batch_size)
    model = notebook_model(steps_per_execution, metrics)
    timer = keras_epoch_times()
    model.fit(train, epochs=epochs, validation_data=val, callbacks=[timer], verbose=0)
    return timer.times, model.predict(x_test, verbose=0), x_test


def fit_deep(
    epochs: int,
    bf16: bool = False,
    jit_compile: bool = False,
    shift: bool = False,
    batch_size: int = BATCH_SIZE,
) -> tuple[list[float], object, object]:
    """L'autoencodeur profond du notebook 09 (784-1000-500-250-30, normalisation par lots,
    entropie croisée, Adam en cosinus), avec ou sans le décalage d'un pixel par image du flux
    tf.data du notebook ; en bfloat16 et/ou compilé par XLA."""
    import keras
    import tensorflow as tf
    from keras import layers

    if bf16:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    x_train, x_test = load_data()
    inputs = keras.Input(shape=(784,))
    x = layers.GaussianNoise(0.1)(inputs)
    for units in (1000, 500, 250, 30, 250, 500, 1000):
        if units == 30:
            x = layers.Dense(30)(x)
            continue
        x = layers.Dense(units, use_bias=False)(x)
        x = layers.Activation("relu")(layers.BatchNormalization()(x))
    outputs = layers.Dense(784, activation="sigmoid", dtype="float32")(x)
    model = keras.Model(inputs, outputs)
    steps = -(-len(x_train) // batch_size)
    model.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, 120 * steps)),
        loss="binary_crossentropy",
        steps_per_execution=next(n for n in range(50, 0, -1) if steps % n == 0),
        jit_compile=jit_compile,
    )
    images = tf.identity(x_train)
    if shift:
        translate = layers.RandomTranslation(
            1 / 28, 1 / 28, fill_mode="constant", interpolation="nearest", seed=42
        )

        def shifted(batch):
            moved = tf.reshape(translate(tf.reshape(batch, (-1, 28, 28, 1))), (-1, 784))
            return moved, moved

        data = {
            "x": tf.data.Dataset.from_tensor_slices(images)
            .shuffle(len(x_train), seed=42)
            .batch(batch_size)
            .map(shifted)
            .prefetch(tf.data.AUTOTUNE),
            "shuffle": False,
        }
    else:
        data = {"x": images, "y": images, "batch_size": batch_size, "shuffle": True}
    timer = keras_epoch_times()
    model.fit(**data, epochs=epochs, callbacks=[timer], verbose=0)
    return timer.times, model.predict(x_test, batch_size=1000, verbose=0), x_test


def fit_notebook05(
    epochs: int,
    jit_compile: bool = False,
    checkpoint: str | None = None,
    bf16: bool = False,
    steps: int = 47,
) -> tuple[list[float], object, object]:
    """L'appel de `fit` du notebook 05 : un seul tenseur, steps_per_execution=47, validation
    sur le test ; avec XLA (`jit_compile=True`) et/ou son `ModelCheckpoint` à chaque époque
    (« modèle » : le fichier .keras complet, « poids » : `save_weights_only`), et/ou en
    précision mixte bfloat16."""
    import tempfile

    import keras
    import tensorflow as tf

    if bf16:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    x_train, x_test = load_data()
    from ae_utils.metrics import psnr
    from ae_utils.models import build_autoencoder

    model = build_autoencoder()
    model.compile(
        optimizer="adam",
        loss="mse",
        metrics=["mae", psnr],
        steps_per_execution=steps,
        jit_compile=jit_compile,
    )
    callbacks = [keras_epoch_times()]
    folder = tempfile.TemporaryDirectory()
    if checkpoint == "modèle":
        path = f"{folder.name}/secours.keras"
        callbacks.append(keras.callbacks.ModelCheckpoint(path))
    elif checkpoint == "poids":
        path = f"{folder.name}/secours.weights.h5"
        callbacks.append(keras.callbacks.ModelCheckpoint(path, save_weights_only=True))
    images = tf.identity(x_train)
    model.fit(
        images,
        images,
        epochs=epochs,
        batch_size=BATCH_SIZE,
        shuffle=True,
        validation_data=(x_test, x_test),
        callbacks=callbacks,
        verbose=0,
    )
    folder.cleanup()
    return callbacks[0].times, model.predict(x_test, verbose=0).astype("float32"), x_test


# --- Les lignes du banc : une entrée par ligne -----------------------------------------------


@dataclass(frozen=True)
class Row:
    """Une ligne du tableau : ce qui l'entraîne, sa légende, ses réglages de processus."""

    run: Callable[[int], tuple[list[float], object, object]]  # époques → (durées, prédiction, x)
    legend: str
    env: dict[str, str] = field(default_factory=dict)  # posé avant d'importer TensorFlow
    inter_op: int | None = None  # tf.config.threading, avant toute opération


ROWS: dict[str, Row] = {
    "tutoriel": Row(run_tutorial, "le code du tutoriel, tel quel : `fit` sur tableaux NumPy"),
    "notebooks": Row(
        run_notebooks,
        "`ae_utils.models.train_autoencoder` : `fit(images, images)` sur un seul tenseur "
        "TensorFlow (une copie des images au lieu de deux), steps_per_execution=47 (235 pas "
        "par époque = 5 × 47 : la barre de progression s'arrête juste à 235/235)",
    ),
    "numpy+spe50": Row(
        lambda epochs: fit_numpy(epochs, 50),
        "l'ancien chemin des notebooks : `fit(x_train, x_train)` sur tableaux NumPy (deux "
        "copies), steps_per_execution=50",
    ),
    "numpy+spe47": Row(
        lambda epochs: fit_numpy(epochs, 47),
        "le même sur NumPy, steps_per_execution=47 : à comparer à numpy+spe50 (l'ancienne "
        "valeur, dont la barre de progression finissait à 250/235)",
    ),
    "notebooks+bf16": Row(run_notebooks_bf16, "le même en précision mixte bfloat16"),
    "pytorch": Row(run_pytorch, "boucle PyTorch simple sur CPU"),
    "plancher": Row(
        run_floor,
        "les seuls produits matriciels d'une époque (avant, arrière, validation), dans "
        "TensorFlow : aucun entraînement de ce modèle ne descend en dessous",
    ),
    "numpy+spe235": Row(
        lambda epochs: fit_numpy(epochs, WHOLE_EPOCH),
        "(b) NumPy, steps_per_execution=235 (toute l'époque en un appel)",
    ),
    "nb05": Row(
        lambda epochs: fit_notebook05(epochs),
        "(issue 16) l'appel de `fit` du notebook 05, sans rappel : un tenseur, "
        "steps_per_execution=47",
    ),
    "nb05+xla": Row(
        lambda epochs: fit_notebook05(epochs, jit_compile=True),
        "(issue 16) le même, le pas d'entraînement compilé par XLA (`jit_compile=True`)",
    ),
    "nb05+bf16": Row(
        lambda epochs: fit_notebook05(epochs, bf16=True),
        "(issue 16) le même, en précision mixte bfloat16 (`mixed_bfloat16`)",
    ),
    "nb05+xla+bf16": Row(
        lambda epochs: fit_notebook05(epochs, jit_compile=True, bf16=True),
        "(issue 16) le même, XLA et bfloat16",
    ),
    "nb05+xla+spe235": Row(
        lambda epochs: fit_notebook05(epochs, jit_compile=True, steps=WHOLE_EPOCH),
        "(issue 16) XLA, toute l'époque en un appel (steps_per_execution=235)",
    ),
    "profond": Row(
        lambda epochs: fit_deep(epochs),
        "(issue 16) l'autoencodeur profond du notebook 09, lots de 256, sans décalage",
    ),
    "profond+décalage": Row(
        lambda epochs: fit_deep(epochs, shift=True),
        "(issue 16) le même, avec le décalage d'un pixel par image du notebook 09 (tf.data)",
    ),
    "profond+bf16": Row(
        lambda epochs: fit_deep(epochs, bf16=True),
        "(issue 16) le même sans décalage, en précision mixte bfloat16",
    ),
    "profond+xla": Row(
        lambda epochs: fit_deep(epochs, jit_compile=True),
        "(issue 16) le même sans décalage, compilé par XLA",
    ),
    "profond+xla+bf16": Row(
        lambda epochs: fit_deep(epochs, bf16=True, jit_compile=True),
        "(issue 16) le même sans décalage, XLA et bfloat16",
    ),
    "profond+lot1024": Row(
        lambda epochs: fit_deep(epochs, batch_size=1024),
        "(issue 16) le même sans décalage, lots de 1 024",
    ),
    "nb05+checkpoint": Row(
        lambda epochs: fit_notebook05(epochs, checkpoint="modèle"),
        "(issue 16) le même, avec le `ModelCheckpoint` du notebook 05 : le modèle complet "
        "(.keras) écrit à chaque époque",
    ),
    "nb05+checkpoint-poids": Row(
        lambda epochs: fit_notebook05(epochs, checkpoint="poids"),
        "(issue 16) le même, `ModelCheckpoint(save_weights_only=True)` : les poids seuls "
        "(.weights.h5) à chaque époque",
    ),
    "tf.data": Row(
        lambda epochs: fit_tf_data(epochs, 50),
        "(a) pipeline tf.data construit une fois, steps_per_execution=50",
    ),
    "tf.data+spe235": Row(
        lambda epochs: fit_tf_data(epochs, WHOLE_EPOCH),
        "(a) + (b) pipeline tf.data, steps_per_execution=235",
    ),
    "tf.data-index+spe235": Row(
        lambda epochs: fit_tf_data(epochs, WHOLE_EPOCH, by_index=True),
        "(d) tf.data, mélange des numéros d'images puis `gather` par lot",
    ),
    "tf.data+spe235+inter1": Row(
        lambda epochs: fit_tf_data(epochs, WHOLE_EPOCH),
        "(c) le même, `tf.config.threading` : inter_op=1",
        inter_op=1,
    ),
    "tf.data+spe235+eigen": Row(
        lambda epochs: fit_tf_data(epochs, WHOLE_EPOCH),
        "(c) le même, sans oneDNN (TF_ENABLE_ONEDNN_OPTS=0)",
        env={"TF_ENABLE_ONEDNN_OPTS": "0"},
    ),
    "tf.data+spe235+val2000": Row(
        lambda epochs: fit_tf_data(epochs, WHOLE_EPOCH, val_batch_size=2000),
        "(d) le même, validation en lots de 2 000",
    ),
    "tf.data+spe235-métriques": Row(
        lambda epochs: fit_tf_data(epochs, WHOLE_EPOCH, metrics=False),
        "(d) diagnostic : le même sans MAE ni PSNR",
    ),
}


def child(row: str, epochs: int, seed: int) -> None:
    """Mesure une ligne et écrit le résultat en JSON sur la sortie standard."""
    import numpy as np

    from ae_utils.config import set_seed

    if ROWS[row].inter_op is not None:
        import tensorflow as tf

        tf.config.threading.set_inter_op_parallelism_threads(ROWS[row].inter_op)
    set_seed(seed)
    if row == "pytorch":
        import torch

        torch.manual_seed(seed)
    times, prediction, x_test = ROWS[row].run(epochs)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mse = None if prediction is None else float(np.mean((x_test - prediction) ** 2))
    print(json.dumps({"row": row, "times": times, "test_mse": mse, "peak_mib": peak_mib}))


# --- Le lancement complet -------------------------------------------------------------------


def torch_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def measure(row: str, epochs: int, seed: int) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", **ROWS[row].env}
    out = subprocess.run(
        [sys.executable, __file__, "--child", row, "--epochs", str(epochs), "--seed", str(seed)],
        capture_output=True,
        text=True,
        env=env,
    )
    if out.returncode != 0:
        raise SystemExit(f"La ligne « {row} » a échoué :\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10, help="époques par mesure (≥ 2)")
    parser.add_argument("--repeat", type=int, default=1, help="mesures par ligne (médiane)")
    parser.add_argument(
        "--rows",
        default=",".join(ROWS),
        help="lignes à mesurer, séparées "
        f"par des virgules, parmi : {','.join(ROWS)} (par défaut : toutes)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="avec --rows : fichier .md où écrire le "
        f"tableau (sans --rows, il va dans {RESULTS.name})",
    )
    parser.add_argument("--child", choices=ROWS, help=argparse.SUPPRESS)
    parser.add_argument("--seed", type=int, default=42, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error(
            f"--epochs doit valoir au moins 2 (la première époque est à part), reçu : {args.epochs}"
        )
    if args.repeat < 1:
        parser.error(f"--repeat doit valoir au moins 1, reçu : {args.repeat}")
    if args.output is not None and args.output.suffix != ".md":
        parser.error(f"--output attend un fichier .md, reçu : {args.output}")
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = [r for r in rows if r not in ROWS]
    if unknown or "tutoriel" not in rows:
        parser.error(
            f"--rows attend des lignes parmi {', '.join(ROWS)}, dont « tutoriel » "
            f"(la référence des rapports), reçu : {args.rows!r}"
        )
    if args.child:
        child(args.child, args.epochs, args.seed)
        return
    if "pytorch" in rows and not torch_available():
        print(
            "Ligne « pytorch » ignorée : torch n'est pas installé "
            "(pip install -r benchmarks/requirements-torch.txt).\n"
        )
        rows.remove("pytorch")

    results: dict[str, list[dict]] = {row: [] for row in rows}
    for r in range(args.repeat):
        for row in rows:  # lignes alternées : le bruit de la machine se répartit ; une graine
            # par mesure (42, 43…), la même pour toutes les lignes : la MSE médiane compare
            # des entraînements, pas un seul tirage
            print(f"mesure {r + 1}/{args.repeat} : {row}…", file=sys.stderr, flush=True)
            results[row].append(measure(row, args.epochs, seed=42 + r))

    def summary(runs: list[dict]) -> dict:
        steady = [statistics.mean(run["times"][1:]) for run in runs]
        return {
            "first": statistics.median(run["times"][0] for run in runs),
            "epoch": statistics.median(steady),
            "mse": (
                None
                if runs[0]["test_mse"] is None
                else statistics.median(run["test_mse"] for run in runs)
            ),
            "peak": max(run["peak_mib"] for run in runs),
        }

    table = {row: summary(runs) for row, runs in results.items()}
    ref = table["tutoriel"]
    lines = [
        "| ligne | 1re époque (s) | s / époque | images / s | MSE de test | mémoire max. (Mio) "
        "| vitesse / tutoriel | MSE / tutoriel | mémoire / tutoriel |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row, t in table.items():
        mse, mse_ratio = (
            ("—", "—")
            if t["mse"] is None  # le plancher n'entraîne rien
            else (f"{t['mse']:.4f}", f"{t['mse'] / ref['mse']:.3f}")
        )
        lines.append(
            f"| {row} | {t['first']:.2f} | {t['epoch']:.2f} | {60000 / t['epoch']:,.0f} "
            f"| {mse} | {t['peak']:.0f} | ×{ref['epoch'] / t['epoch']:.2f} "
            f"| {mse_ratio} | {t['peak'] / ref['peak']:.2f} |".replace(",", " ")
        )
    legend = ["", "Lignes :", ""] + [f"- « {row} » : {ROWS[row].legend}." for row in table]
    print(
        f"Machine : {machine()} ; "
        f"{args.epochs} époques, lots de {BATCH_SIZE}, {args.repeat} mesure(s) par ligne\n"
    )
    print("\n".join(lines + legend))
    if args.rows != ",".join(ROWS) and args.output is None:
        print(
            "\n(--rows : tableau affiché seulement, sauf avec --output ; toutes les lignes "
            f"écrivent {RESULTS.relative_to(RESULTS.parents[2])}.)"
        )
        return
    command = f"--epochs {args.epochs} --repeat {args.repeat}"
    if args.rows != ",".join(ROWS):
        command += f" --rows {','.join(rows)} --output {args.output}"
    write_results(lines + legend, command, args.repeat, "pytorch" in table, args.output or RESULTS)


def write_results(
    lines: list[str], command: str, repeat: int, with_torch: bool, path: Path
) -> None:
    """Écrit le tableau et sa légende (par défaut dans benchmarks/results/train_speed.md)."""
    import platform
    from datetime import date

    import tensorflow as tf

    versions = f"Python {platform.python_version()}, TensorFlow {tf.__version__}"
    if with_torch:
        import torch

        versions += f", torch {torch.__version__}"
    header = [
        f"# Vitesse d'entraînement (`python benchmarks/train_speed.py {command}`)",
        "",
        f"Mesuré le {date.today().isoformat()} sur {machine()}, {versions}, au commit {commit()}.",
        f"Médiane de {repeat} mesure(s) par ligne (graines 42 à {41 + repeat}), lignes "
        "alternées ; la première époque (mise en route) est à part.",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"\nécrit : {path}")


if __name__ == "__main__":
    main()
