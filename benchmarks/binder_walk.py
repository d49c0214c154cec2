"""Un apprenant sur Binder : plusieurs notebooks ouverts l'un après l'autre dans un même serveur.

Binder donne 2 Gio pour le serveur Jupyter et tous ses noyaux. Ce banc d'essai démarre un
serveur Jupyter, puis, pour chaque notebook, fait ce que fait JupyterLab quand on l'ouvre et
« exécute tout » : une session (et son noyau) par l'API du serveur, puis chaque cellule de
code dans ce noyau. Il mesure la mémoire résidente du serveur et de tous ses noyaux
(échantillonnée toutes les 0,2 s), pour deux apprenants :
- « garde tout ouvert » : les noyaux des notebooks précédents restent en vie ;
- « ferme en partant » : le notebook est fermé avant le suivant, ce qui arrête son noyau
  (réglage `kernelShutdown` de binder/overrides.json, et la consigne de la dernière cellule).

    AE_FAST=1 python benchmarks/binder_walk.py notebooks/0[1-5]*.ipynb

Résultats : benchmarks/results/binder_walk.md.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import date
from pathlib import Path

import psutil
from jupyter_client import BlockingKernelClient
from jupyter_core.paths import jupyter_runtime_dir

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "binder_walk.md"
TOKEN = "banc-binder"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def total_mib(process: psutil.Process) -> float:
    """Mémoire résidente du serveur et de tous ses descendants (ses noyaux), en Mio."""
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


class Peak(threading.Thread):
    def __init__(self, process):
        super().__init__(daemon=True)
        self.process, self.peak, self.running = process, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, total_mib(self.process))
            time.sleep(0.2)


def api(port, method, path, body=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
    return json.loads(text) if text else None


def run_notebook(port, path: Path) -> str:
    """Ouvre le notebook comme JupyterLab (une session), exécute ses cellules ; rend la session."""
    relative = path.resolve().relative_to(ROOT).as_posix()
    session = api(
        port,
        "POST",
        "sessions",
        {"path": relative, "type": "notebook", "name": path.name, "kernel": {"name": "python3"}},
    )
    connection = Path(jupyter_runtime_dir()) / f"kernel-{session['kernel']['id']}.json"
    for _ in range(100):
        if connection.exists():
            break
        time.sleep(0.1)
    client = BlockingKernelClient(connection_file=str(connection))
    client.load_connection_file()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    client.execute_interactive(f"import os; os.chdir({str(path.resolve().parent)!r})")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] == "code":
            reply = client.execute_interactive(
                "".join(cell["source"]), timeout=1800, output_hook=lambda message: None
            )
            if reply["content"]["status"] != "ok":
                raise SystemExit(f"{path.name} : une cellule a échoué ({reply['content']}).")
    client.stop_channels()
    return session["id"]


def walk(paths: list[Path], close_each: bool) -> list[tuple[str, float, float]]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "server",
            f"--port={port}",
            "--no-browser",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={ROOT}",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={  # comme binder/start
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "1",
            "MALLOC_ARENA_MAX": "2",
            "MALLOC_MMAP_THRESHOLD_": "4194304",
        },
    )
    rows = []
    try:
        for _ in range(100):
            try:
                api(port, "GET", "status")
                break
            except OSError:
                time.sleep(0.3)
        process = psutil.Process(server.pid)
        for path in paths:
            peak = Peak(process)
            peak.start()
            session = run_notebook(port, path)
            peak.running = False
            peak.join()
            rows.append((path.name, peak.peak, total_mib(process)))
            print(
                f"  {path.name} : pic {peak.peak:.0f} Mio, après {rows[-1][2]:.0f} Mio", flush=True
            )
            if close_each:
                api(port, "DELETE", f"sessions/{session}")
                time.sleep(2)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return rows


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]]
    if not paths or not all(p.suffix == ".ipynb" and p.is_file() for p in paths):
        raise SystemExit("Attendu : des notebooks .ipynb existants, dans l'ordre de la visite.")
    mode = "rapide" if os.environ.get("AE_FAST") == "1" else "complet"
    sys.path.insert(0, str(ROOT / "scripts"))
    from run_notebooks import commit, machine  # noqa: PLC0415

    lines = [
        "# Un apprenant sur Binder (`python benchmarks/binder_walk.py`)",
        "",
        f"Mesuré le {date.today().isoformat()} sur {machine()} (commit {commit()}), mode "
        f"{mode} ; mémoire résidente du serveur Jupyter et de "
        "tous ses noyaux, en Mio (Binder en donne 2 048).",
        "",
        "| notebook ouvert | garde tout ouvert : pic | après | ferme en partant : pic | après |",
        "|---|---|---|---|---|",
    ]
    print("Apprenant qui garde tout ouvert :")
    kept = walk(paths, close_each=False)
    print("Apprenant qui ferme chaque notebook en partant :")
    closed = walk(paths, close_each=True)
    for (name, peak_a, after_a), (_, peak_b, after_b) in zip(kept, closed, strict=True):
        lines.append(f"| {name} | {peak_a:.0f} | {after_a:.0f} | {peak_b:.0f} | {after_b:.0f} |")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
