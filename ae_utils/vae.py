"""L'autoencodeur variationnel (VAE) dense du notebook 11, repris par le notebook 12.

- `binarize` : une binarisation **fixe** (un tirage de Bernoulli par pixel), pour mesurer ;
- `Sampling` : la couche du tirage reparamétré z = μ + σ·ε ;
- `build_vae_encoder` / `build_vae_decoder` : les deux moitiés denses (le décodeur rend des
  logits, la sigmoïde est dans la perte) ;
- `VAE` : le modèle, qui binarise chaque lot à nouveau (binarisation dynamique) et apprend
  l'ELBO, reconstruction **sommée** sur les 784 pixels plus KL analytique, en nats ;
- `NatsReport` : quelques lignes françaises pendant l'entraînement (les deux termes de la perte) ;
- `importance_nll` : la log-vraisemblance négative estimée par échantillonnage préférentiel ;
- `active_units` : les unités du code que le modèle utilise (Burda et al., 2016) ;
- `build_cvae_encoder` / `build_cvae_decoder` / `CVAE` : le VAE **conditionnel** du notebook
  12, l'étiquette (one-hot) en plus à l'entrée de l'encodeur et du décodeur.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from ae_utils.text import fr

PIXELS = 784
LOG_2PI = math.log(2 * math.pi)
REDUCTIONS = ("sum", "mean")


def _check_unit_images(images, name: str) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 2 or images.shape[1] != PIXELS:
        raise ValueError(
            f"{name} : attendu un tableau (n, {PIXELS}) d'images aplaties, reçu la forme "
            f"{images.shape}."
        )
    if images.size and (np.isnan(images).any() or images.min() < 0 or images.max() > 1):
        raise ValueError(
            f"{name} : attendu des intensités entre 0 et 1 (ae_utils.data.prepare), reçu des "
            f"valeurs de {np.nanmin(images)} à {np.nanmax(images)}."
        )
    return images


def binarize(images, rng: np.random.Generator) -> np.ndarray:
    """Un tirage de Bernoulli par pixel : 1 avec la probabilité de son intensité (entre 0 et 1).

    Tirée une fois pour toutes (graine fixée), c'est la binarisation **fixe** d'un jeu de mesure.
    """
    images = _check_unit_images(images, "binarize")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng : attendu un générateur NumPy (np.random.default_rng(graine)), reçu {rng!r}."
        )
    return (rng.random(images.shape) < images).astype("float32")


class Sampling(layers.Layer):
    """z = μ + σ·ε avec ε ~ N(0, I) : le tirage reparamétré (le gradient passe par μ et σ)."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, mean, log_var):
        epsilon = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return mean + ops.exp(0.5 * log_var) * epsilon


def _check_sizes(latent: int, hidden: Sequence[int]) -> None:
    if isinstance(latent, bool) or not isinstance(latent, int) or latent < 1:
        raise ValueError(f"latent (taille du code) : entier ≥ 1 attendu, reçu {latent!r}.")
    if not all(isinstance(h, int) and not isinstance(h, bool) and h >= 1 for h in hidden):
        raise ValueError(f"hidden : des entiers ≥ 1 attendus, reçu {hidden!r}.")


def build_vae_encoder(
    latent: int = 50, hidden: Sequence[int] = (500, 500), activation: str = "tanh"
) -> keras.Model:
    """784 → couches cachées → (μ, log σ²), deux vecteurs de `latent` nombres."""
    _check_sizes(latent, hidden)
    inputs = keras.Input(shape=(PIXELS,), name="image")
    x = inputs
    for units in hidden:
        x = layers.Dense(units, activation=activation)(x)
    mean = layers.Dense(latent, name="moyenne")(x)
    log_var = layers.Dense(latent, name="log_variance")(x)
    return keras.Model(inputs, [mean, log_var], name="encodeur")


def build_vae_decoder(
    latent: int = 50, hidden: Sequence[int] = (500, 500), activation: str = "tanh"
) -> keras.Model:
    """code → couches cachées (dans l'ordre inverse) → 784 logits, un par pixel."""
    _check_sizes(latent, hidden)
    inputs = keras.Input(shape=(latent,), name="code")
    x = inputs
    for units in reversed(hidden):
        x = layers.Dense(units, activation=activation)(x)
    return keras.Model(inputs, layers.Dense(PIXELS, name="logits")(x), name="decodeur")


class VAE(keras.Model):
    """Autoencodeur variationnel : apprend l'ELBO sur des lots binarisés à nouveau à chaque pas.

    `reduction="sum"` : la reconstruction est sommée sur les pixels, une vraie log-vraisemblance
    en nats. `reduction="mean"` reproduit l'erreur de keras-team/keras#3373 (moyenne sur les
    pixels : la KL pèse 784 fois trop). `beta` multiplie la KL dans l'objectif (notebook 12).
    Les métriques affichées sont toujours les vraies : −ELBO = reconstruction + KL, en nats.
    """

    def __init__(self, encoder, decoder, beta: float = 1.0, reduction: str = "sum", seed=None):
        super().__init__()
        if reduction not in REDUCTIONS:
            raise ValueError(f"reduction : « sum » ou « mean » attendu, reçu {reduction!r}.")
        if isinstance(beta, bool) or not isinstance(beta, (int, float)) or not beta >= 0:
            raise ValueError(f"beta : un nombre ≥ 0 attendu, reçu {beta!r}.")
        self.encoder, self.decoder = encoder, decoder
        self.beta, self.reduction = float(beta), reduction
        self.sampling = Sampling(seed)
        self.binarize_seed = keras.random.SeedGenerator(None if seed is None else seed + 1)
        self.trackers = [keras.metrics.Mean(name=n) for n in ("loss", "reconstruction", "kl")]

    def build(self, input_shape=None):  # encodeur et décodeur sont déjà construits
        self.sampling.build(None)
        super().build(input_shape)

    @property
    def metrics(self):
        return self.trackers  # remises à zéro à chaque époque par Keras

    def terms(self, x):
        """Par image : −log p(x|z) pour un tirage de z (reconstruction) et KL(q(z|x) ‖ p(z))."""
        mean, log_var = self.encoder(x)
        z = self.sampling(mean, log_var)
        logits = self.decoder(z)
        reconstruction = ops.sum(ops.binary_crossentropy(x, logits, from_logits=True), axis=-1)
        kl = 0.5 * ops.sum(ops.exp(log_var) + ops.square(mean) - 1.0 - log_var, axis=-1)
        return reconstruction, kl

    def objective(self, reconstruction, kl):
        if self.reduction == "mean":
            reconstruction = reconstruction / PIXELS  # l'erreur : une moyenne sur les pixels
        return ops.mean(reconstruction + self.beta * kl)

    def record(self, reconstruction, kl):
        for tracker, value in zip(
            self.trackers, (reconstruction + kl, reconstruction, kl), strict=True
        ):
            tracker.update_state(value)
        return {t.name: t.result() for t in self.trackers}

    def train_step(self, x):
        noise = keras.random.uniform(ops.shape(x), seed=self.binarize_seed)
        x = ops.cast(noise < x, "float32")  # binarisation dynamique : un nouveau tirage par lot
        with tf.GradientTape() as tape:
            reconstruction, kl = self.terms(x)
            loss = self.objective(reconstruction, kl)
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply(gradients, self.trainable_weights)
        return self.record(reconstruction, kl)

    def test_step(self, x):  # x déjà binarisé une fois pour toutes
        return self.record(*self.terms(x))

    def call(self, x):
        """La reconstruction moyenne : les probabilités des pixels au code μ de chaque image."""
        mean, _ = self.encoder(x)
        return ops.sigmoid(self.decoder(mean))


def build_cvae_encoder(latent: int = 8, hidden: Sequence[int] = (500, 500)) -> keras.Model:
    """(image, étiquette one-hot) → (μ, log σ²) : l'encodeur conditionnel du notebook 12."""
    _check_sizes(latent, hidden)
    image = keras.Input(shape=(PIXELS,), name="image")
    label = keras.Input(shape=(10,), name="chiffre")
    x = layers.Concatenate()([image, label])
    for units in hidden:
        x = layers.Dense(units, activation="tanh")(x)
    mean = layers.Dense(latent, name="moyenne")(x)
    log_var = layers.Dense(latent, name="log_variance")(x)
    return keras.Model([image, label], [mean, log_var], name="encodeur_conditionnel")


def build_cvae_decoder(latent: int = 8, hidden: Sequence[int] = (500, 500)) -> keras.Model:
    """(code, étiquette one-hot) → 784 logits : le décodeur conditionnel du notebook 12."""
    _check_sizes(latent, hidden)
    code = keras.Input(shape=(latent,), name="code")
    label = keras.Input(shape=(10,), name="chiffre")
    x = layers.Concatenate()([code, label])
    for units in reversed(hidden):
        x = layers.Dense(units, activation="tanh")(x)
    return keras.Model(
        [code, label], layers.Dense(PIXELS, name="logits")(x), name="decodeur_conditionnel"
    )


class CVAE(VAE):
    """Le VAE, l'étiquette en plus à l'entrée de l'encodeur et du décodeur (notebook 12).

    Ses données sont des couples (images, étiquettes one-hot) ; seules les images sont
    binarisées à nouveau à chaque lot.
    """

    def terms(self, data):
        x, label = data
        mean, log_var = self.encoder([x, label])
        z = self.sampling(mean, log_var)
        logits = self.decoder([z, label])
        reconstruction = ops.sum(ops.binary_crossentropy(x, logits, from_logits=True), axis=-1)
        kl = 0.5 * ops.sum(ops.exp(log_var) + ops.square(mean) - 1.0 - log_var, axis=-1)
        return reconstruction, kl

    def train_step(self, data):
        x, label = data
        noise = keras.random.uniform(ops.shape(x), seed=self.binarize_seed)
        x = ops.cast(noise < x, "float32")  # binarisation dynamique, l'étiquette ne change pas
        with tf.GradientTape() as tape:
            reconstruction, kl = self.terms((x, label))
            loss = self.objective(reconstruction, kl)
        gradients = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply(gradients, self.trainable_weights)
        return self.record(reconstruction, kl)

    def call(self, data):
        """La reconstruction moyenne : les probabilités des pixels au code μ, avec l'étiquette."""
        x, label = data
        mean, _ = self.encoder([x, label])
        return ops.sigmoid(self.decoder([mean, label]))


class NatsReport(keras.callbacks.Callback):
    """Toutes les `every` époques et à la dernière : −ELBO et ses deux termes, en nats."""

    def __init__(self, every: int = 10):
        super().__init__()
        if isinstance(every, bool) or not isinstance(every, int) or every < 1:
            raise ValueError(f"every : un entier ≥ 1 attendu, reçu {every!r}.")
        self.every = every

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        done, total = epoch + 1, self.params["epochs"]
        if done % self.every and done != total:
            return
        print(
            f"époque {done}/{total} : −ELBO {fr(logs['loss'], '.2f')} nats "
            f"(reconstruction {fr(logs['reconstruction'], '.2f')} + KL {fr(logs['kl'], '.2f')}) "
            f"({fr(time.perf_counter() - self.start, '.0f')} s)"
        )


def log_importance_weights(encoder, decoder, x, k: int):
    """log p(x|z) + log p(z) − log q(z|x) pour k tirages z ~ q(z|x) par image : forme (k, n)."""
    mean, log_var = encoder(x)
    epsilon = keras.random.normal((k, *ops.shape(mean)))
    z = mean + ops.exp(0.5 * log_var) * epsilon  # (k, n, code)
    log_q = -0.5 * ops.sum(ops.square(epsilon) + log_var + LOG_2PI, axis=-1)
    log_prior = -0.5 * ops.sum(ops.square(z) + LOG_2PI, axis=-1)
    logits = ops.reshape(decoder(ops.reshape(z, (-1, ops.shape(z)[-1]))), (k, -1, PIXELS))
    targets = ops.broadcast_to(ops.convert_to_tensor(x), ops.shape(logits))
    log_px = -ops.sum(ops.binary_crossentropy(targets, logits, from_logits=True), axis=-1)
    return log_px + log_prior - log_q


def importance_nll(encoder, decoder, x, k: int = 1000, batch: int = 100, chunk: int = 100):
    """−log p(x) estimé avec k tirages, en nats, pour chaque image binaire de x (tableau (n,)).

    −log p(x) ≈ −log( (1/k) Σ p(x, z_i) / q(z_i|x) ) ; `batch` images et `chunk` tirages à la
    fois, pour garder la mémoire bornée ; la somme est faite en logarithmes (logsumexp).
    """
    x = _check_unit_images(x, "importance_nll").astype("float32")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k (nombre de tirages) : entier ≥ 1 attendu, reçu {k!r}.")
    result = []
    for start in range(0, len(x), batch):
        images = x[start : start + batch]
        weights = ops.concatenate(
            [
                log_importance_weights(encoder, decoder, images, min(chunk, k - done))
                for done in range(0, k, chunk)
            ],
            axis=0,
        )
        result.append(ops.convert_to_numpy(math.log(k) - ops.logsumexp(weights, axis=0)))
    return np.concatenate(result) if result else np.zeros(0, dtype="float32")


def active_units(encoder, x, threshold: float = 0.01) -> tuple[int, np.ndarray]:
    """Le nombre d'unités **actives** du code et la variance de chacune : la variance, sur les
    images x, de la moyenne μ de l'unité ; active si elle dépasse `threshold` (Burda et al.,
    2016 : 10⁻²). Une unité inactive donne le même μ à toutes les images : elle ne code rien."""
    mean, _ = encoder.predict(_check_unit_images(x, "active_units"), batch_size=1000, verbose=0)
    variances = np.var(mean, axis=0)
    return int(np.sum(variances > threshold)), variances
