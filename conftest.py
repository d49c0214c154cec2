"""Configuration de pytest pour nbval.

- Les sorties d'erreur (stderr) ne sont pas comparées : TensorFlow et Keras y écrivent des
  messages qui dépendent de la machine ; seules les cellules étiquetées `nbval-check-output`
  (métadonnées de la cellule) voient leur sortie comparée (option --nbval-lax).
- Chaque notebook s'exécute dans un noyau neuf **et un dossier d'artefacts vide**
  (`AE_ARTEFACTS`, propre à ce notebook) : c'est la promesse de la série (un notebook se lance
  seul, dans n'importe quel ordre). Ainsi 06, 07 et 10 prennent à chaque `make test` la branche
  « aucun modèle sauvegardé : entraînement ici », et 09 entraîne son modèle profond.
"""

import os
import shutil
import tempfile

FRESH_ARTEFACTS = []  # les dossiers créés, effacés en fin de session


def pytest_collectstart(collector):
    path = getattr(collector, "path", None)
    if path is None or path.suffix != ".ipynb":
        return
    collector.skip_compare += ("stderr",)
    start_kernel = collector.setup

    def setup_with_empty_artefacts():
        # Le noyau hérite de l'environnement au moment où nbval le démarre.
        folder = tempfile.mkdtemp(prefix=f"artefacts-{path.stem[:2]}-")
        FRESH_ARTEFACTS.append(folder)
        before = os.environ.get("AE_ARTEFACTS")
        os.environ["AE_ARTEFACTS"] = folder
        try:
            start_kernel()
        finally:
            if before is None:
                os.environ.pop("AE_ARTEFACTS", None)
            else:
                os.environ["AE_ARTEFACTS"] = before

    collector.setup = setup_with_empty_artefacts


def pytest_sessionfinish(session):
    for folder in FRESH_ARTEFACTS:
        shutil.rmtree(folder, ignore_errors=True)
