"""Configuration de pytest pour nbval.

- Les sorties d'erreur (stderr) ne sont pas comparées : TensorFlow et Keras y écrivent des
  messages qui dépendent de la machine ; seules les cellules étiquetées `nbval-check-output`
  (métadonnées de la cellule) voient leur sortie comparée (option --nbval-lax).
- Chaque notebook s'exécute dans un noyau neuf **et un dossier d'artefacts vide**
  (`AE_ARTEFACTS`, propre à ce notebook) : c'est la promesse de la série (un notebook se lance
  seul, dans n'importe quel ordre). Ainsi 06, 07 et 10 prennent à chaque `make test` la branche
  « aucun modèle sauvegardé : entraînement ici », et 09 entraîne son modèle profond.
- Les cellules « Vérification » des exercices (`ae_utils.checks`) sont exigeantes : dans
  l'édition enseignant (notebooks/), chaque solution doit obtenir « Juste » (`AE_CHECKS=strict`) ;
  dans l'édition élève (eleves/, `make test-eleves`), chaque vérification doit dire
  « Pas encore » (`AE_CHECKS=pending`). Tout autre verdict lève une erreur, que nbval signale.
"""

import os
import shutil
import tempfile

FRESH_ARTEFACTS = []  # les dossiers créés, effacés en fin de session
# Le verdict qu'exigent les vérifications des exercices, selon l'édition (ae_utils.checks).
CHECKS_MODE = {"notebooks": "strict", "eleves": "pending"}


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
        wanted = {"AE_ARTEFACTS": folder, "AE_CHECKS": CHECKS_MODE.get(path.parent.name)}
        before = {name: os.environ.get(name) for name in wanted}
        for name, value in wanted.items():
            if value is not None:
                os.environ[name] = value
        try:
            start_kernel()
        finally:
            for name, value in before.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    collector.setup = setup_with_empty_artefacts


def pytest_sessionfinish(session):
    for folder in FRESH_ARTEFACTS:
        shutil.rmtree(folder, ignore_errors=True)
