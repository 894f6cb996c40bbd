# Underpin: `make run` to use it, `make test` to test it. Nothing else needs installing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := FLASK_DEBUG=1 $(BIN)/flask --app wsgi
TRANSLATIONS := portal/translations

.PHONY: run test test-browser lint translations extract-messages serve install clean \
	coverage-permissions

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d $(TRANSLATIONS) -f

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _ln:1,2 -k lazy_ngettext:1,2 --project Underpin -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

run: install
	@$(FLASK) db upgrade
	@$(FLASK) seed-demo --if-empty --quiet
	@$(FLASK) demo-logins
	@echo "Underpin runs on http://127.0.0.1:5000 (Ctrl-C stops it)."
	@$(FLASK) run --host 127.0.0.1 --port 5000 --no-debugger

# Production: gunicorn on DATABASE_URL (PostgreSQL), SECRET_KEY required; migrate first.
serve: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

test: install
	$(BIN)/pytest -q -n auto -m "not browser"
	@$(MAKE) --no-print-directory coverage-permissions

# Who may do what is decided in one module: every branch of it is exercised by its tests.
coverage-permissions: install
	$(BIN)/pytest -q tests/portal/test_permissions.py \
		--cov=portal --cov-branch --cov-report= --cov-fail-under=0
	$(BIN)/coverage report --include=portal/permissions.py --show-missing --fail-under=100

test-browser: install
	$(BIN)/pytest -q -m browser tests/browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) instance

# Benchmarks (bench/README.md): SQLite by default, PostgreSQL with BENCH_DATABASE_URL set.
.PHONY: bench bench-quick
bench: install
	$(BIN)/python bench/run.py --scale 1.0

bench-quick: install
	$(BIN)/python bench/run.py --scale 0.1
