# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
UV := .uv/bin/uv
PY := $(VENV)/bin/python
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
# Never let uv fetch an interpreter of its own: .python-version selects an installed one.
export UV_PYTHON_DOWNLOADS := never
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hlt

.PHONY: run setup test test-fast lint format messages makemessages check-db clean

# Development: DEBUG on, SQLite unless DATABASE_URL is set, background tasks (the printed SIP
# plan) run at once inside the request, so no worker process is needed.
RUN_ADDRESS ?= 127.0.0.1:8000

run: setup messages
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py seed_demo_cases
	DEBUG=1 $(PY) manage.py runserver $(RUN_ADDRESS)

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Installs exactly the versions in uv.lock (fails if pyproject.toml and the lock disagree).
setup: $(UV)
	$(UV) sync --frozen

messages: setup
	cd $(CURDIR) && DEBUG=1 $(abspath $(PY)) manage.py compilemessages --ignore=.venv --ignore=.uv -v0

makemessages: setup
	DEBUG=1 $(PY) manage.py makemessages -l sv --ignore=.venv --ignore=.uv --ignore=tests --no-obsolete

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# pytest-xdist: TEST_WORKERS processes, each with its own test database (test_hlt_gw0, …),
# copied from one migrated template database, made fresh by `make test`; `make test-fast`
# reuses them (local iteration only). With loadgroup, conftest.py's scheduler keeps a module
# that builds one expensive fixture on one worker and starts the longest tests first.
TEST_WORKERS ?= 3
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

test: setup messages lint
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PYTEST) --create-db

test-fast: setup messages
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PYTEST) --reuse-db -x -m "not browser"

clean:
	rm -rf $(VENV) .uv staticfiles db.sqlite3

# Region-scale benchmark (README: Performance): builds or reuses hlt_bench_01 and hlt_bench_1,
# measures the app under gunicorn with wrk, prints a table and writes bench/results.json.
.PHONY: bench
# BENCH_ARGS: more run_bench options, e.g. --port-range 8600-8699 --refuse-busy.
BENCH_SCALES ?= 0.1 1
BENCH_ARGS ?=
bench: setup messages
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk)
	DJANGO_SETTINGS_MODULE=bench.settings DEBUG=1 $(PY) manage.py run_bench --scales $(BENCH_SCALES) $(BENCH_ARGS)
