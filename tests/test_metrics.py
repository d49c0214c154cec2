"""Tests de ae_utils.metrics : le PSNR (notebook 04), sa moyenne (07), l'erreur de Hinton (09)."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from ae_utils.metrics import hinton_error, mean_psnr, psnr

# --- Métrique PSNR ------------------------------------------------------------------------


def test_psnr_known_values():
    target = np.zeros((3, 784), dtype=np.float32)
    prediction = np.stack([np.full(784, 0.1), np.full(784, np.sqrt(0.001)), np.zeros(784)])
    values = np.asarray(psnr(target, prediction.astype(np.float32)))
    np.testing.assert_allclose(values, [20.0, 30.0, 100.0], rtol=1e-5)


def test_psnr_rejects_mismatched_sizes_in_french():
    with pytest.raises(ValueError, match="reçu 784 valeurs par image pour la cible et 10"):
        psnr(np.zeros((2, 784), np.float32), np.zeros((2, 10), np.float32))


def test_psnr_accepts_a_bfloat16_prediction():
    target = np.zeros((2, 784), dtype=np.float32)
    prediction = keras.ops.cast(np.full((2, 784), 0.1, dtype=np.float32), "bfloat16")
    np.testing.assert_allclose(np.asarray(psnr(target, prediction)), [20.0, 20.0], atol=0.05)


def test_psnr_rejects_mismatched_lengths_in_french():
    with pytest.raises(ValueError, match="reçu 5 cibles et 3 prédictions"):
        psnr(np.zeros((5, 784), np.float32), np.zeros((3, 784), np.float32))


def test_mean_psnr_is_the_mean_of_the_psnr_of_each_image():
    target = np.zeros((2, 784), dtype=np.float32)
    prediction = np.stack([np.full(784, 0.1), np.full(784, np.sqrt(0.001))]).astype(np.float32)
    assert mean_psnr(target, prediction) == pytest.approx(25.0, rel=1e-5)  # (20 + 30) / 2


def test_hinton_error_sums_over_pixels_and_averages_over_images():
    images = np.zeros((2, 784), dtype=np.float32)
    reconstructions = np.stack([np.full(784, 0.1), np.zeros(784)]).astype(np.float32)
    # 784 × 0,01 = 7,84 pour la première image, 0 pour la seconde : moyenne 3,92
    assert hinton_error(images, reconstructions) == pytest.approx(3.92, rel=1e-5)


@pytest.mark.parametrize("function", [mean_psnr, hinton_error])
def test_mean_metrics_reject_mismatched_shapes_in_french(function):
    with pytest.raises(
        ValueError, match=r"de même forme \(n, 784\) : reçu \(5, 784\) et \(3, 784\)"
    ):
        function(np.zeros((5, 784), np.float32), np.zeros((3, 784), np.float32))
