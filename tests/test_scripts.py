"""Les scripts de scripts/ : en-têtes des notebooks, exécution (make run), normalisation."""

from __future__ import annotations

import json

import pytest
from helpers import NOTEBOOKS, ROOT, script


def test_headers_are_up_to_date():
    assert script("headers").update(check=True) == [], "lancez « make headers »"


def test_the_log_filter_removes_only_startup_information():
    module = script("run_notebooks")
    import nbformat

    startup = (
        "WARNING: All log messages before absl::InitializeLog() is called are written to "
        "STDERR\nI0000 00:00:1795659876.081171   14694 port.cc:153] oneDNN custom "
        "operations are on. You may see slightly different numerical results.\n"
    )
    real = (
        "W0000 00:00:1795659878.779513   14694 op_level_cost_estimator.cc:699] Error in "
        "PredictCost()\n/site-packages/keras/src/trainer.py:12: UserWarning: vrai\n"
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                outputs=[
                    nbformat.v4.new_output("stream", name="stderr", text=startup),
                    nbformat.v4.new_output("stream", name="stdout", text=startup),
                ]
            ),
            nbformat.v4.new_code_cell(
                outputs=[nbformat.v4.new_output("stream", name="stderr", text=startup + real)]
            ),
        ]
    )
    assert module.strip_startup_log(nb) == 4
    first, second = nb.cells[0].outputs, nb.cells[1].outputs
    assert [o.name for o in first] == ["stdout"]  # stderr vidée : supprimée ; stdout intact
    assert second[0].text == real  # avertissements et erreurs gardés


def test_make_run_starts_from_an_empty_artefacts_folder(tmp_path, monkeypatch):
    """Aucune sortie publiée ne vient d'un modèle gardé d'un `make run` précédent."""
    pytest.importorskip("nbformat")
    module = script("run_notebooks")
    folder = tmp_path / "make-run"
    (folder / "complet").mkdir(parents=True)
    (folder / "complet" / "autoencodeur_05.keras").write_text("modèle d'un lancement précédent")
    monkeypatch.setattr(module, "RUN_ARTEFACTS", folder)
    seen = []

    class Finished:
        returncode, stderr, stdout = 0, "", "123456\n"

    def fake_run(command, capture_output, text, env):
        seen.append((env["AE_ARTEFACTS"], sorted(p.name for p in folder.rglob("*"))))
        return Finished()

    monkeypatch.setattr(module, "machine", lambda: "machine de test")
    monkeypatch.setattr(module.subprocess, "run", fake_run)
    monkeypatch.setattr(module, "write_duration", lambda *args: None)
    monkeypatch.setattr(module, "write_results", lambda rows: None)
    monkeypatch.setattr(module.results, "update", lambda: [])
    module.main([str(NOTEBOOKS[0]), str(NOTEBOOKS[1])])
    assert seen == [(str(folder), []), (str(folder), [])], seen


def test_the_normalizer_removes_execution_fields_and_nothing_else():
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    module = script("normalize_notebooks")
    module.normalize(nb)  # les notebooks publiés sont déjà normalisés ; on repart de là
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.metadata["execution"] = {"iopub.status.busy": "2026-12-03T13:07:20.352630Z"}
    code.metadata["tags"] = ["parameters"]
    nb.metadata.setdefault("language_info", {})["version"] = "3.11.7"
    before_outputs = json.dumps([c.get("outputs") for c in nb.cells])
    assert module.normalize(nb) is True
    assert "execution" not in code.metadata and code.metadata["tags"] == ["parameters"]
    assert "version" not in nb.metadata["language_info"]
    assert nb.metadata["language_info"]["name"] == "python"
    assert json.dumps([c.get("outputs") for c in nb.cells]) == before_outputs
    assert module.normalize(nb) is False  # une seconde fois : plus rien à faire


def test_the_normalizer_shows_a_progress_bar_as_jupyterlab_does():
    nbformat = pytest.importorskip("nbformat")
    module = script("normalize_notebooks")
    bar = "\b" * 12
    outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="\r  1/313 ━  28s"),
        nbformat.v4.new_output("stream", name="stdout", text=bar + "\r 54/313 ━━━ 0s"),
        nbformat.v4.new_output("stream", name="stdout", text=bar + "\r313/313 ━━━━━ 0s\n"),
        nbformat.v4.new_output("stream", name="stderr", text="attention\n"),
        nbformat.v4.new_output("stream", name="stdout", text="fin\n"),
        nbformat.v4.new_output("stream", name="stdout", text="ab\bc\n"),
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=outputs)])
    assert module.normalize(nb) is True
    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [
        ("stdout", "313/313 ━━━━━ 0s\n"),
        ("stderr", "attention\n"),
        ("stdout", "fin\nac\n"),
    ]
    assert module.normalize(nb) is False


def benchmark(name: str):
    """Charge benchmarks/<name>.py comme un module (il importe scripts/run_notebooks.py)."""
    import importlib.util
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses le cherche là
    spec.loader.exec_module(module)
    return module


def test_the_speed_bench_is_one_table_of_rows():
    """benchmarks/train_speed.py : chaque ligne a sa fonction, sa légende et ses réglages."""
    module = benchmark("train_speed")
    assert {"tutoriel", "notebooks", "pytorch", "plancher"} <= set(module.ROWS)
    for name, row in module.ROWS.items():
        assert callable(row.run) and row.legend, name
    assert module.ROWS["tf.data+spe235+eigen"].env == {"TF_ENABLE_ONEDNN_OPTS": "0"}
    assert module.ROWS["tf.data+spe235+inter1"].inter_op == 1


def test_benchmark_results_are_stamped_with_the_commit_they_measured():
    import subprocess

    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if not head:
        pytest.skip("pas de dépôt git ici : rien à comparer")
    assert script("run_notebooks").commit().startswith(head)  # les bancs l'importent de là


def test_end_to_end_sections_add_up_to_the_whole_run():
    """benchmarks/end_to_end.py : démarrage, sections et reste font la durée totale."""
    module = benchmark("end_to_end")
    cells = [["Paramètres", 4.0, 5.0], ["Paramètres", 5.0, 9.0], ["3. L'entraînement", 9.5, 60.0]]
    parts = module.sections(cells, total=62.0)
    assert [name for name, _ in parts] == [
        "démarrage du noyau (avant la première cellule)",
        "Paramètres",
        "3. L'entraînement",
        "entre les cellules et arrêt du noyau",
    ]
    assert [round(s, 6) for _, s in parts] == [4.0, 5.0, 50.5, 2.5]
    assert sum(s for _, s in parts) == pytest.approx(62.0)


def test_end_to_end_tutorial_script_is_the_sources_model_and_fit_call():
    """La ligne « tutoriel » exécute le modèle et l'appel de `fit` du tutoriel source : les mêmes
    couches que build_autoencoder (notebook 03), 50 époques de lots de 256, mélangés."""
    import ast

    keras = pytest.importorskip("keras")
    from ae_utils.models import build_autoencoder

    tree = ast.parse((ROOT / "benchmarks" / "end_to_end" / "tutoriel.py").read_text("utf-8"))
    build = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    namespace = {}
    exec(
        "from tensorflow.keras import layers, models\n" + ast.unparse(build),
        namespace,
    )
    theirs, ours = namespace[build.name](), build_autoencoder()

    def layers_of(model):
        """Les couches denses, dans l'ordre, y compris dans l'encodeur et le décodeur."""
        found = []
        for layer in model.layers:
            if isinstance(layer, keras.layers.Dense):
                found.append((layer.units, layer.activation.__name__))
            elif hasattr(layer, "layers"):
                found += layers_of(layer)
        return found

    assert layers_of(theirs) == layers_of(ours)
    fit = next(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "fit"
    )
    keywords = {k.arg: ast.unparse(k.value) for k in fit.keywords}
    assert keywords == {
        "epochs": "50",
        "batch_size": "256",
        "shuffle": "True",
        "validation_data": "(x_test, x_test)",
    }


def test_minutes_rounds_before_splitting():
    """run_notebooks.minutes arrondit avant de couper : jamais « 5 min 60 s »."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "run_notebooks_minutes",
        ROOT / "scripts" / "run_notebooks.py",
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.minutes(359.7) == "6 min 00 s"
    assert module.minutes(59.6) == "1 min 00 s"
    assert module.minutes(42.2) == "42 s"
    assert module.minutes(671.0) == "11 min 11 s"


def test_make_run_logs_each_cell_duration_and_memory(tmp_path, monkeypatch):
    """Le journal des cellules (artefacts/cellules/) : une ligne par cellule exécutée."""
    nbformat = pytest.importorskip("nbformat")
    module = script("run_notebooks")
    monkeypatch.setattr(module, "CELLS", tmp_path / "cellules")
    monkeypatch.setattr(module, "RUN_ARTEFACTS", tmp_path / "make-run")
    path = tmp_path / "petit.ipynb"
    cells = ["x = 1", "import time\ntime.sleep(0.3)\nbig = b\"x\" * (50 * 2**20)", "print(x)"]
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells]), path
    )
    seconds, peak = module.run(path)
    lines = (tmp_path / "cellules" / "petit.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("cellule\tsecondes\tRSS")
    rows = [line.split("\t") for line in lines[1:]]
    assert [r[0] for r in rows] == ["0", "1", "2"] and [r[4] for r in rows] == [
        "x = 1",
        "import time",
        "print(x)",
    ]
    assert float(rows[1][1]) >= 0.3 > float(rows[0][1])  # la cellule qui dort dure plus longtemps
    assert int(rows[1][3]) >= int(rows[0][3]) + 40  # et le maximum monte des 50 Mio alloués
    assert 0 < float(rows[1][1]) < seconds and int(rows[2][3]) <= peak + 1
    elapsed = [float(r[5]) for r in rows]  # depuis le démarrage du noyau, croissant
    assert elapsed == sorted(elapsed) and elapsed[1] - elapsed[0] >= 0.3 and elapsed[2] < seconds
