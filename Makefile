# make run   — set up (first time) and start the app with the sample data and a demo account
# make test  — set up (first time) and run every test
# make bench — the speed targets
# make messages — recompile the text catalogue after editing a .po file
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench messages browser-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m elevator app --demo

# Debian's chromium, chromium-driver and a CJK font for the one real-browser test
browser-deps:
	bash scripts/install-browser.sh

test: $(STAMP) browser-deps
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m elevator bench

# after editing elevator/locale/*/LC_MESSAGES/elevator.po
messages: $(STAMP)
	$(PY) -m elevator.core.catalogue

clean:
	rm -rf $(VENV) .pytest_cache test-output
