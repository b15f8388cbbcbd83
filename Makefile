# Linli: two commands to start. `make run` for a laptop, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
LOCK := requirements/dev.lock
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt venv migrate seed messages check-services worker beat clean lock bench

$(STAMP): $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(LOCK)
	@touch $(STAMP)

venv: $(STAMP)

## make run: migrate, load demo data, start web + Celery worker + beat. One Ctrl-C stops all.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --scale small
	$(PY) manage.py run_all

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

seed: $(STAMP)
	$(PY) manage.py seed_demo --scale small

## make lint: ruff, missing migrations, and the compiled Chinese catalogue being up to date.
lint: $(STAMP)
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.local DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_messages.py

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: refresh the Chinese catalogues of every app and compile them.
messages: $(STAMP)
	$(PY) scripts/make_messages.py

check-services: $(STAMP)
	@$(PY) scripts/check_services.py

## make test: lint, then the whole suite against PostgreSQL and Redis (browser tests included),
## then the smoke, public-form and API tests once more on a fresh SQLite database.
test: $(STAMP) check-services lint
	$(BIN)/pytest -q
	DATABASE_URL=sqlite:///$(CURDIR)/var/test-sqlite.sqlite3 $(BIN)/pytest -q -m sqlite -p no:randomly

bench: $(STAMP)
	$(PY) -m bench.run

## make lock: re-pin every dependency from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml -o requirements/base.lock --python-version 3.11
	uv pip compile pyproject.toml --extra dev -o requirements/dev.lock --python-version 3.11

clean:
	rm -rf var/broker var/test-media var/*.sqlite3*
