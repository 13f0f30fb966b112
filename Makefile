# Every target creates and uses .venv; a fresh clone needs nothing else.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
SHARED  ?= ../shared
# A CJK TrueType font for the PDF fixtures the tests render (Debian's fonts-wqy-zenhei).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

.PHONY: run test lint bench clean fonts chromium notebooks ocr

# pip builds the C loops (extract/ingest/_pdfium_loops.c) into the package where a compiler is
$(STAMP): pyproject.toml extract/ingest/_pdfium_loops.c
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

test: $(STAMP) fonts chromium ocr
	$(BIN)/ruff check extract tests bench
	$(BIN)/pytest

# Headless Chromium for the review pages' browser test (Debian's chromium and chromium-driver).
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "note: could not install chromium chromium-driver"; \
	  else echo "note: no /usr/bin/chromium; the review pages' browser test will be skipped — apt-get install chromium chromium-driver"; fi; \
	fi

# Tesseract with Debian's Chinese models, for OCR of scans (tests and bench skip OCR without it).
ocr:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim \
	    || ! tesseract --list-langs 2>/dev/null | grep -qx chi_tra; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-chi-sim \
	      tesseract-ocr-chi-tra >/dev/null) || echo "note: could not install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra"; \
	  else echo "note: no tesseract with chi_sim; OCR tests will be skipped — apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra"; fi; \
	fi

# Executes notebooks/explore.ipynb headless on out/ (extracted from the seeds if missing) and writes
# notebooks/explore.executed.ipynb and the comparison chart notebooks/explore_comparison.png.
notebooks: $(STAMP) fonts
	@if [ ! -f out/facts.parquet ]; then $(BIN)/libstat extract corpus/seeds -o out -q; fi
	$(BIN)/python -m extract.outputs.notebook notebooks/explore.ipynb --out out

lint: $(STAMP)
	$(BIN)/ruff check extract tests bench

bench: $(STAMP) fonts ocr
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_ocr.py
	$(BIN)/python bench/bench_single_line.py --mb 10

clean:
	rm -rf $(VENV) out bench/work .pytest_cache
