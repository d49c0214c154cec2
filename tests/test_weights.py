"""Les poids livrés (ae_utils.weights) : écrits en float16, vérifiés par empreinte au chargement.

Le chargeur est testé sur un petit modèle et un manifeste écrits ici. Les poids livrés
eux-mêmes (poids/, par `make weights`) : chaque modèle est chargé comme le fait son notebook, et
son chiffre mesuré à nouveau sur une partie du test ; la moyenne de cette partie doit tomber à
moins de quatre erreurs types du chiffre du manifeste (mesuré sur les 10 000 images).
"""

from __future__ import annotations

import json
import math

import keras
import numpy as np
import pytest

from ae_utils import vae as ae_vae
from ae_utils import weights
from ae_utils.config import SEED, set_seed
from ae_utils.data import load_mnist, prepare
from ae_utils.metrics import psnr
from ae_utils.models import build_autoencoder, build_deep_autoencoder
from ae_utils.noise import add_gaussian_noise

NAMES = ("debruiteur_elargi", "autoencodeur_profond", "vae", "vae_conditionnel")  # 07, 09, 11, 12


@pytest.fixture(scope="module")
def x_test():
    (_, _), (images, _) = load_mnist()
    return prepare(images)


def within_four_standard_errors(values, expected):
    standard_error = values.std(ddof=1) / math.sqrt(len(values))
    assert abs(values.mean() - expected) < 4 * standard_error, (values.mean(), expected)


@pytest.fixture
def shipped_here(tmp_path):
    """Un petit modèle entraîné nulle part, livré dans tmp_path comme le fait make weights."""
    model = build_autoencoder()
    path = weights.save_float16(model, tmp_path / "petit.npz")
    manifest = tmp_path / "manifeste.json"
    entry = {"fichier": path.name, "sha256": weights.sha256(path), "octets": path.stat().st_size}
    manifest.write_text(json.dumps({"petit": entry}), encoding="utf-8")
    return model, manifest


def test_float16_round_trip_loads_the_rounded_weights(shipped_here):
    model, manifest = shipped_here
    fresh = build_autoencoder()
    entry = weights.load_shipped_weights(fresh, "petit", manifest)
    assert entry["fichier"] == "petit.npz"
    for saved, loaded in zip(model.get_weights(), fresh.get_weights(), strict=True):
        assert loaded.dtype == np.float32
        np.testing.assert_array_equal(loaded, saved.astype(np.float16).astype(np.float32))
    assert not list(manifest.parent.glob("*partiel*"))  # rien à moitié écrit


def test_a_damaged_file_is_refused_in_french(shipped_here):
    _, manifest = shipped_here
    path = manifest.parent / "petit.npz"
    damaged = bytearray(path.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    path.write_bytes(bytes(damaged))
    model = build_autoencoder()
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match="empreinte SHA-256"):
        weights.load_shipped_weights(model, "petit", manifest)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


def test_unknown_name_and_wrong_architecture_are_refused_in_french(shipped_here):
    _, manifest = shipped_here
    with pytest.raises(KeyError, match="Poids livrés inconnus"):
        weights.load_shipped_weights(build_autoencoder(), "ptit", manifest)
    with pytest.raises(ValueError, match="architecture ne correspond pas"):
        weights.load_shipped_weights(build_autoencoder(code_size=16), "petit", manifest)


def test_missing_file_or_manifest_says_how_to_get_it_back(shipped_here, tmp_path):
    _, manifest = shipped_here
    (manifest.parent / "petit.npz").unlink()
    with pytest.raises(FileNotFoundError, match="make weights"):
        weights.load_shipped_weights(build_autoencoder(), "petit", manifest)
    with pytest.raises(FileNotFoundError, match="make weights"):
        weights.read_manifest(tmp_path / "absent.json")


def test_manifest_describes_every_shipped_file():
    manifest = weights.read_manifest()
    assert sorted(manifest) == sorted(NAMES)
    total = 0
    for name, entry in manifest.items():
        path = weights.WEIGHTS_DIR / entry["fichier"]
        assert path.is_file(), name
        assert weights.sha256(path) == entry["sha256"], name
        assert path.stat().st_size == entry["octets"], name
        for field in ("recette", "commit", "machine", "date", "secondes_entrainement"):
            assert entry[field], (name, field)
        compared = entry["float32_contre_float16"]  # les mêmes images, les deux précisions
        for figure, value in compared["float32"].items():
            assert abs(compared["float16"][figure] - value) <= max(0.01 * abs(value), 0.05)
        total += entry["octets"]
    assert total <= 30 * 2**20, f"{total / 2**20:.1f} Mio de poids livrés : au plus 30"
    listed = {entry["fichier"] for entry in manifest.values()} | {weights.MANIFEST.name}
    assert {p.name for p in weights.WEIGHTS_DIR.iterdir()} == listed


def test_wide_denoiser_reaches_its_figure(x_test):
    model = build_autoencoder(code_size=128, hidden=(512, 256))
    entry = weights.load_shipped_weights(model, "debruiteur_elargi")
    noisy = add_gaussian_noise(x_test, 0.5, np.random.default_rng(SEED))  # le tirage du 07
    subset = slice(0, 2000)
    restored = model.predict(noisy[subset], batch_size=1000, verbose=0)
    per_image = np.asarray(psnr(x_test[subset], restored))
    expected = entry["chiffres_float16"]["PSNR moyen de test (dB)"]
    within_four_standard_errors(per_image, expected)
    assert expected >= 19  # le 07 annonce au moins 19 dB
    curve = entry["courbe"]  # la courbe que trace le 07, et l'époque gardée par l'arrêt anticipé
    assert len(curve["psnr"]) == len(curve["val_psnr"]) <= 50
    assert 1 <= curve["époque gardée"] <= len(curve["val_psnr"])


def test_deep_autoencoder_reaches_its_figure(x_test):
    subset = x_test[:2000]
    model = build_deep_autoencoder()
    entry = weights.load_shipped_weights(model, "autoencodeur_profond")
    errors = np.sum((subset - model.predict(subset, batch_size=1000, verbose=0)) ** 2, axis=1)
    expected = entry["chiffres_float16"]["erreur de test (Hinton et Salakhutdinov)"]
    within_four_standard_errors(errors, expected)
    assert expected < 3.00  # sous le chiffre de Hinton et Salakhutdinov (2006), comme le dit le 09


def test_vae_reaches_its_figure(x_test):
    model = ae_vae.VAE(ae_vae.build_vae_encoder(), ae_vae.build_vae_decoder(), seed=SEED)
    model.compile()
    model(x_test[:1])
    entry = weights.load_shipped_weights(model, "vae")
    test_binary = ae_vae.binarize(x_test, np.random.default_rng(SEED))[:200]  # le tirage du 11
    set_seed(SEED)
    nll = ae_vae.importance_nll(model.encoder, model.decoder, test_binary, k=1000)
    expected = entry["chiffres_float16"]["NLL de test, k = 1000 (nats)"]
    within_four_standard_errors(nll, expected)
    assert expected <= 90  # le VAE du 11 reste sous 90 nats


def test_conditional_vae_reaches_its_figure(x_test):
    (_, _), (_, y_test) = load_mnist()
    onehot = keras.utils.to_categorical(y_test, 10)
    model = ae_vae.CVAE(
        ae_vae.build_cvae_encoder(), ae_vae.build_cvae_decoder(), beta=2.0, seed=SEED
    )
    model.compile()
    model((x_test[:1], onehot[:1]))
    entry = weights.load_shipped_weights(model, "vae_conditionnel")
    test_binary = ae_vae.binarize(x_test, np.random.default_rng(SEED))[:2000]  # le tirage du 12
    set_seed(SEED)
    images, labels = keras.ops.convert_to_tensor(test_binary), keras.ops.convert_to_tensor(onehot)
    reconstruction, kl = model.terms((images, labels[:2000]))
    expected = entry["chiffres_float16"]["−ELBO de test (nats)"]
    within_four_standard_errors(np.asarray(reconstruction + kl), expected)
    assert expected < 100  # le 12 annonce moins de 100 nats
