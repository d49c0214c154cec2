"""Métriques de reconstruction : le PSNR (notebook 04), sa moyenne sur des tableaux NumPy
(notebook 07), l'erreur de Hinton et Salakhutdinov (notebook 09)."""

from __future__ import annotations

import keras
import numpy as np

from ._options import french_options


@keras.saving.register_keras_serializable(package="ae_utils")
def psnr(y_true, y_pred):
    """PSNR (rapport signal sur bruit de crête) de chaque image, en dB, pour des pixels dans [0, 1].

    PSNR = 10 · log10(1 / MSE de l'image) : +10 dB quand l'erreur quadratique est divisée
    par 10. Keras fait la moyenne sur les images du lot : on obtient le PSNR moyen par image.
    L'erreur est bornée à 1e-10 (100 dB) pour qu'une image parfaite ne donne pas l'infini.
    """
    true_count, pred_count = y_true.shape[0], y_pred.shape[0]
    if true_count is not None and pred_count is not None and true_count != pred_count:
        raise ValueError(
            f"psnr compare les images une à une : reçu {true_count} cibles "
            f"et {pred_count} prédictions."
        )
    true_size, pred_size = y_true.shape[-1], y_pred.shape[-1]
    if true_size is not None and pred_size is not None and true_size != pred_size:
        raise ValueError(
            f"psnr compare des images de même taille : reçu {true_size} valeurs par image "
            f"pour la cible et {pred_size} pour la prédiction."
        )
    y_pred = keras.ops.cast(y_pred, y_true.dtype)  # ex. prédiction en bfloat16, cible en float32
    mse = keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
    return 10.0 * keras.ops.log10(1.0 / keras.ops.maximum(mse, 1e-10))


def _same_shapes(name: str, reference, images) -> None:
    if np.shape(reference) != np.shape(images) or np.ndim(reference) != 2:
        raise ValueError(
            f"{name} compare des images une à une, de même forme (n, 784) : reçu "
            f"{np.shape(reference)} et {np.shape(images)}."
        )


@french_options
def mean_psnr(reference, images) -> float:
    """PSNR moyen par image, en dB, de `images` face à `reference` (notebook 07)."""
    _same_shapes("mean_psnr", reference, images)
    return float(np.mean(keras.ops.convert_to_numpy(psnr(reference, images))))


@french_options
def hinton_error(images, reconstructions) -> float:
    """Erreur de Hinton et Salakhutdinov (2006) : somme des carrés sur les 784 pixels de chaque
    image, moyenne sur les images (notebook 09)."""
    _same_shapes("hinton_error", images, reconstructions)
    return float(np.mean(np.sum((images - reconstructions) ** 2, axis=1)))
