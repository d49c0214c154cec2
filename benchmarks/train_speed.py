"""Vitesse d'entraînement, côte à côte, sur la même machine et les mêmes données.

Trois lignes, pour le même modèle (784-128-64-32-64-128-784), le même optimiseur (Adam,
taux 0,001), les mêmes lots de 256 images mélangées, le même nombre d'époques, avec
validation sur le jeu de test à chaque époque :

1. « tutoriel »  : le code du tutoriel, tel quel (`model.fit` sur des tableaux NumPy) ;
2. « notebooks » : le chemin d'entraînement des notebooks (`ae_utils.models`) ;
   « notebooks+bf16 » : le même en précision mixte bfloat16 (un essai, pour comparer) ;
3. « pytorch »   : une boucle PyTorch simple sur CPU (ignorée, avec un message, si torch
   n'est pas installé : pip install -r benchmarks/requirements-torch.txt).

Chaque ligne tourne dans un processus neuf (mémoire maximale propre, aucun état partagé) ;
avec --repeat R, les lignes sont alternées R fois et l'on garde la médiane. La première
époque (mise en route) est donnée à part. Les rapports sont calculés dans ce même lancement :
ces machines sont partagées, seuls les rapports d'un même lancement se comparent.

    python benchmarks/train_speed.py --epochs 10 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import machine  # noqa: E402 — même description de la machine partout

ROWS = ("tutoriel", "notebooks", "notebooks+bf16", "pytorch")
BATCH_SIZE = 256


# --- Une ligne, dans son propre processus ---------------------------------------------------


def load_data():
    from ae_utils.data import load_mnist, prepare

    (x_train, _), (x_test, _) = load_mnist()
    return prepare(x_train), prepare(x_test)


def keras_epoch_times():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):  # validation comprise
            self.times.append(time.perf_counter() - self.start)

    return EpochTimer()


def run_tutorial(epochs: int) -> tuple[list[float], object, object]:
    from ae_utils.models import build_dnn_autoencoder  # le code du tutoriel, tel quel

    x_train, x_test = load_data()
    autoencoder = build_dnn_autoencoder()
    autoencoder.compile(optimizer='adam', loss='mse', metrics=['accuracy'])
    timer = keras_epoch_times()
    autoencoder.fit(x_train, x_train, epochs=epochs, batch_size=BATCH_SIZE, shuffle=True,
                    validation_data=(x_test, x_test), callbacks=[timer], verbose=0)
    return timer.times, autoencoder.predict(x_test, verbose=0), x_test


def run_notebooks(epochs: int) -> tuple[list[float], object, object]:
    from ae_utils.models import train_autoencoder

    x_train, x_test = load_data()
    timer = keras_epoch_times()
    model, _ = train_autoencoder(x_train, x_test, epochs=epochs, batch_size=BATCH_SIZE,
                                 callbacks=[timer])
    return timer.times, model.predict(x_test, verbose=0), x_test


def run_notebooks_bf16(epochs: int) -> tuple[list[float], object, object]:
    """Le chemin des notebooks en précision mixte bfloat16 (un essai, à comparer)."""
    import keras

    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    times, prediction, x_test = run_notebooks(epochs)
    return times, prediction.astype("float32"), x_test


def run_pytorch(epochs: int) -> tuple[list[float], object, object]:
    import torch
    from torch import nn

    torch.set_num_threads(os.cpu_count())
    x_train_np, x_test_np = load_data()
    x_train, x_test = torch.from_numpy(x_train_np), torch.from_numpy(x_test_np)
    sizes = [784, 128, 64, 32, 64, 128, 784]
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        linear = nn.Linear(n_in, n_out)
        nn.init.xavier_uniform_(linear.weight)  # comme glorot_uniform de Keras
        nn.init.zeros_(linear.bias)  # biais nuls, comme Keras
        layers += [linear, nn.Sigmoid() if i == len(sizes) - 2 else nn.ReLU()]
    model = nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)  # réglages de Keras
    loss_fn = nn.MSELoss()
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.train()
        for idx in torch.randperm(len(x_train)).split(BATCH_SIZE):
            batch = x_train[idx]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(batch), batch)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():  # validation sur le test, comme validation_data
            val = sum(loss_fn(model(b), b).item() * len(b) for b in x_test.split(BATCH_SIZE))
            _ = val / len(x_test)
        times.append(time.perf_counter() - start)
    with torch.no_grad():
        prediction = model(x_test).numpy()
    return times, prediction, x_test_np


def child(row: str, epochs: int) -> None:
    """Mesure une ligne et écrit le résultat en JSON sur la sortie standard."""
    import numpy as np

    from ae_utils.config import set_seed

    set_seed(42)
    if row == "pytorch":
        import torch

        torch.manual_seed(42)
    runner = {"tutoriel": run_tutorial, "notebooks": run_notebooks,
              "notebooks+bf16": run_notebooks_bf16, "pytorch": run_pytorch}[row]
    times, prediction, x_test = runner(epochs)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mse = float(np.mean((x_test - prediction) ** 2))
    print(json.dumps({"row": row, "times": times, "test_mse": mse, "peak_mib": peak_mib}))


# --- Le lancement complet -------------------------------------------------------------------


def torch_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def measure(row: str, epochs: int) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    out = subprocess.run([sys.executable, __file__, "--child", row, "--epochs", str(epochs)],
                         capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"La ligne « {row} » a échoué :\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10, help="époques par mesure (≥ 2)")
    parser.add_argument("--repeat", type=int, default=1, help="mesures par ligne (médiane)")
    parser.add_argument("--rows", default=",".join(ROWS), help="lignes à mesurer, séparées "
                        "par des virgules (tutoriel,notebooks,notebooks+bf16,pytorch)")
    parser.add_argument("--child", choices=ROWS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.epochs < 2:
        parser.error(f"--epochs doit valoir au moins 2 (la première époque est à part), "
                     f"reçu : {args.epochs}")
    if args.repeat < 1:
        parser.error(f"--repeat doit valoir au moins 1, reçu : {args.repeat}")
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = [r for r in rows if r not in ROWS]
    if unknown or "tutoriel" not in rows:
        parser.error(f"--rows attend des lignes parmi {', '.join(ROWS)}, dont « tutoriel » "
                     f"(la référence des rapports), reçu : {args.rows!r}")
    if args.child:
        child(args.child, args.epochs)
        return
    if "pytorch" in rows and not torch_available():
        print("Ligne « pytorch » ignorée : torch n'est pas installé "
              "(pip install -r benchmarks/requirements-torch.txt).\n")
        rows.remove("pytorch")

    results: dict[str, list[dict]] = {row: [] for row in rows}
    for r in range(args.repeat):
        for row in rows:  # lignes alternées : le bruit de la machine se répartit
            print(f"mesure {r + 1}/{args.repeat} : {row}…", file=sys.stderr, flush=True)
            results[row].append(measure(row, args.epochs))

    def summary(runs: list[dict]) -> dict:
        steady = [statistics.mean(run["times"][1:]) for run in runs]
        return {
            "first": statistics.median(run["times"][0] for run in runs),
            "epoch": statistics.median(steady),
            "mse": statistics.median(run["test_mse"] for run in runs),
            "peak": max(run["peak_mib"] for run in runs),
        }

    table = {row: summary(runs) for row, runs in results.items()}
    ref = table["tutoriel"]
    print(f"Machine : {machine()} ; "
          f"{args.epochs} époques, lots de {BATCH_SIZE}, {args.repeat} mesure(s) par ligne\n")
    print("| ligne | 1re époque (s) | s / époque | images / s | MSE de test | mémoire max. (Mio) "
          "| vitesse / tutoriel | MSE / tutoriel | mémoire / tutoriel |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row, t in table.items():
        print(f"| {row} | {t['first']:.2f} | {t['epoch']:.2f} | {60000 / t['epoch']:,.0f} "
              f"| {t['mse']:.4f} | {t['peak']:.0f} | ×{ref['epoch'] / t['epoch']:.2f} "
              f"| {t['mse'] / ref['mse']:.3f} | {t['peak'] / ref['peak']:.2f} |"
              .replace(",", " "))


if __name__ == "__main__":
    main()
