"""Mémoire : vingt modèles neufs, ou un seul modèle remis à zéro (notebook 08, protocole B).

Le protocole B du notebook 08 entraîne un modèle par chiffre. Ce script répète ce geste,
chiffre après chiffre, de deux façons, chacune dans un processus neuf :

- `neufs` : `keras.backend.clear_session()`, puis un modèle construit et compilé à chaque tour
  (ce que faisait le notebook) ;
- `remis à zéro` : un seul modèle, construit une fois ; à chaque tour, ses poids initiaux et les
  variables de son optimiseur sont restaurés (ce que fait le notebook).

Il affiche la mémoire résidente après chaque tour et une empreinte des poids obtenus : les
deux façons doivent donner les mêmes poids au bit près, tour par tour ; le script s'arrête
avec une erreur sinon.

    python benchmarks/model_reuse.py --rounds 10 --epochs 2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import commit, machine  # noqa: E402 — même description partout

MODES = ("neufs", "remis à zéro")
RESULTS = Path(__file__).resolve().parent / "results" / "model_reuse.md"


def resident_mib() -> int:
    """Mémoire résidente du processus (VmRSS, Linux), en Mio."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    raise RuntimeError("VmRSS absent de /proc/self/status : ce script ne tourne que sous Linux.")


def child(mode: str, rounds: int, epochs: int) -> None:
    import keras
    import numpy as np
    import tensorflow as tf

    from ae_utils.config import SEED, set_seed
    from ae_utils.data import load_mnist, prepare
    from ae_utils.models import build_autoencoder, compile_autoencoder, reset, starting_state

    (x_train, y_train), (x_test, _) = load_mnist()
    x_train, x_test = prepare(x_train), prepare(x_test)

    def new_model():
        return compile_autoencoder(build_autoencoder(code_size=16))

    if mode == "remis à zéro":  # les deux fonctions du notebook 08
        set_seed(SEED)
        model = new_model()
        state = starting_state(model)
    rows = []
    for round_ in range(rounds):
        digit = round_ % 10
        x_digit = x_train[y_train == digit]
        if mode == "neufs":
            keras.backend.clear_session()
            set_seed(SEED)
            model = new_model()
        else:
            set_seed(SEED)
            reset(model, state)
        images = tf.identity(x_digit)
        model.fit(images, images, epochs=epochs, batch_size=64, shuffle=True, verbose=0)
        model.predict(x_test, batch_size=1024, verbose=0)
        digest = hashlib.sha256(
            np.concatenate([w.ravel() for w in model.get_weights()]).tobytes()
        ).hexdigest()
        rows.append({"digit": digit, "rss": resident_mib(), "weights": digest[:12]})
    print(json.dumps({"tensorflow": tf.__version__, "rows": rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="modèles entraînés à la suite")
    parser.add_argument("--epochs", type=int, default=2, help="époques par modèle")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    for name in ("rounds", "epochs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} doit être un entier ≥ 1, reçu : {getattr(args, name)}")
    if args.child:
        child(args.child, args.rounds, args.epochs)
        return
    results = {}
    for mode in MODES:
        command = [
            sys.executable,
            __file__,
            "--child",
            mode,
            "--rounds",
            str(args.rounds),
            "--epochs",
            str(args.epochs),
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        report = json.loads(output.strip().splitlines()[-1])
        results[mode], tf_version = report["rows"], report["tensorflow"]
    lines = [
        f"{args.rounds} modèles (code de 16, lots de 64, {args.epochs} époque(s) chacun), "
        f"{machine()}, TensorFlow {tf_version}, commit {commit()}",
        "",
        f"{'tour':>4} {'chiffre':>7} {'neufs (Mio)':>12} {'remis à zéro (Mio)':>19}  poids",
    ]
    for k, (fresh, reused) in enumerate(zip(*results.values(), strict=True)):
        same = "identiques" if fresh["weights"] == reused["weights"] else "DIFFÉRENTS"
        lines.append(
            f"{k + 1:>4} {fresh['digit']:>7} {fresh['rss']:>12} {reused['rss']:>19}  {same}"
        )
    growth = {mode: rows[-1]["rss"] - rows[0]["rss"] for mode, rows in results.items()}
    lines += [
        "",
        f"hausse du 1er au dernier tour : neufs {growth['neufs']:+d} Mio, "
        f"remis à zéro {growth['remis à zéro']:+d} Mio",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS.write_text(
        f"# {__doc__.splitlines()[0]}\n\n`python benchmarks/model_reuse.py "
        f"--rounds {args.rounds} --epochs {args.epochs}`, {date.today()}\n\n"
        f"```\n{text}\n```\n",
        encoding="utf-8",
    )
    if any(f["weights"] != r["weights"] for f, r in zip(*results.values(), strict=True)):
        sys.exit("Les poids diffèrent : la remise à zéro ne reproduit pas un modèle neuf.")


if __name__ == "__main__":
    main()
