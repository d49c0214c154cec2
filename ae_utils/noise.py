"""Les corruptions d'images du débruitage (présentées dans le notebook 07).

Les images sont préparées (`ae_utils.data.prepare` : (n, 784) dans [0, 1]) ; chaque fonction
tire ses valeurs au hasard avec le générateur NumPy `rng` qu'on lui donne
(`np.random.default_rng(graine)`), et renvoie un nouveau tableau sans modifier `images`.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from ._options import french_options
from .data import check_prepared


def _check(images, rng, name: str, value: float, what: str, at_most: float | None) -> None:
    check_prepared(images, "images")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng doit être un générateur NumPy (np.random.default_rng(graine)), "
            f"reçu : {type(rng).__name__}."
        )
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and 0 <= value
        and (at_most is None or value <= at_most)
    )
    if not ok:
        bound = f"entre 0 et {at_most:g}" if at_most is not None else "positif ou nul"
        raise ValueError(f"{name} ({what}) doit être un nombre {bound}, reçu : {value!r}.")


@french_options
def add_gaussian_noise(images: np.ndarray, factor: float, rng: np.random.Generator) -> np.ndarray:
    """Ajoute un bruit gaussien d'écart type `factor`, puis ramène les pixels dans [0, 1]."""
    _check(images, rng, "factor", factor, "écart type du bruit", None)
    noisy = rng.standard_normal(images.shape, dtype=np.float32)
    noisy *= factor  # opérations en place : pas de copie supplémentaire du tableau
    noisy += images
    return np.clip(noisy, 0.0, 1.0, out=noisy)


@french_options
def mask_pixels(images: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Met à 0 une `fraction` des pixels, tirés au hasard."""
    _check(images, rng, "fraction", fraction, "part des pixels masqués", 1)
    keep = rng.random(images.shape) >= fraction
    return images * keep


@french_options
def salt_and_pepper(images: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """Une `fraction` des pixels devient noire ou blanche, à pile ou face."""
    _check(images, rng, "fraction", fraction, "part des pixels touchés", 1)
    hit = rng.random(images.shape) < fraction
    values = (rng.random(images.shape) < 0.5).astype(images.dtype)
    return np.where(hit, values, images)


@french_options
def noisy_pairs(factor: float):
    """La fonction de `tf.data.Dataset.map` du notebook 07 : un lot propre → (lot bruité, lot
    propre), avec un bruit gaussien neuf d'écart type `factor` à chaque appel."""
    if isinstance(factor, bool) or not isinstance(factor, int | float) or factor < 0:
        raise ValueError(
            f"factor (écart type du bruit) doit être un nombre positif ou nul, reçu : {factor!r}."
        )

    def corrupt(images):
        noisy = images + factor * tf.random.normal(tf.shape(images))
        return tf.clip_by_value(noisy, 0.0, 1.0), images

    return corrupt
