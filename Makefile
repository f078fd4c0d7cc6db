# The README's two commands: `make run` and `make test`. Both do all set-up first (scripts/setup.sh).
SHELL := /bin/bash
PY := .venv/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup lint contracts pytest bench bundle test-bundle train-extra clean

setup:
	@./scripts/setup.sh

run: setup
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "No display found (DISPLAY/WAYLAND_DISPLAY unset): running the headless demo instead."; \
		$(PY) -m musestudio --demo; \
	else \
		$(PY) -m musestudio $(ARGS); \
	fi

# In CI (CI=true) the test run also builds the bundle and tests the frozen app (about 5 min more).
test: setup lint contracts pytest $(if $(filter true,$(CI)),test-bundle)

lint:
	@$(PY) -m ruff check musestudio tests benchmarks scripts packaging resources
	@$(PY) -m ruff format --check --quiet musestudio tests benchmarks scripts packaging resources

contracts:
	@.venv/bin/lint-imports

pytest:
	@QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

# These take arguments (the data sets to build or the learned style to check; models/README.md gives the
# commands), so `make bench` lists them rather than stopping at argparse's usage error.
BENCH_WITH_ARGS := benchmarks/composer_midi_files.py benchmarks/learned_steps.py benchmarks/piano_midi_files.py

bench: setup
	@for b in benchmarks/*.py; do \
		if [[ " $(BENCH_WITH_ARGS) " == *" $$b "* ]]; then echo "== $$b: takes arguments, see --help"; continue; fi; \
		echo "== $$b"; $(PY) $$b || exit 1; \
	done

# The installable bundle: dist/MuseStudio/ and its .tar.gz (packaging/build_bundle.sh); test-bundle builds
# it and runs the frozen app without the system's FluidSynth/PortAudio (tests/packaging, marked slow).
bundle: setup
	@packaging/build_bundle.sh

test-bundle: setup
	@QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -s -p no:cacheprovider -m slow tests/packaging

train-extra: setup
	@$(PY) -m pip install -q -e ".[dev,train]"

clean:
	rm -rf build dist .pytest_cache
