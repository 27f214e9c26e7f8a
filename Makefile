# Frontline: `make run` serves the dashboard, `make test` runs the whole suite.
# Both do every set-up step themselves on a fresh Debian machine with Python 3.11.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
# Loopback only unless told otherwise: `make run HOST=0.0.0.0 ALLOWED_HOSTS=atlas.example.org`
HOST   ?= 127.0.0.1
# Host names a browser may use besides localhost (.streamlit/config.toml), comma-separated
ALLOWED_HOSTS ?=
comma := ,
HOST_FLAGS = $(if $(ALLOWED_HOSTS),$(foreach h,localhost 127.0.0.1 $(subst $(comma), ,$(ALLOWED_HOSTS)),--server.allowedHosts $(h)))
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run serve-team test setup assets browser nginx bench validate clean help

help:
	@echo "make run    - set up and serve the dashboard on http://localhost:$(PORT)"
	@echo "make serve-team - N Streamlit processes behind nginx on TEAM_PORT (N=2 TEAM_PORT=8080 HOST=127.0.0.1)"
	@echo "make test   - set up (with test tools and Chromium) and run every test"
	@echo "make bench  - run the benchmarks in bench/"

run: setup
	$(VENV)/bin/streamlit run dashboard.py --server.port $(PORT) --server.address $(HOST) --server.headless true $(HOST_FLAGS)

# A team: N processes behind Debian's nginx on one port (frontline/team.py, deploy/nginx.conf.template).
N ?= 2
TEAM_PORT ?= 8080
serve-team: setup nginx
	$(PY) -m frontline serve-team --processes $(N) --port $(TEAM_PORT) --host $(HOST) \
	  $(foreach h,$(subst $(comma), ,$(ALLOWED_HOSTS)),--allowed-host $(h))

test: setup $(VENV)/.dev browser nginx
	$(PY) -m pytest

setup: $(VENV)/.installed assets

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv is missing: installing it with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# The map's JS/CSS come from the npm registry (web/package.json), never from the repo.
assets: static/vendor/.installed

static/vendor/.installed: web/package.json $(VENV)/.installed
	@command -v npm >/dev/null || { \
	  echo "npm is missing: installing Debian's npm with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm; }
	cd web && npm install --no-package-lock --no-audit --no-fund --loglevel=error
	$(PY) -m frontline assets
	touch $@

# Headless Chromium for the browser tests: Debian's package (Playwright's own download is not used).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null; then \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; \
	  else echo "Install Chromium (Debian: apt-get install chromium) to run the browser tests"; exit 1; fi; }

nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null; then \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nginx; \
	  else echo "Install nginx (Debian: apt-get install nginx) to serve a team"; exit 1; fi; }

bench: setup $(VENV)/.dev browser nginx
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

validate: setup
	$(PY) -m frontline validate

clean:
	rm -rf $(VENV) web/node_modules static/vendor .pytest_cache
