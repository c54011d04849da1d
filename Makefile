# CNCD à la carte — the two set-up commands: `make run` (site with demo content) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# What WeasyPrint (PDF) and compilemessages need from the system.
SYSTEM_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core shared-mime-info
# What the end-to-end tests drive: Debian's own Chromium (Playwright downloads no browser).
TEST_SYSTEM_PACKAGES := chromium
# The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n 0 tests/forms" runs a part in one process.
PYTEST_ARGS ?= -n auto
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install system-packages test-system-packages bench-system-packages setup lint format messages bench

run: setup  ## Install everything, build the demo site on SQLite and serve it
	@echo "CNCD à la carte: http://$(HOST):$(PORT)/  (admin: /admin/, API: /api/docs)"
	WAGTAILADMIN_BASE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install test-system-packages node_modules/.installed  ## Run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

install: system-packages $(VENV)/.installed

# axe-core, injected by the end-to-end tests (exact version in package-lock.json).
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || $(MAKE) -s system-packages SYSTEM_PACKAGES="npm"
	npm ci --no-audit --no-fund --silent
	touch $@

test-system-packages:
	@$(MAKE) -s system-packages SYSTEM_PACKAGES="$(TEST_SYSTEM_PACKAGES)"

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: requirements.txt requirements-nodeps.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	$(BIN)/python -m pip install -q --no-deps -r requirements-nodeps.txt
	touch $@

lint: install  ## ruff, the import contracts (lint-imports) and the types (mypy)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=site $(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install  ## Refresh the message catalogues after changing strings
	$(BIN)/python manage.py makemessages -l fr -l en -e html,txt,py,mjml --ignore=.venv --ignore=bench --ignore=tests --ignore=var --no-obsolete --no-location

bench: install bench-system-packages  ## Run the benchmarks (bench/run NAME for one)
	$(BIN)/python bench/run

# The newsletter benchmark's SMTP server is Postfix's smtp-sink; the mail server itself stays
# unconfigured and stopped ("No configuration").
bench-system-packages:
	@dpkg-query -W -f='$${Status}' postfix 2>/dev/null | grep -q "ok installed" || { \
		echo "postfix postfix/main_mailer_type select No configuration" | $(SUDO) debconf-set-selections; \
		$(MAKE) -s system-packages SYSTEM_PACKAGES="postfix"; }
