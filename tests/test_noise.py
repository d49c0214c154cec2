"""Tests de ae_utils.noise : les corruptions d'images du débruitage (notebook 07)."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from ae_utils.noise import add_gaussian_noise, mask_pixels, noisy_pairs, salt_and_pepper

IMAGES = np.random.default_rng(1).random((50, 784)).astype(np.float32)


def rng():
    return np.random.default_rng(0)


def test_gaussian_noise_is_the_seeded_draw_clipped_to_0_1():
    noisy = add_gaussian_noise(IMAGES, 0.5, rng())
    expected = np.clip(IMAGES + 0.5 * rng().standard_normal(IMAGES.shape, dtype=np.float32), 0, 1)
    np.testing.assert_array_equal(noisy, expected)
    assert noisy.dtype == np.float32 and not np.shares_memory(noisy, IMAGES)


def test_masking_zeroes_about_the_fraction_and_keeps_the_rest():
    masked = mask_pixels(IMAGES, 0.25, rng())
    zeroed = masked == 0
    assert 0.23 < zeroed.mean() < 0.27
    np.testing.assert_array_equal(masked[~zeroed], IMAGES[~zeroed])


def test_salt_and_pepper_turns_the_fraction_black_or_white():
    salted = salt_and_pepper(IMAGES, 0.10, rng())
    changed = salted != IMAGES
    assert 0.08 < changed.mean() < 0.12
    assert set(np.unique(salted[changed])) <= {0.0, 1.0}


def test_zero_noise_changes_nothing():
    np.testing.assert_array_equal(add_gaussian_noise(IMAGES, 0.0, rng()), IMAGES)
    np.testing.assert_array_equal(mask_pixels(IMAGES, 0.0, rng()), IMAGES)
    np.testing.assert_array_equal(salt_and_pepper(IMAGES, 0.0, rng()), IMAGES)


def test_noisy_pairs_draws_new_noise_each_call_and_keeps_the_clean_target():
    corrupt = noisy_pairs(0.5)
    batch = tf.constant(IMAGES)
    (first, target), (second, _) = corrupt(batch), corrupt(batch)
    np.testing.assert_array_equal(target, IMAGES)
    assert not np.array_equal(first, second)
    assert float(tf.reduce_min(first)) >= 0 and float(tf.reduce_max(first)) <= 1


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: add_gaussian_noise(IMAGES, -1, rng()),
            ValueError,
            r"factor \(écart type du bruit\) doit être un nombre positif ou nul, reçu : -1",
        ),
        (
            lambda: mask_pixels(IMAGES, 1.5, rng()),
            ValueError,
            r"fraction \(part des pixels masqués\) doit être un nombre entre 0 et 1, reçu : 1.5",
        ),
        (lambda: salt_and_pepper(IMAGES, "10 %", rng()), ValueError, "reçu : '10 %'"),
        (lambda: add_gaussian_noise(IMAGES, 0.5, 0), TypeError, "générateur NumPy"),
        (
            lambda: add_gaussian_noise(IMAGES.reshape(50, 28, 28), 0.5, rng()),
            ValueError,
            "appelez prepare",
        ),
        (lambda: noisy_pairs(-0.5), ValueError, "reçu : -0.5"),
    ],
)
def test_bad_input_gets_a_french_error(call, error, message):
    with pytest.raises(error, match=message):
        call()
