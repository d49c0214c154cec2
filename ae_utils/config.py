"""Réglages communs à toute la série (présentés dans le notebook 01).

- `FAST` : le mode rapide, lu **ici seulement** dans la variable d'environnement `AE_FAST`
  (`AE_FAST=1` réduit époques et échantillons pour que la CI exécute tous les notebooks
  en quelques minutes ; `make test` la positionne).
- `SEED` : la graine utilisée par tous les notebooks.
- `ARTEFACTS` : le dossier (ignoré par git) où vont les modèles et figures générés :
  `artefacts/complet/` en mode complet, `artefacts/rapide/` en mode rapide, pour qu'un
  modèle vite entraîné par les tests ne soit jamais pris pour celui du mode complet.
"""

from __future__ import annotations

import os
from pathlib import Path

from ae_utils._options import french_options

FAST_ENV = "AE_FAST"
SEED = 42


def read_fast(value: str | None) -> bool:
    """Interprète la valeur de `AE_FAST` : absente, vide ou « 0 » → False ; « 1 » → True."""
    if value is None or value.strip() in ("", "0"):
        return False
    if value.strip() == "1":
        return True
    raise ValueError(
        f"La variable d'environnement {FAST_ENV} doit valoir « 0 » ou « 1 » "
        f"(ou être absente), reçu : {value!r}."
    )


FAST: bool = read_fast(os.environ.get(FAST_ENV))


ARTEFACTS: Path = Path(
    os.environ.get("AE_ARTEFACTS") or Path(__file__).resolve().parent.parent / "artefacts"
) / ("rapide" if FAST else "complet")


@french_options
def set_seed(seed: int = SEED) -> None:
    """Fixe les graines de Python, NumPy et TensorFlow d'un coup (`keras.utils.set_random_seed`)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"La graine doit être un entier positif ou nul, reçu : {seed!r}.")
    import keras

    keras.utils.set_random_seed(seed)
