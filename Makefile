# neurolab course: `make course` serves the dashboards, `make test` runs every test.
# Works as root on a fresh Debian machine with Python >= 3.10 (as CI runs it).

PYTHON ?= python3
PIP := $(PYTHON) -m pip install --disable-pip-version-check --progress-bar off
# Debian marks its system Python "externally managed"; as root on a throwaway machine
# (CI, a class server) installing into it is what we want. Harmless elsewhere.
export PIP_BREAK_SYSTEM_PACKAGES := 1
PORT ?= 8866
ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL := --nbval-lax notebooks/ --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: course test lab bench pip chromium install-course install-test

pip:
	@$(PYTHON) -m pip --version >/dev/null 2>&1 || \
	  { apt-get update && apt-get install -y python3-pip; }

install-course: pip
	$(PIP) -e ".[course]"

install-test: pip
	$(PIP) -e ".[test]"

# Debian's own chromium, driven by Playwright (never `playwright install`).
chromium:
	@test -x /usr/bin/chromium || { apt-get update && apt-get install -y chromium; }

## Serve every notebook as a Voila dashboard; prints the playground's URL.
course: install-course
	$(PYTHON) -m neurolab.serve --port $(PORT) $(ARGS)

## Unit tests, then every notebook through nbval, then the browser tests.
test: install-test chromium
	$(PYTHON) -m pytest -m "not browser"
	@if ! ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  echo "nbval: no notebooks in notebooks/ yet, nothing to run"; \
	else status=0; $(PYTHON) -m pytest $(NBVAL) || status=$$?; \
	  if [ $$status -eq 5 ]; then echo "nbval: no notebook cells collected"; \
	  elif [ $$status -ne 0 ]; then exit $$status; fi; fi
	$(PYTHON) -m pytest -m browser tests/browser

## JupyterLab on the notebooks (this machine only).
lab: install-course
	$(PYTHON) -m jupyter lab notebooks/ --no-browser --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG)

## Speed benchmarks (prints a table; not part of the tests).
bench: pip
	$(PIP) -e ".[bench]"
	$(PYTHON) benchmarks/run.py
