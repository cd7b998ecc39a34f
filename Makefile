# Amn — two commands: `make demo` (set up and serve) and `make test` (the whole suite).
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
AMN := $(UV) run --frozen amn
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install messages data lint format clean

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@mkdir -p var

messages: install
	$(UV) run --frozen pybabel compile --domain django --directory amn/locale --statistics

data: messages
	$(AMN) migrate --no-input
	$(AMN) load-reference
	$(AMN) load-demo
	$(AMN) db_worker --batch --no-startup-delay

# The background worker (registry checks, notifications) runs beside the server and stops
# with it.
demo: data
	@$(AMN) demo-logins --base-url http://$(HOST):$(PORT)
	@export AMN_PUBLIC_BASE_URL=$${AMN_PUBLIC_BASE_URL:-http://$(HOST):$(PORT)}; \
	trap 'kill 0' EXIT INT TERM; \
	$(AMN) db_worker --no-startup-delay & \
	$(AMN) runserver --insecure $(HOST):$(PORT)

# The browser tests drive Debian's Chromium; install it when missing (never a downloaded one).
test: messages
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	$(UV) run --frozen ruff check .
	$(UV) run --frozen bandit --quiet --recursive amn --severity-level high --exclude '*/tests/*'
	$(UV) run --frozen pytest

lint:
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format:
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

clean:
	rm -rf .venv var staticfiles .pytest_cache .ruff_cache
	find amn -name '*.mo' -delete
