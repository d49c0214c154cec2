"""Binder prouvé aussi loin que cette machine le permet (`make binder-check`, lancé par .ci/run).

Binder construit l'image avec repo2docker, que l'on ne peut pas lancer ici (pas de moteur
Docker). Ce script rejoue ce que repo2docker fait du dossier binder/ (lu dans sa
documentation et son code, jupyterhub/repo2docker) :

1. `binder/runtime.txt` (« python-3.11 ») choisit la version de Python : on crée un
   environnement virtuel neuf avec cet interpréteur ;
2. `binder/requirements.txt`, **seul**, est installé avec pip dans l'environnement qui porte
   à la fois le serveur JupyterLab et le noyau (pour Python 3, repo2docker n'en fait qu'un) ;
   son « -c ../constraints.txt » fait copier tout le dépôt avant (repo2docker ne met à part
   que les requirements sans renvoi local). On vérifie qu'il n'installe que le jeu des
   apprenants (aucun outil de test) et chaque version de constraints.txt ;
3. `binder/postBuild` est exécuté depuis la racine du dépôt, comme `./binder/postBuild` ;
4. `binder/start` enveloppe chaque démarrage.

Puis il vérifie ce qu'un apprenant rencontre : l'extension des widgets active dans ce
JupyterLab, l'interface en français et sans fenêtre des nouvelles (réglages servis par un
vrai serveur JupyterLab de cet environnement), et les notebooks 01, 02 et 10 exécutés en mode
rapide par le `jupyter` de cet environnement, dans un dossier d'artefacts vide.

    python scripts/binder_check.py
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
NOTEBOOKS = ["01_importations.ipynb", "02_donnees.ipynb", "10_espace_latent.ipynb"]
WIDGETS = "@jupyter-widgets/jupyterlab-manager"


def fail(message: str) -> None:
    raise SystemExit(f"make binder-check : ÉCHEC — {message}")


def interpreter() -> str:
    """L'interpréteur que demande binder/runtime.txt (format de repo2docker : python-x.y)."""
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    name, _, version = runtime.partition("-")
    if name != "python" or version.count(".") != 1:
        fail(
            f"binder/runtime.txt doit contenir « python-x.y » (par exemple python-3.11), "
            f"reçu : {runtime!r}."
        )
    found = shutil.which(f"python{version}")
    if not found:
        fail(
            f"binder/runtime.txt demande Python {version}, absent de cette machine "
            f"(commande python{version} introuvable)."
        )
    return found


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, cwd=ROOT, text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        fail(
            f"la commande {' '.join(command)} a échoué (code {result.returncode}) :\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_settings(env: dict, bin_dir: Path, workdir: Path) -> dict:
    """Démarre le JupyterLab de l'environnement et lit les réglages qu'il sert au navigateur."""
    port, token = free_port(), "binder-check"
    command = [
        str(bin_dir / "binder-start"),
        str(bin_dir / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={workdir}",
        f"--IdentityProvider.token={token}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(workdir / "jupyterlab.log", "w")
    server = subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    fail(
                        f"JupyterLab de l'environnement Binder ne démarre pas "
                        f"(journal : {workdir / 'jupyterlab.log'})."
                    )
                time.sleep(0.5)

        def get(path: str) -> dict:
            with urllib.request.urlopen(f"{base}{path}?token={token}", timeout=30) as answer:
                return json.load(answer)

        return {
            "translation": get("/lab/api/settings/@jupyterlab/translation-extension:plugin"),
            "notification": get("/lab/api/settings/@jupyterlab/apputils-extension:notification"),
            "languages": get("/lab/api/translations"),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def setting(answer: dict, key: str):
    """La valeur d'un réglage telle que le navigateur la reçoit : celle de l'utilisateur, sinon
    la valeur par défaut du schéma, où JupyterLab a déjà appliqué overrides.json."""
    if key in answer.get("settings", {}):
        return answer["settings"][key]
    return answer["schema"]["properties"][key].get("default")


def main() -> None:
    started = time.perf_counter()
    python = interpreter()
    work = Path(tempfile.mkdtemp(prefix="binder-check-"))
    venv = work / "env"
    bin_dir = venv / "bin"
    print(f"1/5 Environnement neuf ({python}) dans {venv}", flush=True)
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    # Un environnement propre : rien du .venv de développement, configuration Jupyter vide.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        JUPYTER_CONFIG_DIR=str(work / "config"),
        JUPYTER_DATA_DIR=str(work / "data"),
        JUPYTER_RUNTIME_DIR=str(work / "runtime"),
        IPYTHONDIR=str(work / "ipython"),
        AE_FAST="1",
        AE_ARTEFACTS=str(work / "artefacts"),
        KERAS_HOME=str(work / "keras"),
        MPLBACKEND="Agg",
    )

    print("2/5 pip install -r binder/requirements.txt (seul)", flush=True)
    run(
        [
            str(bin_dir / "pip"),
            "install",
            "--disable-pip-version-check",
            "-q",
            "-r",
            str(BINDER / "requirements.txt"),
        ],
        env,
    )
    # Le jeu des apprenants seul, aux versions de constraints.txt (pip et les outils
    # d'installation du venv mis à part).
    frozen = run(
        [str(bin_dir / "pip"), "freeze", "--all", "--disable-pip-version-check"], env
    ).stdout.split()
    wanted = {
        line.lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").split()
        if "==" in line
    }
    installed = {line.lower().replace("_", "-") for line in frozen if "==" in line}
    loose = sorted(
        p for p in installed - wanted if p.split("==")[0] not in ("pip", "setuptools", "wheel")
    )
    if loose:
        fail(f"versions hors de constraints.txt dans l'environnement Binder : {loose}")
    tools = sorted(
        p.split("==")[0]
        for p in installed
        if p.split("==")[0] in ("pytest", "ruff", "nbval", "playwright")
    )
    if tools:
        fail(f"outils de développeur installés sur Binder : {tools}")
    print("3/5 ./binder/postBuild depuis la racine du dépôt", flush=True)
    run(["bash", "-c", "./binder/postBuild"], env)
    # binder/start enveloppe chaque commande, comme l'ENTRYPOINT de repo2docker.
    (bin_dir / "binder-start").symlink_to(BINDER / "start")

    print("4/5 JupyterLab de cet environnement : widgets, français, nouvelles", flush=True)
    extensions = run([str(bin_dir / "jupyter"), "labextension", "list"], env)
    listing = extensions.stdout + extensions.stderr
    widget_lines = [line for line in listing.splitlines() if WIDGETS in line]
    if not widget_lines or "enabled" not in widget_lines[0] or "OK" not in widget_lines[0]:
        fail(f"l'extension {WIDGETS} n'est pas active dans ce JupyterLab :\n{listing}")
    kernels = json.loads(
        run([str(bin_dir / "jupyter"), "kernelspec", "list", "--json"], env).stdout
    )["kernelspecs"]
    kernel_python = Path(kernels["python3"]["spec"]["argv"][0])
    if not (kernel_python == Path("python") or kernel_python.is_relative_to(venv)):
        fail(f"le noyau python3 n'est pas celui de l'environnement Binder : {kernel_python}")
    settings = lab_settings(env, bin_dir, work)
    locale = setting(settings["translation"], "locale")
    news = setting(settings["notification"], "fetchNews")
    languages = settings["languages"].get("data", {})
    if locale != "fr_FR" or "fr_FR" not in languages:
        fail(
            f"JupyterLab n'est pas en français : langue {locale!r}, "
            f"packs installés {sorted(languages)}."
        )
    if news != "false":
        fail(f"la fenêtre des nouvelles de Jupyter n'est pas désactivée (fetchNews={news!r}).")

    print(
        f"5/5 Notebooks {', '.join(n[:2] for n in NOTEBOOKS)} en mode rapide, "
        "avec le jupyter de cet environnement",
        flush=True,
    )
    outputs = work / "executes"
    for name in NOTEBOOKS:
        start = time.perf_counter()
        run(
            [
                str(bin_dir / "binder-start"),
                str(bin_dir / "jupyter"),
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                f"--output-dir={outputs}",
                "--ExecutePreprocessor.timeout=600",
                "--ExecutePreprocessor.kernel_name=python3",
                str(ROOT / "notebooks" / name),
            ],
            env,
        )
        nb = json.loads((outputs / name).read_text(encoding="utf-8"))
        errors = [
            o
            for c in nb["cells"]
            if c["cell_type"] == "code"
            for o in c["outputs"]
            if o["output_type"] == "error"
        ]
        if errors:
            fail(f"{name} : erreur à l'exécution : {errors[0].get('ename')}")
        print(
            f"    {name} : exécuté en {time.perf_counter() - start:.0f} s, sans erreur", flush=True
        )

    shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(
        f"Binder : environnement construit et vérifié en {elapsed // 60:.0f} min "
        f"{elapsed % 60:02.0f} s — widgets actifs, JupyterLab en français, sans fenêtre "
        "des nouvelles, notebooks 01, 02 et 10 exécutés."
    )


if __name__ == "__main__":
    main()
