"""VAE dense du notebook 11 : ce que change chaque réglage, jugé sur la validation.

Encodeur et décodeur denses (couches cachées `--hidden`, code de `--latent` nombres), vraisemblance
de Bernoulli **sommée** sur les 784 pixels, KL analytique. Apprentissage sur 50 000 images
d'entraînement **binarisées dynamiquement** (un nouveau tirage de Bernoulli à chaque lot) ;
mesure sur les 10 000 autres (validation, `train_test_split` stratifié, graine de la série),
binarisées **une fois** (tirage fixe). Le jeu de test n'est jamais lu ici : le notebook 11 le lit
une seule fois, pour la recette retenue, entraînée sur les 60 000 images.

Mesures, en nats par image : l'ELBO (un tirage de z par image) et la log-vraisemblance négative
(NLL) estimée par échantillonnage préférentiel avec k tirages (`--k`, 1 000 par défaut), comme
Burda, Grosse et Salakhutdinov (2016, IWAE) la mesurent avec k = 5 000.

    python benchmarks/vae.py --epochs 100                                 # 784-200-200-50, tanh
    python benchmarks/vae.py --epochs 100 --hidden 512,256 --activation gelu
    python benchmarks/vae.py --epochs 100 --schedule cosinus --warmup 10  # KL progressif

La ligne est ajoutée (ou remplacée) dans benchmarks/results/vae.md.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

RESULTS = Path(__file__).resolve().parent / "results" / "vae.md"
HEADER = [
    "couches cachées",
    "activation",
    "code",
    "lot",
    "pas d'apprentissage",
    "KL progressif (époques)",
    "époques",
    "s/époque",
    "ELBO validation",
    "NLL validation (k)",
    "unités actives",
    "durée (s)",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--hidden", default="200,200", help="tailles des couches cachées")
    parser.add_argument("--activation", default="tanh")
    parser.add_argument("--latent", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--schedule", choices=("fixe", "cosinus"), default="fixe")
    parser.add_argument("--warmup", type=int, default=0, help="époques de KL progressif (0 : non)")
    parser.add_argument("--k", type=int, default=1000, help="tirages pour la NLL")
    parser.add_argument("--nll-images", type=int, default=10_000, help="images pour la NLL")
    parser.add_argument("--no-record", action="store_true", help="ne pas écrire le tableau")
    args = parser.parse_args(argv)
    args.hidden = tuple(int(h) for h in args.hidden.split(","))
    return args


def build(hidden, latent, activation):
    import keras
    from keras import layers

    encoder = keras.Sequential(
        [keras.Input((784,))]
        + [layers.Dense(h, activation=activation) for h in hidden]
        + [layers.Dense(2 * latent)],
        name="encodeur",
    )
    decoder = keras.Sequential(
        [keras.Input((latent,))]
        + [layers.Dense(h, activation=activation) for h in reversed(hidden)]
        + [layers.Dense(784)],  # logits des 784 pixels
        name="decodeur",
    )
    return encoder, decoder


def make_vae(encoder, decoder, latent):
    import keras
    import tensorflow as tf
    from keras import ops

    class VAE(keras.Model):
        def __init__(self):
            super().__init__()
            self.encoder, self.decoder = encoder, decoder
            self.seeds = keras.random.SeedGenerator(0)
            self.beta = keras.Variable(1.0, trainable=False, name="beta")

        def losses_of(self, x):
            mean, log_var = ops.split(self.encoder(x), 2, axis=-1)
            eps = keras.random.normal(ops.shape(mean), seed=self.seeds)
            z = mean + ops.exp(0.5 * log_var) * eps
            logits = self.decoder(z)
            rec = ops.sum(ops.binary_crossentropy(x, logits, from_logits=True), axis=-1)
            kl = 0.5 * ops.sum(ops.exp(log_var) + ops.square(mean) - 1.0 - log_var, axis=-1)
            return ops.mean(rec), ops.mean(kl)

        def train_step(self, data):
            x = data[0] if isinstance(data, tuple) else data
            x = ops.cast(keras.random.uniform(ops.shape(x), seed=self.seeds) < x, "float32")
            with tf.GradientTape() as tape:
                rec, kl = self.losses_of(x)
                loss = rec + self.beta * kl
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply(grads, self.trainable_variables)
            return {"perte": rec + kl, "reconstruction": rec, "kl": kl}

        def test_step(self, data):
            x = data[0] if isinstance(data, tuple) else data
            rec, kl = self.losses_of(x)
            return {"perte": rec + kl, "reconstruction": rec, "kl": kl}

        def call(self, x):
            mean, _ = ops.split(self.encoder(x), 2, axis=-1)
            return ops.sigmoid(self.decoder(mean))

    return VAE()


def importance_nll(encoder, decoder, x, k, chunk=100, batch=20):
    """NLL (nats/image) par échantillonnage préférentiel à k tirages : -log mean_k p(x,z)/q(z|x)."""
    import numpy as np
    import tensorflow as tf

    @tf.function(jit_compile=False, reduce_retracing=True)
    def log_weights(xb, n):
        mean, log_var = tf.split(encoder(xb), 2, axis=-1)
        std = tf.exp(0.5 * log_var)
        eps = tf.random.normal(tf.concat([[n], tf.shape(mean)], 0))
        z = mean + std * eps  # (n, b, d)
        d = tf.cast(tf.shape(mean)[-1], tf.float32)
        log_q = -0.5 * tf.reduce_sum(eps**2 + log_var, -1) - 0.5 * d * math.log(2 * math.pi)
        log_p_z = -0.5 * tf.reduce_sum(z**2, -1) - 0.5 * d * math.log(2 * math.pi)
        flat = tf.reshape(z, (-1, tf.shape(z)[-1]))
        logits = tf.reshape(decoder(flat), (n, -1, 784))
        log_px = -tf.reduce_sum(
            tf.nn.sigmoid_cross_entropy_with_logits(
                labels=tf.broadcast_to(xb, tf.shape(logits)), logits=logits
            ),
            -1,
        )
        return log_px + log_p_z - log_q  # (n, b)

    out = []
    for start in range(0, len(x), batch):
        xb = tf.constant(x[start : start + batch])
        parts = [log_weights(xb, tf.constant(min(chunk, k - i))) for i in range(0, k, chunk)]
        w = tf.concat(parts, 0)
        out.append((tf.reduce_logsumexp(w, 0) - math.log(k)).numpy())
    return -float(np.mean(np.concatenate(out)))


def main(argv=None) -> dict:
    args = parse_args(argv)
    import keras
    import numpy as np
    from sklearn.model_selection import train_test_split

    from ae_utils.config import SEED, set_seed
    from ae_utils.data import load_mnist, prepare

    set_seed(SEED)
    (x_all, y_all), _ = load_mnist()  # le jeu de test n'est pas chargé
    x_train, x_val = train_test_split(
        prepare(x_all), test_size=10_000, random_state=SEED, stratify=y_all
    )
    x_val = (np.random.default_rng(SEED).random(x_val.shape) < x_val).astype("float32")
    encoder, decoder = build(args.hidden, args.latent, args.activation)
    vae = make_vae(encoder, decoder, args.latent)
    steps = args.epochs * math.ceil(len(x_train) / args.batch_size)
    rate = (
        keras.optimizers.schedules.CosineDecay(args.learning_rate, steps)
        if args.schedule == "cosinus"
        else args.learning_rate
    )
    vae.compile(optimizer=keras.optimizers.Adam(rate), steps_per_execution=50)

    class Warmup(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            vae.beta.assign(min(1.0, (epoch + 1) / args.warmup) if args.warmup else 1.0)

        def on_epoch_end(self, epoch, logs=None):
            if (epoch + 1) % 10 == 0 or epoch == 0:
                print(f"époque {epoch + 1} : {logs['perte']:.2f}", flush=True)

    start = time.perf_counter()
    vae.fit(
        x_train,
        epochs=args.epochs,
        batch_size=args.batch_size,
        shuffle=True,
        callbacks=[Warmup()],
        verbose=0,
    )
    train_time = time.perf_counter() - start
    elbo = vae.evaluate(x_val, batch_size=1000, verbose=0, return_dict=True)["perte"]
    mean, log_var = np.split(encoder.predict(x_val, batch_size=1000, verbose=0), 2, axis=-1)
    active = int(np.sum(np.var(mean, axis=0) > 0.01))
    start_nll = time.perf_counter()
    nll = importance_nll(encoder, decoder, x_val[: args.nll_images], args.k)
    nll_time = time.perf_counter() - start_nll
    row = {
        "couches cachées": "-".join(map(str, args.hidden)),
        "activation": args.activation,
        "code": str(args.latent),
        "lot": str(args.batch_size),
        "pas d'apprentissage": f"{args.schedule} {args.learning_rate:g}",
        "KL progressif (époques)": str(args.warmup),
        "époques": str(args.epochs),
        "s/époque": f"{train_time / args.epochs:.1f}",
        "ELBO validation": f"{elbo:.2f}",
        "NLL validation (k)": f"{nll:.2f} ({args.k})",
        "unités actives": f"{active}/{args.latent}",
        "durée (s)": f"{train_time:.0f}",
    }
    print(row, f"NLL en {nll_time:.0f} s", flush=True)
    if not args.no_record:
        record(row)
    return row


def record(row: dict) -> None:
    key = tuple(row[h] for h in HEADER[:7])
    rows = {}
    if RESULTS.exists():
        for line in RESULTS.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if line.startswith("| ") and len(cells) == len(HEADER) and cells[0] != HEADER[0]:
                rows[tuple(cells[:7])] = cells
    rows[key] = [row[h] for h in HEADER]
    lines = [
        "# VAE dense (`python benchmarks/vae.py`)",
        "",
        f"Mesuré le {date.today()} sur {machine()} (commit {commit()}) ; Adam, un processus par "
        "ligne. Apprentissage sur 50 000 images d'entraînement binarisées dynamiquement ; ELBO "
        "(un tirage) et NLL (échantillonnage préférentiel, k tirages) en nats par image, sur les "
        "10 000 autres (validation), binarisées une fois ; le jeu de test n'est pas lu. Unités "
        "actives : variance de la moyenne du code sur la validation > 0,01 (Burda et al., 2016).",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "---|" * len(HEADER),
    ]
    lines += ["| " + " | ".join(cells) + " |" for _, cells in sorted(rows.items())]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
