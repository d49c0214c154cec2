"""Entraîne les modèles longs de la série et livre leurs poids vérifiés (appelé par `make weights`).

Quatre recettes, chacune exactement celle de son notebook en mode complet :
- `debruiteur_elargi` (notebook 07) : 784-512-256-128, bruit gaussien de facteur 0,5 tiré à
  nouveau à chaque époque, MSE, Adam, au plus 50 époques, lots de 256, arrêt anticipé sur la
  validation (10 000 images mises de côté, comme le notebook) ; chiffres : le PSNR moyen sur les
  10 000 images de test bruitées une fois (graine 42), et la courbe d'apprentissage.
- `autoencodeur_profond` (notebook 09) : 784-1000-500-250-30, normalisation par lots, bruit
  d'entrée 0,1, décalages d'au plus un pixel, entropie croisée, Adam à taux en cosinus depuis
  0,001, 120 époques, lots de 256 ; chiffre : l'erreur de Hinton et Salakhutdinov sur les
  10 000 images de test.
- `vae` (notebook 11) : VAE 784-500-500-50 (tanh), binarisation dynamique, Adam à taux en
  cosinus depuis 0,001, 120 époques, lots de 100 ; chiffres : −ELBO et NLL (k = 1 000) sur les
  10 000 images de test binarisées une fois (graine 42).
- `vae_conditionnel` (notebook 12) : VAE conditionnel 784+10-500-500-8 (tanh), β = 2,
  binarisation dynamique, Adam à taux en cosinus depuis 0,001, 30 époques, lots de 100 ;
  chiffres : −ELBO, ses deux termes et les unités actives sur les 10 000 images de test
  binarisées une fois (graine 42).

Pour chacune : entraînement depuis zéro (graine 42), chiffre mesuré avec les poids float32 puis
avec les mêmes poids arrondis en float16 (ce qui est livré), fichier `poids/NOM.npz`, et entrée
du manifeste `poids/manifeste.json` (fichier, SHA-256, recette, commit, durée, machine,
chiffres). `--verifier` réentraîne sans rien écrire et compare au manifeste : le benchmark qui
montre que la recette retrouve son chiffre.

    python scripts/weights.py                 # les quatre
    python scripts/weights.py vae             # une seule
    python scripts/weights.py --verifier vae  # réentraîne et compare, n'écrit rien
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("AE_FAST", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from run_notebooks import commit, machine  # noqa: E402

from ae_utils import vae as ae_vae  # noqa: E402
from ae_utils.config import SEED, set_seed  # noqa: E402
from ae_utils.data import load_mnist, prepare  # noqa: E402
from ae_utils.metrics import hinton_error, mean_psnr  # noqa: E402
from ae_utils.models import build_autoencoder, build_deep_autoencoder, compile_autoencoder  # noqa: E402
from ae_utils.noise import add_gaussian_noise  # noqa: E402
from ae_utils.weights import MANIFEST, WEIGHTS_DIR, save_float16, sha256  # noqa: E402

EPOCHS = 120


def as_float16(model):
    """Une copie du modèle dont les poids sont arrondis en float16 (ce que livre le dépôt)."""
    twin = keras.models.clone_model(model)
    twin.set_weights([w.astype(np.float16).astype(np.float32) for w in model.get_weights()])
    return twin


def wide_denoiser(x_train, y_train, x_test):
    """Recette du notebook 07 (sections 4 et 5) : mêmes tirages du bruit que le notebook."""
    from sklearn.model_selection import train_test_split

    rng = np.random.default_rng(SEED)
    x_test_noisy = add_gaussian_noise(x_test, 0.5, rng)  # premier tirage du notebook
    x_fit, x_val = train_test_split(x_train, test_size=10_000, random_state=SEED, stratify=y_train)
    x_val_noisy = add_gaussian_noise(x_val, 0.5, rng)  # deuxième tirage
    fit_images = tf.identity(x_fit)

    def corrupt(images):
        noisy = images + 0.5 * tf.random.normal(tf.shape(images))
        return tf.clip_by_value(noisy, 0.0, 1.0), images

    stream = (
        tf.data.Dataset.range(len(x_fit))
        .shuffle(len(x_fit), seed=SEED)
        .batch(256)
        .map(lambda index: tf.gather(fit_images, index))
        .map(corrupt)
        .prefetch(tf.data.AUTOTUNE)
    )
    set_seed(SEED)
    model = compile_autoencoder(build_autoencoder(code_size=128, hidden=(512, 256)))
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
    start = time.perf_counter()
    history = model.fit(
        stream,
        epochs=50,
        shuffle=False,
        validation_data=(x_val_noisy, x_val),
        callbacks=[stop],
        verbose=0,
    )
    seconds = time.perf_counter() - start
    curve = {
        "psnr": [round(float(v), 3) for v in history.history["psnr"]],
        "val_psnr": [round(float(v), 3) for v in history.history["val_psnr"]],
        "époque gardée": int(np.argmin(history.history["val_loss"])) + 1,
    }

    def figures(m):
        def psnr_of(clean, noisy):
            return round(mean_psnr(clean, m.predict(noisy, batch_size=1024, verbose=0)), 3)

        return {
            "PSNR moyen de test (dB)": psnr_of(x_test, x_test_noisy),
            "PSNR moyen de validation (dB)": psnr_of(x_val, x_val_noisy),
        }

    recipe = (
        "notebook 07 : 784-512-256-128-256-512-784 (ReLU, sortie sigmoïde), bruit gaussien de "
        "facteur 0,5 tiré à chaque époque, MSE, Adam (0,001), au plus 50 époques, lots de 256, "
        "arrêt anticipé sur la validation (patience 5, meilleure époque gardée), graine "
        f"{SEED}, 50 000 images d'apprentissage et 10 000 de validation"
    )
    return model, seconds, figures, recipe, as_float16, curve


def deep_autoencoder(x_train, y_train, x_test):
    """Recette du notebook 09 (sections 5 et 6)."""
    shift = keras.layers.RandomTranslation(
        1 / 28, 1 / 28, fill_mode="constant", interpolation="nearest", seed=SEED
    )

    train_images = tf.identity(x_train)

    def shifted_pair(numbers):
        images = tf.gather(train_images, numbers)
        moved = tf.reshape(shift(tf.reshape(images, (-1, 28, 28, 1))), (-1, 784))
        return moved, moved

    stream = (
        tf.data.Dataset.range(len(x_train))
        .shuffle(len(x_train), seed=SEED)
        .batch(256)
        .map(shifted_pair)
        .prefetch(tf.data.AUTOTUNE)
    )
    set_seed(SEED)
    model = build_deep_autoencoder()
    model.compile(
        optimizer=keras.optimizers.Adam(
            keras.optimizers.schedules.CosineDecay(1e-3, EPOCHS * len(stream))
        ),
        loss="binary_crossentropy",
        steps_per_execution=47,
    )
    start = time.perf_counter()
    model.fit(stream, epochs=EPOCHS, shuffle=False, verbose=0)
    seconds = time.perf_counter() - start

    def figures(m):
        error = hinton_error(x_test, m.predict(x_test, batch_size=1000, verbose=0))
        return {"erreur de test (Hinton et Salakhutdinov)": round(error, 4)}

    recipe = (
        "notebook 09 : 784-1000-500-250-30 (ReLU, normalisation par lots, code linéaire), bruit "
        "gaussien 0,1 à l'entrée, décalages d'au plus 1 pixel, entropie croisée binaire, Adam, "
        f"taux en cosinus depuis 0,001, {EPOCHS} époques, lots de 256, graine {SEED}, "
        "60 000 images d'entraînement"
    )
    return model, seconds, figures, recipe


def variational(x_train, y_train, x_test):
    """Recette du notebook 11 (section 5) ; chiffres de la section 6."""
    set_seed(SEED)
    model = ae_vae.VAE(ae_vae.build_vae_encoder(), ae_vae.build_vae_decoder(), seed=SEED)
    steps = EPOCHS * math.ceil(len(x_train) / 100)
    model.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps)),
        steps_per_execution=50,
    )
    model(x_test[:1])
    start = time.perf_counter()
    model.fit(x_train, epochs=EPOCHS, batch_size=100, shuffle=True, verbose=0)
    seconds = time.perf_counter() - start
    test_binary = ae_vae.binarize(x_test, np.random.default_rng(SEED))

    def figures(m, images=test_binary):
        metrics = m.evaluate(images, batch_size=1000, verbose=0, return_dict=True)
        set_seed(SEED)
        nll = ae_vae.importance_nll(m.encoder, m.decoder, images, k=1000)
        return {
            "−ELBO de test (nats)": round(float(metrics["loss"]), 2),
            "NLL de test, k = 1000 (nats)": round(float(nll.mean()), 2),
            "erreur type de la NLL (nats)": round(float(nll.std(ddof=1) / math.sqrt(len(nll))), 2),
        }

    def half(m):
        twin = ae_vae.VAE(ae_vae.build_vae_encoder(), ae_vae.build_vae_decoder(), seed=SEED)
        twin.compile()
        twin(x_test[:1])
        twin.set_weights([w.astype(np.float16).astype(np.float32) for w in m.get_weights()])
        return twin

    recipe = (
        "notebook 11 : VAE 784-500-500-50 (tanh), binarisation dynamique, reconstruction "
        f"sommée sur les pixels, Adam, taux en cosinus depuis 0,001, {EPOCHS} époques, lots de "
        f"100, graine {SEED}, 60 000 images d'entraînement"
    )
    return model, seconds, figures, recipe, half


def conditional(x_train, y_train, x_test):
    """Recette du notebook 12 (section 3) : le flux d'indices mélangés de `fit_or_load`."""
    cvae_epochs, batch = 30, 100
    images, onehot = tf.identity(x_train), tf.one_hot(y_train, 10)

    def pairs(index):
        return tf.gather(images, index), tf.gather(onehot, index)

    set_seed(SEED)
    model = ae_vae.CVAE(
        ae_vae.build_cvae_encoder(), ae_vae.build_cvae_decoder(), beta=2.0, seed=SEED
    )
    steps = cvae_epochs * math.ceil(len(x_train) / batch)
    model.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps)),
        steps_per_execution=50,
    )
    model(pairs(tf.range(1)))
    batches = (
        tf.data.Dataset.range(len(x_train)).shuffle(len(x_train), seed=SEED).batch(batch).map(pairs)
    )
    start = time.perf_counter()
    model.fit(batches, epochs=cvae_epochs, shuffle=False, verbose=0)
    seconds = time.perf_counter() - start
    (_, _), (_, y_test) = load_mnist()
    test_binary = ae_vae.binarize(x_test, np.random.default_rng(SEED))
    onehot_test = keras.utils.to_categorical(y_test, 10)

    def figures(m):
        metrics = m.evaluate(test_binary, onehot_test, batch_size=1000, verbose=0, return_dict=True)
        mean, _ = m.encoder.predict([test_binary, onehot_test], batch_size=1000, verbose=0)
        return {
            "−ELBO de test (nats)": round(float(metrics["loss"]), 2),
            "reconstruction (nats)": round(float(metrics["reconstruction"]), 2),
            "KL (nats)": round(float(metrics["kl"]), 2),
            "unités actives": int(np.sum(np.var(mean, axis=0) > 0.01)),
        }

    def half(m):
        twin = ae_vae.CVAE(ae_vae.build_cvae_encoder(), ae_vae.build_cvae_decoder(), beta=2.0)
        twin.compile()
        twin(pairs(tf.range(1)))
        twin.set_weights([w.astype(np.float16).astype(np.float32) for w in m.get_weights()])
        return twin

    recipe = (
        "notebook 12 : VAE conditionnel, (image, étiquette one-hot) → 500-500 (tanh) → code de 8 "
        "→ (code, étiquette) → 500-500 → 784 logits, β = 2, binarisation dynamique, Adam, taux "
        f"en cosinus depuis 0,001, {cvae_epochs} époques, lots de {batch}, graine {SEED}, "
        "60 000 images d'entraînement"
    )
    return model, seconds, figures, recipe, half


RECIPES = {
    "debruiteur_elargi": wide_denoiser,
    "autoencodeur_profond": deep_autoencoder,
    "vae": variational,
    "vae_conditionnel": conditional,
}


def build(name: str, verify: bool) -> dict:
    (x_train, y_train), (x_test, _) = load_mnist()
    x_train, x_test = prepare(x_train), prepare(x_test)
    result = RECIPES[name](x_train, y_train, x_test)
    model, seconds, figures, recipe = result[:4]
    half = result[4] if len(result) > 4 else as_float16
    curve = result[5] if len(result) > 5 else None
    start = time.perf_counter()
    shipped = figures(half(model))  # ce qui est livré, mesuré sur tout le test
    # float32 contre float16 : sur les 1 000 premières images quand la mesure est coûteuse
    # (la NLL du VAE : 4 minutes par passage sur les 10 000), les deux sur les mêmes images.
    if name == "vae":
        subset = ae_vae.binarize(x_test, np.random.default_rng(SEED))[:1000]
        full, half_subset = figures(model, subset), figures(half(model), subset)
    else:
        full, half_subset = figures(model), shipped
    print(f"{name} : chiffres mesurés en {time.perf_counter() - start:.0f} s", flush=True)
    print(f"{name} : {seconds / 60:.1f} min ; float16 {shipped} ; float32 {full}", flush=True)
    if verify:
        expected = json.loads(MANIFEST.read_text(encoding="utf-8"))[name]["chiffres_float16"]
        print(f"  manifeste : {expected}")
        return {}
    path = save_float16(model, WEIGHTS_DIR / f"{name}.npz")
    entry = {
        "fichier": path.name,
        "sha256": sha256(path),
        "octets": path.stat().st_size,
        "recette": recipe,
        "commit": commit(),
        "date": date.today().isoformat(),
        "machine": machine(),
        "secondes_entrainement": round(seconds),
        "chiffres_float16": shipped,
        "float32_contre_float16": {
            "images de test": 1000 if name == "vae" else 10000,
            "float32": full,
            "float16": half_subset,
        },
    }
    if curve:  # la courbe d'apprentissage complète, que le notebook trace sans réentraîner
        entry["courbe"] = curve
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("noms", nargs="*", help=f"parmi : {', '.join(RECIPES)} (défaut : tous)")
    parser.add_argument("--verifier", action="store_true", help="réentraîne et compare")
    args = parser.parse_args()
    unknown = [n for n in args.noms if n not in RECIPES]
    if unknown:
        parser.error(f"modèle inconnu : {', '.join(unknown)} ; attendu parmi {', '.join(RECIPES)}.")
    names = args.noms or list(RECIPES)
    for name in names:
        entry = build(name, args.verifier)
        if entry:  # écrit après chaque modèle : un arrêt en cours de route garde le premier
            manifest = json.loads(MANIFEST.read_text(encoding="utf-8")) if MANIFEST.exists() else {}
            manifest[name] = entry
            partial = MANIFEST.with_suffix(".partiel")
            partial.write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            partial.replace(MANIFEST)


if __name__ == "__main__":
    main()
