# Every target creates and uses .venv; a fresh clone needs nothing else.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SHARED  ?= ../shared
# A CJK TrueType font for the PDF fixtures the tests render (Debian's fonts-wqy-zenhei).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

.PHONY: run test lint bench clean fonts

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/libstat extract corpus/seeds -o out
	@if [ -d $(SHARED)/gold/seeds ]; then $(BIN)/libstat evaluate $(SHARED)/gold/seeds out --no-misses | tail -n 3; fi

fonts:
	@if [ ! -f $(CJK_FONT) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei >/dev/null) || echo "note: could not install fonts-wqy-zenhei"; \
	  else echo "note: no CJK font ($(CJK_FONT)); PDF fixture tests will be skipped — apt-get install fonts-wqy-zenhei"; fi; \
	fi

test: $(STAMP) fonts
	$(BIN)/ruff check extract tests bench
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check extract tests bench

bench: $(STAMP) fonts
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_pdf.py

clean:
	rm -rf $(VENV) out bench/work .pytest_cache
