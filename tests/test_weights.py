"""Les poids livrés (poids/, ae_utils.weights) : présents, vérifiés, et ils atteignent leur chiffre.

Chaque modèle livré est chargé comme le fait son notebook, puis son chiffre est mesuré à
nouveau sur un sous-ensemble du test : la moyenne du sous-ensemble doit tomber à moins de
quatre erreurs types du chiffre du manifeste (mesuré sur les 10 000 images par make weights).
"""

from __future__ import annotations

import math
import shutil

import numpy as np
import pytest

from ae_utils import vae as ae_vae
from ae_utils import weights
from ae_utils.config import SEED
from ae_utils.data import load_mnist, prepare
from ae_utils.models import build_deep_autoencoder

# Le VAE du 11 a sa recette dans scripts/weights.py (make weights vae) ; ses poids ne sont pas
# encore livrés : le 11 l'entraîne lui-même.
NAMES = ("autoencodeur_profond",)


@pytest.fixture(scope="module")
def x_test():
    (_, _), (images, _) = load_mnist()
    return prepare(images)


def built_vae():
    model = ae_vae.VAE(ae_vae.build_vae_encoder(), ae_vae.build_vae_decoder(), seed=SEED)
    model.compile()
    model(np.zeros((1, 784), dtype="float32"))
    return model


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
        total += entry["octets"]
    assert total <= 30 * 2**20, f"{total / 2**20:.1f} Mio de poids livrés : au plus 30"
    # Rien d'autre dans poids/ que les fichiers décrits et le manifeste.
    listed = {entry["fichier"] for entry in manifest.values()} | {weights.MANIFEST.name}
    assert {p.name for p in weights.WEIGHTS_DIR.iterdir()} == listed


def test_float16_loses_nothing_measurable():
    """Sur les mêmes images, les poids arrondis en float16 (livrés) mesurent comme en float32."""
    for name, entry in weights.read_manifest().items():
        compared = entry["float32_contre_float16"]
        for figure, value in compared["float32"].items():
            shipped = compared["float16"][figure]
            assert abs(shipped - value) <= max(0.01 * abs(value), 0.05), (name, figure)


def test_a_damaged_file_is_refused_in_french(tmp_path):
    manifest = tmp_path / "manifeste.json"
    shutil.copyfile(weights.MANIFEST, manifest)
    entry = weights.read_manifest()["autoencodeur_profond"]
    damaged = bytearray((weights.WEIGHTS_DIR / entry["fichier"]).read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    (tmp_path / entry["fichier"]).write_bytes(bytes(damaged))
    model = build_deep_autoencoder()
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match="empreinte SHA-256"):
        weights.load_shipped_weights(model, "autoencodeur_profond", manifest)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


def test_unknown_name_and_wrong_architecture_are_refused_in_french():
    with pytest.raises(KeyError, match="Poids livrés inconnus"):
        weights.load_shipped_weights(build_deep_autoencoder(), "autoencodeur_profnod")
    with pytest.raises(ValueError, match="architecture ne correspond pas"):
        weights.load_shipped_weights(built_vae(), "autoencodeur_profond")


def test_missing_file_says_how_to_get_it_back(tmp_path):
    manifest = tmp_path / "manifeste.json"
    shutil.copyfile(weights.MANIFEST, manifest)
    with pytest.raises(FileNotFoundError, match="make weights"):
        weights.load_shipped_weights(build_deep_autoencoder(), "autoencodeur_profond", manifest)


def test_deep_autoencoder_reaches_its_figure(x_test):
    model = build_deep_autoencoder()
    entry = weights.load_shipped_weights(model, "autoencodeur_profond")
    subset = x_test[:2000]
    errors = np.sum((subset - model.predict(subset, batch_size=1000, verbose=0)) ** 2, axis=1)
    expected = entry["chiffres_float16"]["erreur de test (Hinton et Salakhutdinov)"]
    standard_error = errors.std(ddof=1) / math.sqrt(len(errors))
    assert abs(errors.mean() - expected) < 4 * standard_error, (errors.mean(), expected)
    assert expected < 3.00  # sous le chiffre de Hinton et Salakhutdinov (2006), comme le dit le 09
