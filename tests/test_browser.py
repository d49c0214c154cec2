"""Un vrai navigateur, comme un apprenant : JupyterLab + Chromium (Debian) piloté par Playwright.

Le test démarre JupyterLab sur un port libre de la boucle locale, dans un dossier temporaire
qui contient une copie du notebook 02 (l'original et ses sorties publiées ne sont jamais
touchés), l'ouvre dans Chromium sans interface, exécute toutes les cellules en mode rapide
et vérifie que chaque cellule a fini, qu'aucune n'affiche d'erreur et qu'une image est
affichée. Une capture d'écran est enregistrée dans le dossier des artefacts.

Chromium est un paquet du système : `apt-get install chromium`. Sans lui, le test est
ignoré, avec un message qui le dit.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ae_utils.config import ARTEFACTS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "02_donnees.ipynb"
EXPLORER_NOTEBOOK = ROOT / "notebooks" / "10_espace_latent.ipynb"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Sans ces options, Chromium tente sans cesse de joindre le réseau (fermé ici) ; en root,
# il exige --no-sandbox.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
TOKEN = "test-navigateur"
# Le menu « Run » de JupyterLab en français (jupyterlab-language-pack-fr-fr 4.5.post3).
RUN_MENU = "Exécution"
NEWS_QUESTION = "nouvelles officielles de Jupyter"  # la fenêtre qui couvrait la leçon

pytestmark = [
    pytest.mark.navigateur,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium absent : installez-le avec « apt-get install chromium » "
        "(.ci/run le fait) pour lancer le test dans un vrai navigateur",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab ne répond pas sur {url} après {timeout} s")


def wait_for_idle_kernel(port: int, timeout: float = 120) -> None:
    """Attend qu'un noyau existe et soit au repos (API REST de Jupyter)."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/api/kernels?token={TOKEN}"
    kernels: object = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                kernels = json.load(response)
        except urllib.error.HTTPError as error:
            # Pendant qu'un noyau démarre, le serveur répond parfois 500 à la liste des noyaux
            # (vu une fois en CI) : on redemande, jusqu'au délai.
            if error.code < 500:
                raise
            kernels = f"HTTP {error.code}"
        else:
            if kernels and all(k["execution_state"] == "idle" for k in kernels):
                return
        time.sleep(0.5)
    raise TimeoutError(f"aucun noyau au repos après {timeout} s : {kernels}")


@pytest.fixture
def jupyterlab(tmp_path):
    """Démarre JupyterLab sur une copie sans sorties du notebook donné ; renvoie (port, dossier)."""
    servers = []

    def start(source: Path) -> tuple[int, Path]:
        workdir = tmp_path / "lab"
        workdir.mkdir()
        # Copie sans sorties : une invite numérotée prouvera une exécution par CE navigateur.
        notebook = json.loads(source.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"], cell["execution_count"] = [], None
        (workdir / source.name).write_text(json.dumps(notebook), encoding="utf-8")
        port = free_port()
        env = {
            **os.environ,
            "AE_FAST": "1",
            "JUPYTER_TOKEN": TOKEN,
            "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
            "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        }
        command = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={workdir}",
        ]
        # Ni langue ni nouvelles réglées ici : ce sont les réglages du dépôt
        # (binder/overrides.json, installés par make install et par binder/postBuild).
        if os.geteuid() == 0:
            command.append("--allow-root")
        log = open(tmp_path / "jupyterlab.log", "w")
        servers.append(
            (subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log), log)
        )
        wait_for_server(f"http://127.0.0.1:{port}/api/status?token={TOKEN}")
        return port, workdir

    yield start
    for server, log in servers:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def open_browser(playwright, tmp_path):
    return playwright.chromium.launch_persistent_context(
        str(tmp_path / "profil-chromium"),  # profil neuf et vide
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000},
    )


def run_all_cells(page, port: int, playwright_api, timeout_ms: int = 180_000) -> None:
    """« Run All Cells » dans le menu, puis attend que chaque cellule de code ait fini."""
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # Le noyau doit être prêt avant d'exécuter : au premier lancement dans un environnement
    # neuf, il met plusieurs secondes à démarrer, et « Run All Cells » serait sans effet.
    wait_for_idle_kernel(port)
    for _ in range(3):  # le menu peut être encore inactif : on vérifie que l'exécution part
        page.get_by_role("menuitem", name=RUN_MENU, exact=True).click()
        page.get_by_role("menuitem", name="Exécuter toutes les cellules", exact=True).click()
        try:
            page.wait_for_function(
                """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                    .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""",
                timeout=30_000,
                polling=500,
            )
            break
        except playwright_api.TimeoutError:
            page.keyboard.press("Escape")
    else:
        pytest.fail("« Run All Cells » n'a lancé aucune cellule en trois essais")
    # Chaque cellule de code a fini quand son invite affiche un numéro : [12].
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:?$/.test(
                p.textContent.trim()));
        }""",
        timeout=timeout_ms,
        polling=500,
    )
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)


def tracebacks(page) -> list[str]:
    stderr = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    errors = page.locator(f"{stderr} .jp-RenderedText").all_text_contents()
    return [e for e in errors if "Traceback" in e]


def test_notebook_02_runs_in_a_real_browser(jupyterlab, tmp_path):
    playwright_api = pytest.importorskip("playwright.sync_api")
    port, workdir = jupyterlab(NOTEBOOK)
    started = time.monotonic()
    with playwright_api.sync_playwright() as p:
        browser = open_browser(p, tmp_path)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.name}?token={TOKEN}")
        run_all_cells(page, port, playwright_api)
        menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_text_contents()
        news = (
            page.get_by_text(NEWS_QUESTION).count()
            + page.get_by_text("official Jupyter news").count()
        )
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_text_contents()
        errors = tracebacks(page)
        images = page.locator(".jp-OutputArea-output img").count()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "navigateur_02_donnees.png"), full_page=False)
        page.keyboard.press("Control+s")  # enregistre la copie, pour la vérifier aussi
        saved_path = workdir / NOTEBOOK.name
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # jusqu'à ce que l'enregistrement contienne l'exécution
            saved = json.loads(saved_path.read_text(encoding="utf-8"))
            if all(c.get("execution_count") for c in saved["cells"] if c["cell_type"] == "code"):
                break
            time.sleep(0.5)
        else:
            pytest.fail("la copie enregistrée par JupyterLab ne contient pas l'exécution")
        browser.close()
    elapsed = time.monotonic() - started

    assert {"Fichier", "Édition", "Affichage", RUN_MENU, "Noyau"} <= set(menus), (
        f"JupyterLab devrait être en français, menus : {menus}"
    )
    assert news == 0, "la fenêtre des nouvelles de Jupyter couvre le notebook"
    assert prompts and all(p.strip().strip(":").strip("[]").isdigit() for p in prompts), prompts
    assert not errors, f"erreurs affichées dans le navigateur : {errors[:2]}"
    assert images >= 4, f"images attendues dans les sorties, trouvé : {images}"
    outputs = [o for c in saved["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert outputs and not [o for o in outputs if o["output_type"] == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    print(
        f"\nNotebook 02 exécuté dans Chromium en {elapsed:.0f} s "
        f"({len(prompts)} cellules, {images} images)"
    )


def test_latent_explorer_sliders_work_in_a_real_browser(jupyterlab, tmp_path):
    """Notebook 10 : les curseurs de l'explorateur s'affichent et changent l'image décodée."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    port, _ = jupyterlab(EXPLORER_NOTEBOOK)
    with playwright_api.sync_playwright() as p:
        browser = open_browser(p, tmp_path)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/lab/tree/{EXPLORER_NOTEBOOK.name}?token={TOKEN}")
        run_all_cells(page, port, playwright_api, timeout_ms=300_000)
        errors = tracebacks(page)
        explorer = page.locator(".widget-interact").last
        explorer.wait_for(timeout=30_000)
        sliders = explorer.locator(".widget-slider")
        image = explorer.locator(".jp-OutputArea-output img")
        image.wait_for(timeout=30_000)
        before = image.get_attribute("src")
        explorer.locator(".widget-slider .noUi-handle").first.focus()
        for _ in range(20):  # 20 pas de 1 % vers la droite sur z₁
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            """before => {
                const images = document.querySelectorAll('.widget-interact img');
                const last = images[images.length - 1];
                return last && last.src !== before;
            }""",
            arg=before,
            timeout=30_000,
            polling=250,
        )
        # Chaque pas de curseur redessine l'image : on attend la dernière (stable 2 s), pour
        # que la capture montre l'image du code affiché par les curseurs.
        after, stable_since = image.get_attribute("src"), time.monotonic()
        deadline = stable_since + 60
        while time.monotonic() - stable_since < 2 and time.monotonic() < deadline:
            time.sleep(0.25)
            current = image.get_attribute("src")
            if current != after:
                after, stable_since = current, time.monotonic()
        n_sliders = sliders.count()
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        explorer.screenshot(path=str(ARTEFACTS / "navigateur_10_explorateur.png"))
        browser.close()

    assert not errors, f"erreurs affichées dans le navigateur : {errors[:2]}"
    assert n_sliders == 2, f"deux curseurs attendus (z₁, z₂), trouvé : {n_sliders}"
    assert before and after and after != before, "l'image décodée n'a pas changé"
