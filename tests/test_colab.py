"""La cellule d'installation Colab, exécutée comme Colab l'exécuterait (`make colab-check`).

Un environnement neuf tient lieu de Colab : TensorFlow, Keras, NumPy, Matplotlib et un noyau
IPython préinstallés (comme sur Colab ; ici aux versions de requirements.txt, pour rester hors
ligne), rien de la série (ni ae_utils, ni la copie de MNIST). Un module `google.colab` factice
est importé au démarrage du noyau, comme Colab le fait. L'adresse du dépôt, la constante
`DEPOT` de la cellule, est remplacée par un clone local de ce dépôt, et le dossier `/content`
de Colab par un dossier temporaire. Puis, dans ce noyau, `load_mnist()` doit réussir.

Lent (un environnement neuf avec TensorFlow, environ une minute) : ignoré par `make test`,
lancé par `make colab-check`, que .ci/run appelle après `make test`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Ce que Colab a déjà ; tout le reste doit venir de la cellule.
PREINSTALLED = ("tensorflow-cpu", "keras", "numpy", "matplotlib", "ipykernel")

pytestmark = pytest.mark.skipif(
    os.environ.get("AE_COLAB_CHECK") != "1",
    reason="lent (environnement neuf avec TensorFlow, ~1 min) : lancé par « make colab-check », "
    "que .ci/run appelle après make test",
)


def headers_module():
    spec = importlib.util.spec_from_file_location("headers", ROOT / "scripts" / "headers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pinned(names: tuple[str, ...]) -> list[str]:
    wanted = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        requirement = line.split("#")[0].split(";")[0].strip()
        if requirement and requirement.split("==")[0].lower() in names:
            wanted.append(requirement)
    assert len(wanted) == len(names), wanted
    return wanted


def replace_constant(source: str, name: str, value: str) -> str:
    lines = source.splitlines()
    hits = [i for i, line in enumerate(lines) if line.startswith(f"{name} = ")]
    assert len(hits) == 1, f"la constante {name} devrait apparaître une fois dans la cellule Colab"
    lines[hits[0]] = f"{name} = {value!r}"
    return "\n".join(lines)


def test_colab_cell_makes_the_series_importable_in_a_fresh_colab_like_kernel(tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")

    # 1. « Colab » : un environnement neuf avec ce que Colab préinstalle, et rien de la série.
    colab = tmp_path / "colab"
    subprocess.run([sys.executable, "-m", "venv", str(colab)], check=True)
    python = colab / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            *pinned(PREINSTALLED),
        ],
        check=True,
    )

    # 2. Le dépôt « sur GitHub » : un clone local de ce dépôt.
    remote = tmp_path / "depot-distant"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(remote)], check=True)

    # 3. Le module google.colab que Colab importe au démarrage du noyau.
    stub = tmp_path / "stub" / "google" / "colab"
    stub.mkdir(parents=True)
    (stub.parent / "__init__.py").write_text("")
    (stub / "__init__.py").write_text('"""Module factice : ce noyau se croit sur Colab."""\n')
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab  # comme au démarrage de Colab\n")
    kernel_dir = tmp_path / "jupyter" / "kernels" / "colab"
    kernel_dir.mkdir(parents=True)
    (kernel_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Colab factice",
                "language": "python",
                "env": {
                    "PYTHONPATH": str(tmp_path / "stub"),
                    "IPYTHONDIR": str(tmp_path / "ipython"),
                    "KERAS_HOME": str(tmp_path / "keras"),
                    "TF_CPP_MIN_LOG_LEVEL": "1",
                    "MPLBACKEND": "Agg",
                },
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))

    # 4. La cellule telle que l'écrit scripts/headers.py, l'adresse pointée sur le clone.
    cell = headers_module().colab_cell()
    cell = replace_constant(cell, "DEPOT", f"file://{remote}")
    cell = replace_constant(cell, "COPIE", str(tmp_path / "content" / "depot"))
    before = (
        "import importlib.util, sys\n"
        "print('colab' if 'google.colab' in sys.modules else 'pas colab',\n"
        "      [m for m in ('ae_utils', 'mnist') if importlib.util.find_spec(m)])"
    )
    after = (
        "from ae_utils.data import load_mnist\n"
        "(x_train, y_train), (x_test, y_test) = load_mnist()\n"
        "print(x_train.shape, x_test.shape, x_train.dtype)"
    )
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in (before, cell, after)]
    )
    nbclient.NotebookClient(
        nb, kernel_name="colab", timeout=600, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()

    def text(i: int) -> str:
        return "".join(
            o.get("text", "")
            for o in nb.cells[i].outputs
            if o["output_type"] == "stream" and o["name"] == "stdout"
        )

    errors = [o for c in nb.cells for o in c.outputs if o["output_type"] == "error"]
    assert not errors, (
        f"erreur dans le noyau « Colab » : {errors[0]['ename']} {errors[0]['evalue']}"
    )
    assert text(0).strip() == "colab []", "le noyau doit se croire sur Colab, sans rien de la série"
    assert "(60000, 784)" not in text(2) and "(60000, 28, 28) (10000, 28, 28) uint8" in text(2)
