# akiya — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := fonts-ipaexfont fonts-ipamj-mincho poppler-utils chromium
# Only for `make test`: tests/reliability/test_nginx_front.py runs deploy/nginx/akiya.conf in front of the server.
TEST_PACKAGES := nginx
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO_DB ?= var/demo/akiya.sqlite3
DEMO_DATA ?= var/demo/data

.PHONY: demo test system-packages test-packages install install-test bench chaos mutate-access clean

# Debian packages the PDFs (fonts, poppler) and the browser tests (chromium) need.
system-packages: .make/system-packages
.make/system-packages: Makefile
	@mkdir -p .make
	@if ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi
	@touch $@

test-packages: .make/test-packages
.make/test-packages: Makefile
	@mkdir -p .make
	@if ! dpkg -s $(TEST_PACKAGES) >/dev/null 2>&1; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(TEST_PACKAGES); \
	fi
	@touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: .make/install
.make/install: pyproject.toml $(BIN)/python
	@mkdir -p .make
	$(BIN)/pip install -q -e .
	@touch $@

install-test: .make/install-test
.make/install-test: pyproject.toml $(BIN)/python
	@mkdir -p .make
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

demo: install system-packages
	@if [ ! -f $(DEMO_DB) ]; then $(BIN)/akiya seed-demo --db $(DEMO_DB) --data-dir $(DEMO_DATA); fi
	AKIYA_DEMO=1 $(BIN)/akiya serve --db $(DEMO_DB) --data-dir $(DEMO_DATA)

test: install-test system-packages test-packages
	$(BIN)/python -m pytest
	node --test tests/js/

# One table of figures: sync push throughput, photo ingest, reports.
bench: install-test system-packages .make/install-bench
	$(BIN)/python bench/run_all.py

.make/install-bench: pyproject.toml $(BIN)/python
	@mkdir -p .make
	$(BIN)/pip install -q -e '.[test,bench]'
	@touch $@

# Full chaos sync: 20 devices × 50 inspections × 3 photos, faulty proxy, ≥ 10 server SIGKILLs.
chaos: install-test
	$(BIN)/python bench/chaos.py --devices 20 --inspections 50 --kills 10

# Mutation check of the visibility rules (server/access.py): each mutant must fail the access tests.
mutate-access: install-test system-packages
	$(BIN)/python tests/mutate_access.py

clean:
	rm -rf .make var .pytest_cache
