# Quickstart: `make demo` (the demo city on embedded SQLite) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
VENDOR := src/dangjian/static/vendor
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core by default; PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto

.PHONY: demo test assets install install-test lint messages clean

demo: install assets
	$(BIN)/dangjian demo $(DEMO_ARGS)

test: install-test assets
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/dangjian makemigrations --check --dry-run
	$(BIN)/lint-imports

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python node_modules/.package-lock.json
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Web assets come from npm (package-lock.json) and are copied into the package's static
# folder (git-ignored), so the app serves them itself: no CDN. `pip install -e .` copies them
# as well (setup.py), hence node_modules before the virtual environment's install.
assets: $(VENDOR)/.stamp

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The list of files and the copy live in src/dangjian/webassets.py, which the package build
# (setup.py) runs too: a wheel or an editable install carries the same files.
$(VENDOR)/.stamp: node_modules/.package-lock.json src/dangjian/webassets.py
	$(PYTHON) src/dangjian/webassets.py
	touch $@

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache
