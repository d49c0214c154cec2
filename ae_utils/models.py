"""L'autoencodeur dense du tutoriel, en deux sous-modèles (présenté dans le notebook 03).

784 → 128 → 64 → 32 → 64 → 128 → 784, ReLU, sortie sigmoïde. Les tailles sont des
paramètres ; les valeurs par défaut sont celles du tutoriel.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, models

from ae_utils._options import french_options
from ae_utils.data import check_prepared
from ae_utils.metrics import psnr  # importer ae_utils.models déclare aussi psnr à Keras
from ae_utils.text import fr

INPUT_SIZE = 784
CODE_ACTIVATIONS = ("relu", None)  # code du tutoriel (ReLU) ou code linéaire
# Lots enchaînés par appel à l'entraînement (notebook 05) : 60 000 images en lots de 256 font
# 235 pas par époque, et 235 = 5 × 47, donc le compteur de Keras s'arrête juste à 235/235.
STEPS_PER_EXECUTION = 47


def build_dnn_autoencoder():
    """Le modèle du tutoriel, tel quel (notebook 03) : la référence des comparaisons."""
    # Encodeur
    input_img = layers.Input(shape=(784,))
    encoded = layers.Dense(128, activation='relu')(input_img)
    encoded = layers.Dense(64, activation='relu')(encoded)
    encoded = layers.Dense(32, activation='relu')(encoded)

    # Décodeur
    decoded = layers.Dense(64, activation='relu')(encoded)
    decoded = layers.Dense(128, activation='relu')(decoded)
    decoded = layers.Dense(784, activation='sigmoid')(
        decoded
    )  # Sigmoid pour avoir des valeurs entre [0, 1]  # noqa: E501

    # Modèle AutoEncoder complet
    autoencoder = models.Model(input_img, decoded)
    return autoencoder


def _check_sizes(code_size: int, hidden: Sequence[int]) -> tuple[int, ...]:
    def is_size(value) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value > 0

    if not is_size(code_size):
        raise ValueError(
            f"code_size doit être un entier strictement positif, reçu : {code_size!r}."
        )
    if (
        isinstance(hidden, (str, bytes))
        or not isinstance(hidden, Sequence)
        or not all(is_size(units) for units in hidden)
    ):
        raise ValueError(
            "hidden doit être une suite d'entiers strictement positifs, par exemple (128, 64), "
            f"reçu : {hidden!r}."
        )
    return tuple(hidden)


def _check_code_activation(code_activation) -> None:
    if code_activation not in CODE_ACTIVATIONS:
        raise ValueError(
            f"code_activation doit être l'une des valeurs {CODE_ACTIVATIONS}, "
            f"reçu : {code_activation!r}."
        )


@french_options
def build_encoder(
    code_size: int = 32,
    hidden: Sequence[int] = (128, 64),
    code_activation: str | None = "relu",
) -> models.Model:
    """Encodeur dense : 784 → hidden… → code_size, activations ReLU (nom « encodeur »).

    `code_activation` est l'activation de la couche du code : ReLU comme dans le tutoriel,
    ou None pour un code linéaire, qui peut prendre des valeurs négatives (notebooks 09 et 10).
    """
    hidden = _check_sizes(code_size, hidden)
    _check_code_activation(code_activation)
    inputs = layers.Input(shape=(INPUT_SIZE,))
    x = inputs
    for units in hidden:
        x = layers.Dense(units, activation="relu")(x)
    code = layers.Dense(code_size, activation=code_activation)(x)
    return models.Model(inputs, code, name="encodeur")


@french_options
def build_decoder(code_size: int = 32, hidden: Sequence[int] = (128, 64)) -> models.Model:
    """Décodeur dense, miroir de l'encodeur : code_size → …hidden → 784, sortie sigmoïde."""
    hidden = _check_sizes(code_size, hidden)
    code = layers.Input(shape=(code_size,))
    x = code
    for units in reversed(hidden):
        x = layers.Dense(units, activation="relu")(x)
    outputs = layers.Dense(INPUT_SIZE, activation="sigmoid")(x)
    return models.Model(code, outputs, name="decodeur")


@french_options
def build_autoencoder(
    code_size: int = 32,
    hidden: Sequence[int] = (128, 64),
    code_activation: str | None = "relu",
) -> models.Model:
    """Autoencodeur = décodeur(encodeur(image)), nommé « autoencodeur ».

    L'encodeur et le décodeur s'obtiennent par `get_layer("encodeur")` et
    `get_layer("decodeur")`. Avec les valeurs par défaut et la même graine, les poids
    initiaux sont ceux de `build_dnn_autoencoder()` du tutoriel.
    """
    encoder = build_encoder(code_size, hidden, code_activation)
    decoder = build_decoder(code_size, hidden)
    inputs = layers.Input(shape=(INPUT_SIZE,))
    return models.Model(inputs, decoder(encoder(inputs)), name="autoencodeur")


def _is_positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@french_options
def steps_per_execution(n_images: int, batch_size: int = 256, at_most: int = 50) -> int:
    """Nombre de lots par appel qui divise exactement le nombre de pas d'une époque (notebook 05).

    Keras avance le compteur de sa barre de progression de `steps_per_execution` pas à la fois :
    si ce nombre ne divise pas le nombre de pas, la barre finit au-delà de 100 % (250/235).
    Renvoie le plus grand diviseur du nombre de pas qui ne dépasse pas `at_most` (47 pour
    235 pas), ou l'époque entière en un seul appel si ce diviseur est inférieur à 10 (211 pas,
    un nombre premier : 211). Les calculs sont les mêmes quel que soit ce nombre.
    """
    for name, value in (("n_images", n_images), ("batch_size", batch_size), ("at_most", at_most)):
        if not _is_positive_int(value):
            raise ValueError(f"{name} doit être un entier strictement positif, reçu : {value!r}.")
    steps = -(-n_images // batch_size)  # division arrondie au-dessus : le dernier lot incomplet
    divisor = max(d for d in range(1, min(steps, at_most) + 1) if steps % d == 0)
    return divisor if divisor >= min(10, steps) else steps


@french_options
def compile_autoencoder(
    model: models.Model, steps_per_execution: int = STEPS_PER_EXECUTION
) -> models.Model:
    """Compile comme les notebooks 04 et 05 : Adam, perte MSE, métriques MAE et PSNR.

    `steps_per_execution` : Keras enchaîne ce nombre de lots par appel au lieu d'un seul, ce
    qui réduit le coût fixe de chaque pas sans changer les calculs (mesuré dans
    benchmarks/train_speed.py). La valeur par défaut, 47, divise les 235 pas d'une époque sur
    les 60 000 images d'entraînement (voir `steps_per_execution()` pour d'autres tailles).
    """
    if not isinstance(model, models.Model):
        raise TypeError(
            f"compile_autoencoder attend un modèle Keras, reçu : {type(model).__name__}."
        )
    if not _is_positive_int(steps_per_execution):
        raise ValueError(
            "steps_per_execution doit être un entier strictement positif, "
            f"reçu : {steps_per_execution!r}."
        )
    model.compile(
        optimizer="adam", loss="mse", metrics=["mae", psnr], steps_per_execution=steps_per_execution
    )
    return model


@french_options
def save_model(model: models.Model, path: str | Path) -> Path:
    """Sauvegarde au format .keras sans jamais laisser de fichier à moitié écrit (notebook 05).

    Le modèle est écrit dans un fichier temporaire du même dossier, puis renommé : le fichier
    final est soit l'ancien, soit le nouveau, même si l'écriture est interrompue.
    """
    if not isinstance(model, models.Model):
        raise TypeError(f"save_model attend un modèle Keras, reçu : {type(model).__name__}.")
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"Le fichier doit avoir l'extension .keras, reçu : {path.name!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.stem}.tmp.keras")
    try:
        model.save(temporary)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


class EpochReport(keras.callbacks.Callback):
    """Rappel qui résume l'entraînement en quelques lignes françaises (notebook 05).

    Toutes les `every` époques, et à la dernière : le numéro de l'époque, la perte
    d'entraînement, la perte de validation s'il y en a une, et le temps écoulé. À utiliser
    avec `fit(..., verbose=0)`, à la place du journal anglais de Keras (une ligne par époque).
    """

    def __init__(self, every: int = 10):
        super().__init__()
        if not _is_positive_int(every):
            raise ValueError(
                f"every (une ligne toutes les combien d'époques) doit être un entier strictement "
                f"positif, reçu : {every!r}."
            )
        self.every = every

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        done, total = epoch + 1, self.params["epochs"]
        if done % self.every and done != total:
            return
        logs = logs or {}
        line = f"époque {done}/{total} : perte {fr(logs['loss'], '.4f')}"
        if "val_loss" in logs:
            line += f", validation {fr(logs['val_loss'], '.4f')}"
        print(f"{line} ({fr(time.perf_counter() - self.start, '.0f')} s)")


@french_options
def train_autoencoder(
    x_train: np.ndarray,
    x_val: np.ndarray,
    epochs: int = 50,
    batch_size: int = 256,
    code_size: int = 32,
    hidden: Sequence[int] = (128, 64),
    callbacks: list | None = None,
    verbose: int = 0,
) -> tuple[models.Model, keras.callbacks.History]:
    """Construit, compile et entraîne l'autoencodeur comme le notebook 05.

    `fit(images, images)` avec lots mélangés et `x_val` comme validation, où `images` est
    `x_train` copié une fois dans un tenseur TensorFlow (`tf.identity`) : Keras copie chaque
    tableau NumPy qu'il reçoit, `fit(x_train, x_train)` en ferait deux copies. Le nombre de
    lots par appel divise le nombre de pas (`steps_per_execution()`) : la barre de progression
    s'arrête juste à 100 %, quelle que soit la taille des données. Renvoie le
    modèle et l'historique. Les données doivent être préparées (`ae_utils.data.prepare`).
    """
    for name, x in (("x_train", x_train), ("x_val", x_val)):
        check_prepared(x, name)
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} doit être un entier strictement positif, reçu : {value!r}.")
    model = compile_autoencoder(
        build_autoencoder(code_size, hidden), steps_per_execution(len(x_train), batch_size)
    )
    images = tf.identity(x_train)  # une copie, qui sert d'entrée et de cible (notebook 04)
    history = model.fit(
        images,
        images,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        validation_data=(x_val, x_val),
        callbacks=callbacks,
        verbose=verbose,
    )
    return model, history


@french_options
def starting_state(model: models.Model) -> tuple[list, list]:
    """Poids initiaux du modèle et variables de son optimiseur (notebook 08, protocole B).

    Le modèle doit être compilé ; l'optimiseur est construit (moments d'Adam à zéro).
    """
    if getattr(model, "optimizer", None) is None:
        raise ValueError(
            "starting_state attend un modèle compilé (compile_autoencoder), "
            f"reçu un modèle sans optimiseur : {model.name!r}."
        )
    model.optimizer.build(model.trainable_variables)
    return model.get_weights(), [variable.numpy() for variable in model.optimizer.variables]


def reset(model: models.Model, state: tuple[list, list]) -> None:
    """Remet le modèle dans l'état relevé par `starting_state` : comme neuf (notebook 08)."""
    weights, optimizer_values = state
    model.set_weights(weights)
    for variable, value in zip(model.optimizer.variables, optimizer_values, strict=True):
        variable.assign(value)


def load_or_train_autoencoder(
    path: str | Path,
    x_train: np.ndarray,
    x_val: np.ndarray,
    epochs: int = 50,
) -> models.Model:
    """Recharge le modèle du notebook 05, ou l'entraîne et le sauvegarde s'il manque (notebook 06).

    Affiche lequel des deux a eu lieu. L'entraînement est celui de `train_autoencoder`,
    résumé par `EpochReport` (une ligne toutes les 10 époques). Le
    modèle renvoyé est rechargé sans sa compilation (`compile=False`) : il sert à prédire, et
    sa barre de progression compte juste (le réglage `steps_per_execution` de l'entraînement
    n'est pas repris).
    """
    path = Path(path)
    if path.exists():
        print("Modèle chargé : celui entraîné et sauvegardé par le notebook 05.")
    else:
        print(
            f"Aucun modèle sauvegardé : entraînement ici, comme au notebook 05 ({epochs} époques)."
        )
        model, _ = train_autoencoder(x_train, x_val, epochs=epochs, callbacks=[EpochReport()])
        save_model(model, path)
    return keras.models.load_model(path, compile=False)


def build_deep_autoencoder(noise: float = 0.1) -> models.Model:
    """784-1000-500-250-30-250-500-1000-784 : ReLU et normalisation par lots, code linéaire
    (notebook 09, d'après Hinton et Salakhutdinov, 2006). Ses poids entraînés sont livrés
    (`ae_utils.weights`, nom « autoencodeur_profond »)."""
    inputs = keras.Input(shape=(INPUT_SIZE,))
    x = layers.GaussianNoise(noise)(inputs)  # bruit d'entrée, actif à l'entraînement seulement
    for units in (1000, 500, 250):
        x = layers.Dense(units, use_bias=False)(x)  # la normalisation apporte son propre biais
        x = layers.Activation("relu")(layers.BatchNormalization()(x))
    x = layers.Dense(30, name="code")(x)  # code linéaire de 30 nombres, comme dans l'article
    for units in (250, 500, 1000):
        x = layers.Dense(units, use_bias=False)(x)
        x = layers.Activation("relu")(layers.BatchNormalization()(x))
    outputs = layers.Dense(INPUT_SIZE, activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="autoencodeur_profond")
