# wxbind: `make run` to try it, `make test` to check it. Needs only Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
BROWSER_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wxbind

.PHONY: install install-runtime run test lint test-sqlite test-postgres bench eval format clean teams-package

# `make run` needs only what the product runs on; tests and tools add requirements-dev.txt.
$(RUNTIME_STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit("wxbind needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(RUNTIME_STAMP)

$(STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

# Microsoft's Adaptive Cards renderer for Try the bot and the entry preview (package.json), from npm.
# Without npm everything else works; those pages show Teams cards as JSON and say why.
$(BROWSER_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(BROWSER_STAMP); \
	else \
		echo "NOTE: npm not found: Try the bot shows Teams cards as JSON (install Node.js, then run make install)"; \
	fi

install-runtime: $(RUNTIME_STAMP) $(BROWSER_STAMP)

install: $(STAMP) $(BROWSER_STAMP)

run: install-runtime
	$(BIN)/python manage.py bootstrap
	@echo "wxbind is at http://$(HOST):$(PORT)/  (Try the bot: /try/, admin: /admin/, API docs: /api/docs/)"
	$(BIN)/python manage.py runall --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: install
	$(BIN)/python -m pytest

# The PostgreSQL tier runs the same suite against a real server. Locally it is
# skipped (and says so) when no server answers; in CI (CI=true) that is a failure.
test-postgres: install
	@if $(BIN)/python -m supportbot.probe database "$(TEST_DATABASE_URL)"; then \
		DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/python -m pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "FAILED: PostgreSQL tier needs a server at $(TEST_DATABASE_URL)"; exit 1; \
	else \
		echo "SKIPPED: PostgreSQL tier (no server at $(TEST_DATABASE_URL); set TEST_DATABASE_URL to run it)"; \
	fi

test: lint test-sqlite test-postgres

bench: install
	$(BIN)/python bench/search_bench.py
	@if $(BIN)/python -m supportbot.probe database "$(TEST_DATABASE_URL)"; then \
		$(BIN)/python bench/slack_bench.py; \
		$(BIN)/python bench/teams_bench.py; \
		$(BIN)/python bench/followups_bench.py; \
		$(BIN)/python bench/insights_bench.py; \
	else \
		echo "SKIPPED: Slack, Teams, follow-up and insights benchmarks (need PostgreSQL at $(TEST_DATABASE_URL))"; \
	fi

# Search quality: example questions (cross-validated), eval/ held-out questions and ../shared/eval/ (see eval/search_eval.py).
eval: install
	$(BIN)/python eval/search_eval.py

# The Teams app to upload (needs TEAMS_APP_ID and WXBIND_BASE_URL): build/wxbind-teams.zip.
teams-package: install
	$(BIN)/python manage.py teams_package

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache .test-db.sqlite3 build
