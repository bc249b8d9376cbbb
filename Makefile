# akiya — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := fonts-ipaexfont fonts-ipamj-mincho poppler-utils chromium
# Only for `make test`: tests/reliability/test_nginx_front.py runs deploy/nginx/akiya.conf in front of the server;
# tests/ops/test_deploy.py checks deploy/prometheus with promtool (prometheus) and deploy/systemd with systemd-analyze;
# tests/reports/test_survey_shapefile.py reads the Shapefile export back with GDAL's ogrinfo (gdal-bin), as a GIS would.
# tests/survey_candidates/test_owner_letters.py reads the letters' QR codes back with zbarimg (zbar-tools).
TEST_PACKAGES := nginx prometheus systemd gdal-bin zbar-tools
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DB ?= var/demo/akiya.sqlite3
DEMO_DATA ?= var/demo/data
# Only for `make test`: the PostgreSQL the tests run on (see the postgres rule).
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_PACKAGES := postgresql postgresql-client
PG_HBA_LINE := host all postgres $(PG_HOST)/32 trust

.PHONY: demo test test-quick system-packages test-packages postgres start-postgres install install-test bench chaos mutate-access mutate bundle clean

# $(call apt-ensure,PACKAGES): install those Debian packages unless all are there already
# (apt-get update only then). As root directly, otherwise through sudo.
define apt-ensure
	@if ! dpkg -s $(1) >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(1); \
	fi
endef

# Debian packages the PDFs (fonts, poppler) and the browser tests (chromium) need.
system-packages: .make/system-packages
.make/system-packages: Makefile
	@mkdir -p .make
	$(call apt-ensure,$(SYSTEM_PACKAGES))
	@touch $@

test-packages: .make/test-packages
.make/test-packages: Makefile
	@mkdir -p .make
	$(call apt-ensure,$(TEST_PACKAGES))
	@touch $@

# A PostgreSQL for the tests at $(PG_HOST):$(PG_PORT), user postgres without a password
# (tests/support/backends.py makes and drops its own database in it). One that answers already
# is used as it is. Otherwise Debian's postgresql is installed if missing, its cluster on
# $(PG_PORT) (created if there is none) lets user postgres in from $(PG_HOST) without a
# password (trust, one line at the top of its pg_hba.conf) and is started with pg_ctlcluster,
# which runs the server as the postgres user even when make runs as root.
# Not a stamp file: the server may have stopped since the last run. A server that answers on the
# port counts even where pg_isready (postgresql-client) is not installed.
postgres:
	$(call apt-ensure,$(PG_PACKAGES))
	@if pg_isready -q -h $(PG_HOST) -p $(PG_PORT) >/dev/null 2>&1 || \
		$(PYTHON) -c "import socket; socket.create_connection(('$(PG_HOST)', $(PG_PORT)), 3)" 2>/dev/null; then \
		echo "PostgreSQL answers at $(PG_HOST):$(PG_PORT)"; \
	else \
		$(MAKE) --no-print-directory start-postgres; \
	fi

start-postgres:
	$(call apt-ensure,$(PG_PACKAGES))
	@set -e; \
	cluster=$$(pg_lsclusters -h | awk '$$3 == "$(PG_PORT)" { print $$1 "/" $$2; exit }'); \
	if [ -z "$$cluster" ]; then \
		version=$$(ls /usr/lib/postgresql | sort -n | tail -1); \
		echo "Creating PostgreSQL cluster $$version/akiya on port $(PG_PORT)"; \
		$(SUDO) pg_createcluster --port $(PG_PORT) $$version akiya >/dev/null; \
		cluster=$$version/akiya; \
	fi; \
	hba=/etc/postgresql/$$cluster/pg_hba.conf; \
	if ! $(SUDO) grep -q '^$(PG_HBA_LINE)' $$hba; then \
		echo "Letting user postgres in from $(PG_HOST) without a password ($$hba)"; \
		$(SUDO) sed -i '1i $(PG_HBA_LINE)' $$hba; \
	fi; \
	if pg_lsclusters -h | awk -v c=$$cluster '$$1 "/" $$2 == c && $$4 ~ /^online/ { up = 1 } END { exit !up }'; then \
		$(SUDO) pg_ctlcluster $${cluster%/*} $${cluster#*/} reload; \
	else \
		$(SUDO) pg_ctlcluster $${cluster%/*} $${cluster#*/} start; \
	fi; \
	for i in $$(seq 30); do \
		pg_isready -q -h $(PG_HOST) -p $(PG_PORT) && break; \
		sleep 1; \
	done; \
	pg_isready -h $(PG_HOST) -p $(PG_PORT)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: .make/install
.make/install: pyproject.toml $(BIN)/python
	@mkdir -p .make
	$(BIN)/pip install -q -e .
	@touch $@

install-test: .make/install-test .make/npm
.make/install-test: pyproject.toml $(BIN)/python
	@mkdir -p .make
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

# esbuild (npm, package.json): bundles field_app/js/ into field_app/app.bundle.js, which the app
# loads as one file (first paint: one request instead of a chain of imports). The bundle is
# committed, so serving needs no Node; tests/browser/test_shell.py fails when it is stale.
.make/npm: package.json package-lock.json
	@mkdir -p .make
	npm ci --no-audit --no-fund --silent
	@touch $@

bundle: .make/npm
	npm run --silent bundle

demo: install system-packages
	@if [ ! -f $(DEMO_DB) ]; then $(BIN)/akiya seed-demo --db $(DEMO_DB) --data-dir $(DEMO_DATA); fi
	AKIYA_DEMO=1 $(BIN)/akiya serve --db $(DEMO_DB) --data-dir $(DEMO_DATA)

# The whole suite on both backends, spread over the cores (pytest-xdist; tests/conftest.py says which
# tests stay together), the 25 slowest tests listed at the end, then the JavaScript tests; last line:
# the wall time. PostgreSQL: the tests start a throwaway cluster of their own from Debian's postgresql
# programs (tests/support/backends.py); the benchmark tests use the one at $(PG_HOST):$(PG_PORT).
PYTEST_WORKERS ?= 2
PYTEST_XDIST = -n $(PYTEST_WORKERS) --dist loadgroup
# A run starts a few hundred Python processes (servers, CLI calls, PDF workers): each compiling the
# project's sources anew (PYTHONDONTWRITEBYTECODE in the caller's environment) cost ~0.24 s of CPU per
# server start. The tests keep compiled bytecode, outside the tree, whatever the caller's environment says.
test test-quick: export PYTHONDONTWRITEBYTECODE =
test test-quick: export PYTHONPYCACHEPREFIX = $(CURDIR)/.make/pycache
test: install-test system-packages test-packages postgres
	@start=$$(date +%s); \
	$(BIN)/python -m pytest $(PYTEST_XDIST) --durations=25; status=$$?; \
	node --test tests/js/ || status=1; \
	echo "make test: $$(( ($$(date +%s) - start) / 60 )) min $$(( ($$(date +%s) - start) % 60 )) s wall time"; \
	exit $$status

# The inner loop while working on one area, on SQLite only: everything but the end-to-end group (chaos,
# a national month, nginx, several processes, the push benchmark) and the folders whose tests start
# real processes or other backends (tests/conftest.py LIVE_FOLDERS: browsers, live servers, nginx,
# rclone, migrate-to). `make test` before you commit: CI runs that.
test-quick: install-test system-packages test-packages
	@start=$$(date +%s); \
	AKIYA_TEST_DB=sqlite $(BIN)/python -m pytest $(PYTEST_XDIST) -m "not end_to_end and not live" --durations=10; status=$$?; \
	node --test tests/js/ || status=1; \
	echo "make test-quick: $$(( ($$(date +%s) - start) / 60 )) min $$(( ($$(date +%s) - start) % 60 )) s wall time"; \
	exit $$status

# One table of figures: sync push throughput and a national month on SQLite and PostgreSQL side by
# side, photo ingest, reports (docs/national-scale-figures.md says how to read them).
bench: install-test system-packages postgres .make/install-bench
	$(BIN)/python bench/run_all.py

.make/install-bench: pyproject.toml $(BIN)/python
	@mkdir -p .make
	$(BIN)/pip install -q -e '.[test,bench]'
	@touch $@

# Full chaos sync: 20 devices × 50 inspections × 3 photos, faulty proxy, ≥ 10 server SIGKILLs.
chaos: install-test
	$(BIN)/python bench/chaos.py --devices 20 --inspections 50 --kills 10

# Mutation check of the visibility rules (server/users/access.py): each mutant must fail the access tests.
mutate-access: install-test system-packages
	$(BIN)/python tests/mutate_access.py

# Mutation check of the core (tests/mutate.py): mutants at random sites of each module, each against the
# module's own in-process tests on SQLite; fails below 90 % killed. The access rules keep their own, faster
# check (every mutant against the access matrix, mutate-access). Tens of minutes on a busy 2-core machine.
MUTATE := $(BIN)/python tests/mutate.py
mutate: install-test system-packages mutate-access
	$(MUTATE) --max 40 server/photos/evidence.py tests/photos/test_evidence.py
	$(MUTATE) --max 40 server/sync/push.py tests/api/test_push.py tests/api/test_corrections.py
	$(MUTATE) --max 40 server/rubrics/engine.py tests/rubrics/test_conformance_vectors.py \
		tests/rubrics/test_answer_properties.py tests/rubrics/test_shipped_rubrics.py tests/rubrics/test_survey_v2_statutory.py

clean:
	rm -rf .make var .pytest_cache
