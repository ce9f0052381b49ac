# Two commands: `make demo` runs the pipeline on the bundled corpus, `make test` runs the suite.
# Both create the virtual environment on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install clean bench model

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install torch==2.13.0
	$(BIN)/python -m pip install -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/analysis run

test: $(STAMP)
	-@if [ "$$(id -u)" = "0" ] && ! command -v chromium >/dev/null 2>&1; then \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: browser tests will skip"; fi
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/analysis bench

# Rebuild the shipped stance models from data/annotations: the cross-encoder
# (analysis/stance/models/newsmtsc-minilm, from newsmtsc/train.jsonl; about 20 CPU minutes)
# and the fast learner (analysis/stance/models/fast, from the generated set).
model: $(STAMP)
	$(BIN)/analysis stance build-default
	$(BIN)/analysis stance build-default --fast

clean:
	rm -rf $(VENV) .pytest_cache
