# Every target creates and uses .venv; a fresh clone needs nothing else.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SHARED  ?= ../shared

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/libstat extract corpus/seeds -o out
	@if [ -d $(SHARED)/gold/seeds ]; then $(BIN)/libstat evaluate $(SHARED)/gold/seeds out --no-misses | tail -n 3; fi

test: $(STAMP)
	$(BIN)/ruff check extract tests bench
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check extract tests bench

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) out bench/work .pytest_cache
