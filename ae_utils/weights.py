"""Les poids livrés avec la série : des modèles longs à entraîner, vérifiés avant d'être chargés.

Quatre modèles demandent chacun, sur deux cœurs, une trop grande part des dix minutes d'un
notebook pour apprendre : le débruiteur élargi du notebook 07, l'autoencodeur profond du 09, le
VAE du 11 et le VAE conditionnel du 12. Leurs poids sont
produits par `scripts/weights.py` (`make weights`), rangés en float16 dans `poids/` (la moitié
de la place, sans perte mesurable : le manifeste donne le chiffre atteint avec les deux) et
décrits dans `poids/manifeste.json` : fichier, empreinte SHA-256, recette, commit, durée
d'entraînement, machine, chiffre atteint. `load_shipped_weights` vérifie l'empreinte avant de
charger : un fichier abîmé ou remplacé est refusé, avec un message qui dit quoi faire.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "poids"
MANIFEST = WEIGHTS_DIR / "manifeste.json"


def sha256(path: str | Path) -> str:
    """L'empreinte SHA-256 d'un fichier, en hexadécimal."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_manifest(manifest: str | Path = MANIFEST) -> dict:
    """Le manifeste des poids livrés : {nom: description}."""
    manifest = Path(manifest)
    if not manifest.is_file():
        raise FileNotFoundError(
            f"Manifeste des poids livrés introuvable : {manifest}. Il fait partie du dépôt "
            "(dossier poids/) ; `make weights` le reconstruit."
        )
    return json.loads(manifest.read_text(encoding="utf-8"))


def load_shipped_weights(model, name: str, manifest: str | Path = MANIFEST) -> dict:
    """Charge dans `model` les poids livrés `name`, après avoir vérifié leur empreinte SHA-256.

    Les poids sont stockés en float16 et rendus au modèle en float32. Renvoie la description du
    manifeste (recette, durée, machine, chiffre atteint), pour que le notebook la cite.
    """
    entries = read_manifest(manifest)
    if name not in entries:
        raise KeyError(
            f"Poids livrés inconnus : {name!r}. Noms disponibles : {', '.join(sorted(entries))}."
        )
    entry = entries[name]
    path = Path(manifest).parent / entry["fichier"]
    if not path.is_file():
        raise FileNotFoundError(
            f"Fichier de poids introuvable : {path}. Il fait partie du dépôt (dossier poids/) ; "
            "`make weights` le reconstruit."
        )
    digest = sha256(path)
    if digest != entry["sha256"]:
        raise ValueError(
            f"{path.name} : empreinte SHA-256 {digest[:12]}…, le manifeste attend "
            f"{entry['sha256'][:12]}… Le fichier est abîmé ou ne correspond pas au manifeste : "
            "reprenez-le du dépôt (git checkout poids/) ou reconstruisez-le (make weights)."
        )
    with np.load(path) as data:
        arrays = [data[f"arr_{i}"].astype("float32") for i in range(len(data.files))]
    expected = [tuple(w.shape) for w in model.get_weights()]
    found = [tuple(a.shape) for a in arrays]
    if expected != found:
        raise ValueError(
            f"{path.name} : {len(found)} tableaux de poids de formes {found[:3]}…, le modèle en "
            f"attend {len(expected)} de formes {expected[:3]}… : l'architecture ne correspond "
            "pas à la recette du manifeste."
        )
    model.set_weights(arrays)
    return entry


def save_float16(model, path: str | Path) -> Path:
    """Écrit les poids de `model` en float16 (un .npz), sans jamais laisser un fichier à moitié."""
    path = Path(path)
    partial = path.with_name(path.stem + ".partiel.npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(partial, *[np.asarray(w).astype(np.float16) for w in model.get_weights()])
    partial.replace(path)
    return path
