"""Configuration de pytest pour nbval : les sorties d'erreur (stderr) ne sont pas comparées.

TensorFlow et Keras y écrivent des messages qui dépendent de la machine ; seules les cellules
marquées `# NBVAL_CHECK_OUTPUT` voient leur sortie comparée (option --nbval-lax).
"""


def pytest_collectstart(collector):
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb":
        collector.skip_compare += ("stderr",)
