# Styrmodell: `make run` starts the demo on SQLite; `make test` runs the whole test suite.
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV_PY := .venv/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/styrmodell
# One worker per core; each gets its own test database (pytest-django adds _gw0, _gw1, ...).
PYTEST_ARGS ?= -n auto --dist worksteal
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv lint migrate demo browser-tools clean

run: venv
	mkdir -p var
	$(VENV_PY) manage.py migrate --noinput -v0
	$(VENV_PY) manage.py seed_demo --if-empty
	@echo ""
	@echo "Styrmodell körs på http://$(HOST):$(PORT)/  (avsluta med Ctrl+C)"
	$(VENV_PY) manage.py runserver $(HOST):$(PORT)

test: venv browser-tools
	DATABASE_URL=$(TEST_DATABASE_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(VENV_PY) -m pytest $(PYTEST_ARGS)

venv: .venv/.synced

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

browser-tools: node_modules/.installed
	@sh scripts/ensure-test-packages.sh

# The npm test tools: axe-core (accessibility) and oidc-provider (the single sign-on tests'
# provider), installed again whenever the lock file changes.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: venv
	.venv/bin/ruff check .

clean:
	rm -rf .venv .tools node_modules var
