# Two commands set up everything on a fresh machine (Python 3.11+):
#   make demo   tix on the embedded default (SQLite, Maildir): installs, seeds a demo
#   make test   the whole test suite against the local PostgreSQL and Redis
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test check install

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/tix demo
	@echo
	@echo "tix is ready: . $(VENV)/bin/activate && tix --help"

check: $(STAMP)
	$(VENV)/bin/ruff check tix tests bench migrations setup.py
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: $(STAMP)
	scripts/ensure-test-services
	$(MAKE) --no-print-directory check
	$(VENV)/bin/pytest -q -p no:cacheprovider
