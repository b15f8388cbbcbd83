# Linli: two commands to start. `make run` for a laptop, `make test` for the whole suite.
# DATABASE_URL and REDIS_URL pass through from the environment (no `export` here: that would set them to
# "" when unset). Unset, `make run` uses an embedded SQLite file and broker, and `make test` uses
# postgres://postgres@127.0.0.1:5432/linli and redis://127.0.0.1:6379/14.
# PYTEST_ARGS adds pytest options, e.g. `make test PYTEST_ARGS="-x tests/ops"`. The PostgreSQL passes run in
# PYTEST_WORKERS pytest-xdist processes (2 by default; 0 runs serially): each has its own test database and
# its own Redis database (config/settings/test.py), so worker tests never share a queue.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
LOCK := requirements/dev.lock
STAMP := $(VENV)/.installed
BENCH_LOCK := requirements/bench.lock
BENCH_STAMP := $(VENV)/.installed-bench
SQLITE_TEST_DB := $(CURDIR)/var/test-sqlite.sqlite3
PYTEST_ARGS ?=
PYTEST_WORKERS ?= 2

.PHONY: run test pytest pytest-sqlite lint fmt venv migrate seed messages check-services worker beat \
	clean lock bench bench-outbox bench-public bench-phone bench-stats bench-staff bench-imports bench-load collectstatic

$(STAMP): $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(LOCK)
	@touch $(STAMP)

venv: $(STAMP)

# The load test's own packages (locust, gevent) on top of the dev lock, only when `make bench-load` runs:
# bench.lock is compiled with dev.lock as constraints, so this adds packages and never changes one.
$(BENCH_STAMP): $(STAMP) $(BENCH_LOCK)
	$(PY) -m pip install --quiet -r $(BENCH_LOCK)
	@touch $(BENCH_STAMP)

## make run: migrate, load demo data, start web + Celery worker + beat. One Ctrl-C stops all.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	@$(MAKE) --no-print-directory seed
	$(PY) manage.py run_all

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

## make seed: the demo registry, request categories, a visiting campaign, requests and wishes, volunteers and
## merchants, the 15-minute service circle, party-building projects, a deliberation, co-building units and
## their lists, the people and work phones of the contact cards; each step is idempotent.
seed: $(STAMP)
	$(PY) manage.py seed_demo --scale small
	$(PY) manage.py petitions_default_categories
	$(PY) manage.py seed_visits
	$(PY) manage.py seed_petitions
	$(PY) manage.py seed_volunteers
	$(PY) manage.py seed_servicemap
	$(PY) manage.py seed_projects
	$(PY) manage.py seed_deliberation
	$(PY) manage.py seed_cobuilding
	$(PY) manage.py seed_cards

## The web server, worker and beat one by one, for debugging one of them.
worker: $(STAMP)
	$(PY) -m celery -A config worker --loglevel=INFO --pool=threads --concurrency=2

beat: $(STAMP)
	$(PY) -m celery -A config beat --loglevel=INFO

collectstatic: $(STAMP)
	$(PY) manage.py collectstatic --noinput

## make lint: ruff, missing migrations, the compiled Chinese catalogue being up to date, bandit (settings in
## pyproject.toml) and pip-audit of the lock (SKIP, not a failure, where the vulnerability database is
## out of reach: scripts/audit_deps.py).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.local DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_messages.py
	$(BIN)/bandit -q -c pyproject.toml -r .
	$(PY) scripts/audit_deps.py

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: refresh the Chinese catalogues of every app and compile them.
messages: $(STAMP)
	$(PY) scripts/make_messages.py

## check-services: PostgreSQL and Redis reachable? Exit 2 with what to start, never a traceback.
check-services: $(STAMP)
	@$(PY) scripts/check_services.py

## make test: services, lint, then the whole suite against PostgreSQL and Redis (browser tests included),
## then the tests marked `sqlite` (smoke, public forms, API) once more on a fresh SQLite file.
test: $(STAMP)
	@$(MAKE) --no-print-directory check-services
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory pytest
	@$(MAKE) --no-print-directory pytest-sqlite

# Browser tests run in a pytest process of their own: Playwright keeps an event loop running in the main
# thread for the rest of a session, and Django then refuses the ORM there (SynchronousOnlyOperation) in
# every later transactional or worker test. Exit code 5 ("no tests collected") is not a failure.
ALLOW_NONE := status=$$?; if [ $$status -eq 5 ]; then echo "(no tests collected)"; exit 0; fi; exit $$status

pytest: $(STAMP)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) -m "not browser" $(PYTEST_ARGS); $(ALLOW_NONE)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) -m browser $(PYTEST_ARGS); $(ALLOW_NONE)

# The tests marked `sqlite` once more, on a fresh SQLite file, serially: each xdist worker would first
# migrate a database of its own, which costs more on SQLite than the tests it would take over.
pytest-sqlite: $(STAMP)
	rm -f $(SQLITE_TEST_DB) $(SQLITE_TEST_DB)-wal $(SQLITE_TEST_DB)-shm
	DATABASE_URL=sqlite:///$(SQLITE_TEST_DB) $(BIN)/pytest -q -m "sqlite and browser" $(PYTEST_ARGS); $(ALLOW_NONE)
	rm -f $(SQLITE_TEST_DB) $(SQLITE_TEST_DB)-wal $(SQLITE_TEST_DB)-shm
	DATABASE_URL=sqlite:///$(SQLITE_TEST_DB) $(BIN)/pytest -q -m "sqlite and not browser" $(PYTEST_ARGS); $(ALLOW_NONE)

bench: $(STAMP)
	$(PY) -m bench.run

## PostgreSQL benchmarks (DATABASE_URL of a database of their own): the outbox claim and sweep; the public
## board and form against a bare view under gunicorn (needs wrk).
bench-outbox: $(STAMP)
	$(PY) -m bench.outbox
bench-public: $(STAMP)
	$(PY) -m bench.public_pages
## The public form and board on a throttled phone (Fast 3G, 4x CPU, headless Chromium): LCP against a bare page.
bench-phone: $(STAMP)
	$(PY) -m bench.phone_form
## The statistics at district scale (1,000,000 requests; p95 per page and the time of each section) and
## the registry import of 3,100 and 31,000 residents (time and peak memory).
bench-stats: $(STAMP)
	$(PY) -m bench.stats
bench-staff: $(STAMP)
	$(PY) -m bench.staff_pages
bench-imports: $(STAMP)
	$(PY) -m bench.imports
## make bench-load: 200 locust users (residents on the board, form, submit and tracking; grid leaders on the
## dashboard home and items) for 2 minutes against gunicorn and a Celery worker on loopback: p50/p95,
## errors and req/s per endpoint, never asserted. DATABASE_URL: a seeded database of its own (seed_demo); BENCH_ARGS
## passes options, e.g. BENCH_ARGS="--users 50". bench.load_profile shows where one request of each page goes.
BENCH_ARGS ?=
bench-load: $(BENCH_STAMP)
	$(PY) -m bench.load $(BENCH_ARGS)

## make lock: re-pin every dependency from pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml -o requirements/base.lock --python-version 3.11
	uv pip compile pyproject.toml --extra dev -o requirements/dev.lock --python-version 3.11
	uv pip compile pyproject.toml --extra bench -c requirements/dev.lock -o requirements/bench.lock \
		--python-version 3.11

clean:
	rm -rf var/broker var/test-media var/*.sqlite3*
