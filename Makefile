# Shuren: `make demo` starts the demo, `make test` runs the tests. Needs python3, git and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in parallel (pytest-xdist): a process, a test database and a temporary folder per
# worker, each building the shared test world once. `--dist load` hands each worker consecutive
# tests in pytest-django's order, so transactional tests (which empty the database) still come
# after the others in every worker; loadfile/loadscope reorder files and drop tests that share a
# node id, worksteal breaks the order (conftest.py refuses or reports each). One process:
# `make test PYTEST_ARGS="-n0 -k foo"` (the last -n wins); `XDIST=` drops the default.
XDIST ?= -n 2 --dist load

.PHONY: demo test test-browser test-postgres lint types imports format check-migrations check-deploy ci setup serve worker sweep screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py compiletranslations

demo: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py loaddemo
	$(PY) manage.py collectstatic --no-input -v0
	$(PY) manage.py rundemo --host $(HOST) --port $(PORT)

test: setup
	$(VENV)/bin/pytest $(XDIST) $(PYTEST_ARGS)

test-browser: setup
	$(VENV)/bin/pytest -m browser $(XDIST) $(PYTEST_ARGS)

screenshots: setup
	SHUREN_SCREENSHOTS=1 $(VENV)/bin/pytest -m browser $(XDIST)

# The tests that use a database, again on PostgreSQL (the others ran in `make test`), but for
# the walks of every route for every role (marker one_database: the scope matrix, handled
# matters): the QuerySets their views ask are checked on both databases by their queryset tests.
test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} SHUREN_DATABASE_TESTS_ONLY=1 \
		$(VENV)/bin/pytest -m "not browser and not one_database" $(XDIST) $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: setup
	$(VENV)/bin/mypy shuren

imports: setup
	$(VENV)/bin/lint-imports

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations: setup
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: setup
	SHUREN_ENV=production DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=shuren.example.cn \
		SHUREN_FIELD_KEYS=k1:$$($(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
		SHUREN_INDEX_KEY=$$($(PY) -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())') \
		$(PY) manage.py check --deploy --fail-level WARNING

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var .secret_key
