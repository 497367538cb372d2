# Salesfloor — every target creates .venv and installs what it needs when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_BIN := node_modules/.bin
NODE_STAMP := node_modules/.installed-stamp

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The pages' checks (ESLint, Prettier, TypeScript) from package-lock.json; only lint needs Node.js.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NODE_STAMP)

demo: $(STAMP)
	$(VENV)/bin/salesfloor demo

test: $(STAMP)
	$(PY) -m pytest -q -n auto -p no:cacheprovider

lint: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(NODE_BIN)/eslint
	$(NODE_BIN)/prettier --check .
	$(NODE_BIN)/tsc -p tsconfig.json

bench: $(STAMP)
	$(PY) bench/fast_forward.py

clean:
	rm -rf $(VENV) node_modules build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
