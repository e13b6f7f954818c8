# The README's two commands: `make demo` and `make test`. Both set up everything on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test bench services system-deps build-deps lint clean

$(STAMP): pyproject.toml | build-deps
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# resemblyzer pulls webrtcvad, which PyPI has only as source: it needs a C compiler and Python headers
build-deps:
	@(command -v gcc >/dev/null && python3 -c "import os, sys, sysconfig; \
		sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))") || \
		(apt-get update -qq && apt-get install -y -qq gcc python3-dev)

system-deps: build-deps
	@command -v pg_isready >/dev/null || (apt-get update -qq && apt-get install -y -qq postgresql-client)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	@# the PDF printouts' font (any script of a name); without it they fall back to Latin-1 Helvetica
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || (apt-get update -qq && apt-get install -y -qq fonts-dejavu-core)

services: system-deps
	bash scripts/ensure_services.sh

test: $(STAMP) services
	$(PY) -m pytest

demo: $(STAMP)
	$(VENV)/bin/callcoach demo --serve

bench: $(STAMP) services
	$(PY) benchmarks/run_all.py

LINTED := qa scoring transcription coaching_ui tests benchmarks

lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/mypy $(LINTED)

clean:
	rm -rf $(VENV) var
