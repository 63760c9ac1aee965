# Two commands matter: `make serve` (build and serve the book) and `make test` (the whole suite).
# Everything installs into .venv from the pinned requirements files; nothing global but python3.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: serve build pdf figures test lint format bench clean what-changed bump lock deploy add-model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when a requirements file changes.
$(VENV)/.site-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.site-installed $@

# The tests also install the book's own Python (pyproject.toml) as an editable package, so they
# import macros, figures, scripts.* and build_figures without touching sys.path.
$(VENV)/.project-installed: pyproject.toml $(VENV)/.dev-installed
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

serve: $(VENV)/.site-installed  ## build the figures and serve the book with live reload
	$(BIN)/python build_figures.py
	$(BIN)/mkdocs serve --strict --dev-addr $(HOST)

build: $(VENV)/.site-installed  ## strict build into site/ (the old site/ survives a failed build)
	$(BIN)/python scripts/build_site.py

pdf: $(VENV)/.site-installed  ## the whole book as one PDF (Chromium), then site/ with site/book-preview.pdf linked
	$(BIN)/python scripts/ensure_chromium.py
	$(BIN)/python scripts/make_pdf.py --site

figures: $(VENV)/.site-installed
	$(BIN)/python build_figures.py

test: $(VENV)/.project-installed  ## the whole test suite
	$(BIN)/python scripts/ensure_chromium.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench: $(VENV)/.site-installed  ## performance benchmark (minutes; not part of `make test`); writes bench/results.json
	$(BIN)/python -m scripts.bench --save

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf site .site-* .cache .pytest_cache

# Editing never needs these (a changed chapter previews as a draft); releasing does (README, "Releasing a version").
what-changed: $(VENV)/.site-installed  ## which chapters and numbers differ from citations.lock.json
	$(BIN)/python scripts/citations.py what-changed

bump: $(VENV)/.site-installed  ## raise the version of every chapter that changed
	$(BIN)/python scripts/citations.py bump

lock: $(VENV)/.site-installed  ## record the chapters in citations.lock.json (refuses unbumped changes)
	$(BIN)/python scripts/citations.py lock

deploy: $(VENV)/.site-installed  ## make deploy VERSION=1.2 [MIKE_ARGS=--push]: freeze and deploy with mike (refuses drafts, unversioned pages, a placeholder base URL)
	@test -n "$(VERSION)" || { echo "usage: make deploy VERSION=x.y" >&2; exit 2; }
	$(BIN)/python scripts/citations.py deploy $(VERSION) -- $(MIKE_ARGS)

# Adding a model (README, "Editing the book"): print its [[models]] entry from a Hugging Face config.json.
add-model: $(VENV)/.site-installed  ## make add-model CONFIG=path/to/config.json ID=new-id [APPEND=1]
	@test -n "$(CONFIG)" -a -n "$(ID)" || { echo "usage: make add-model CONFIG=path/to/config.json ID=new-id [APPEND=1]" >&2; exit 2; }
	@$(BIN)/python scripts/add_model.py "$(CONFIG)" --id "$(ID)" $(if $(APPEND),--append)
