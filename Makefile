# Rasid: `make run` starts the daemon, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONFIG ?= config/rasid.yaml
DEMO_PORT ?= 8765

.PHONY: run test demo check-config clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/rasid run -c $(CONFIG)

test: $(VENV)/.installed
	$(BIN)/python -m pytest

# Benchmarks (bench/): prints one table and writes bench/results.json; under 10 minutes.
$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python bench/run.py

check-config: $(VENV)/.installed
	$(BIN)/rasid check-config -c $(CONFIG)

# The local Arabic news site publishes an article every 4 s; the daemon watches it.
demo: $(VENV)/.installed
	@$(BIN)/python -m demo --port $(DEMO_PORT) --every 4 & site=$$!; \
	trap 'kill $$site 2>/dev/null' EXIT INT TERM; \
	$(BIN)/rasid run -c config/demo.yaml

clean:
	rm -rf var build *.egg-info
