# Single entry point for runai.platform development: `make demo`, `make test`, and one target per test stage.
# Everything runs from the project venv (.venv), created on first use; stamp files keep re-runs fast.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
MAKEFLAGS += --no-print-directory
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
BUILD := $(CURDIR)/.build
# Ansible finds the working tree as runai.platform through this link.
COLLECTIONS := $(BUILD)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/runai/platform
TIMINGS := $(BUILD)/stage-timings
# Simulated lifecycles (Creating -> Pending -> Running -> Completed) run this many times faster than real time.
SIMULATOR_SPEED ?= 20
ANSIBLE_TEST_PYTHON := 3.11
# Extra arguments for ansible-test (sanity, units, integration), e.g. ANSIBLE_TEST_ARGS="runai_workload -v".
ANSIBLE_TEST_ARGS ?=
# Extra arguments for the final plain pytest run, e.g. PYTEST_ARGS="-k report -x".
PYTEST_ARGS ?=
COLOR := $(if $(CI),no,auto)

export PATH := $(BIN):$(PATH)
export ANSIBLE_LOCALHOST_WARNING := False
export ANSIBLE_INVENTORY_UNPARSED_WARNING := False

STAGE := $(CURDIR)/.ci/stage
SIMULATOR := $(BIN)/runai-simulator exec --speed $(SIMULATOR_SPEED) --
WITH_COLLECTION := env ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS)
CONSTRAINTS := -c $(CURDIR)/.ci/constraints.txt
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

SIMULATOR_PROJECT := $(wildcard simulator/pyproject.toml)
SIMULATOR_TEST_REQUIREMENTS := $(wildcard simulator/test-requirements.txt)
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: help demo test lint sanity units integration molecule build sdk pytest benchmark venv venv-test link clean

help:
	@echo "make demo       run playbooks/demo.yml against a local Run:ai simulator (outputs in demo-output/)"
	@echo "make test       the whole suite (two lanes side by side, then pytest); fails if any stage fails"
	@echo "stages:         lint sanity units integration molecule build sdk pytest"
	@echo "                (ANSIBLE_TEST_ARGS=... for sanity/units/integration, PYTEST_ARGS=... for pytest)"
	@echo "make benchmark  run every benchmark under benchmarks/ and print its table"
	@echo "make clean      remove .build/ and demo-output/ (keeps .venv)"

# ---------------------------------------------------------------- environment

$(RUNTIME_STAMP): requirements.txt .ci/constraints.txt $(SIMULATOR_PROJECT)
	@echo "== venv: installing ansible-core, requirements.txt$(if $(SIMULATOR_PROJECT), and the simulator) into .venv"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(PIP) install $(CONSTRAINTS) ansible-core -r requirements.txt $(if $(SIMULATOR_PROJECT),-e ./simulator)
	@touch $@

$(TEST_STAMP): $(RUNTIME_STAMP) test-requirements.txt $(SIMULATOR_TEST_REQUIREMENTS)
	@echo "== venv: installing test-requirements.txt into .venv"
	@$(PIP) install $(CONSTRAINTS) -r test-requirements.txt
	@touch $@

venv: $(RUNTIME_STAMP)
venv-test: $(TEST_STAMP)

link:
	@mkdir -p $(dir $(COLLECTION_LINK))
	@ln -sfn $(CURDIR) $(COLLECTION_LINK)

# ---------------------------------------------------------------- demo

demo: venv link
	@test -x $(BIN)/runai-simulator || { echo "demo: the simulator package (simulator/) is not installed yet"; exit 1; }
	@mkdir -p demo-output
	@$(STAGE) demo $(WITH_COLLECTION) $(SIMULATOR) \
		ansible-playbook playbooks/demo.yml -e runai_demo_output_dir=$(CURDIR)/demo-output
	@echo "Demo outputs are in $(CURDIR)/demo-output/:"
	@ls -1 demo-output | sed 's/^/  /'

# ---------------------------------------------------------------- test stages

# `make test` runs these two lanes side by side (see .ci/lanes), then pytest, which spreads over every core itself.
ANSIBLE_TEST_LANE := sanity units integration
PLAYBOOK_LANE := lint molecule build sdk
STAGE_LOGS := $(BUILD)/stage-logs

test: venv-test
	@mkdir -p $(BUILD) && rm -f $(TIMINGS)
	@failed=""; started=$$(date +%s); \
	RUNAI_STAGE_TIMINGS=$(TIMINGS) MAKE="$(MAKE)" .ci/lanes $(STAGE_LOGS) "$(ANSIBLE_TEST_LANE)" "$(PLAYBOOK_LANE)" \
		|| failed=" $$(tr '\n' ' ' < $(STAGE_LOGS)/failed)"; \
	echo "== stage timings, $$(( $$(date +%s) - started )) s so far, two lanes side by side (pytest runs last)"; \
	sed 's/^/  /' $(TIMINGS); \
	$(MAKE) pytest || failed="$$failed pytest"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi

lint: venv-test link
	@$(STAGE) lint $(WITH_COLLECTION) .ci/lint

sanity: venv-test
	@$(STAGE) sanity .ci/ansible-test sanity --venv --python $(ANSIBLE_TEST_PYTHON) --color $(COLOR) $(ANSIBLE_TEST_ARGS)

units: venv-test
	@if ! find tests/unit -name 'test_*.py' 2>/dev/null | grep -q .; then \
		echo "== units: no unit tests under tests/unit yet, skipped"; \
	else \
		$(STAGE) units .ci/ansible-test units --venv --python $(ANSIBLE_TEST_PYTHON) --color $(COLOR) $(ANSIBLE_TEST_ARGS); \
	fi

# A target is a directory under tests/integration/targets whose aliases file does not say `hidden` (setup_* roles do).
integration: venv-test
	@if ! grep -L -x hidden tests/integration/targets/*/aliases 2>/dev/null | grep -q .; then \
		echo "== integration: no integration targets under tests/integration/targets yet, skipped"; \
	else \
		$(STAGE) integration $(SIMULATOR) \
			.ci/ansible-test integration --venv --python $(ANSIBLE_TEST_PYTHON) --color $(COLOR) --continue-on-error $(ANSIBLE_TEST_ARGS); \
	fi

# Each scenario gets its own simulator (RUNAI_URL, RUNAI_CLIENT_ID, ... in its environment), so scenarios cannot
# see each other's workloads.
molecule: venv-test link
	@scenarios=$$(for f in extensions/molecule/*/molecule.yml; do [ -e "$$f" ] && basename "$$(dirname "$$f")"; done); \
	if [ -z "$$scenarios" ]; then \
		echo "== molecule: no scenarios under extensions/molecule yet, skipped"; \
	else \
		failed=""; \
		for scenario in $$scenarios; do \
			$(STAGE) "molecule $$scenario" $(WITH_COLLECTION) $(SIMULATOR) molecule test -s "$$scenario" \
				|| failed="$$failed $$scenario"; \
		done; \
		if [ -n "$$failed" ]; then echo "molecule: failed scenarios:$$failed"; exit 1; fi; \
	fi

build: venv-test
	@$(STAGE) build .ci/build-install-demo $(BUILD)/dist $(SIMULATOR)

# The vendor's SDK (runapy) drives the simulator from its own venv: runapy is heavy and stays out of .venv.
SDK_VENV := $(BUILD)/sdk-venv
sdk: venv-test
	@test -x $(SDK_VENV)/bin/python || $(PYTHON) -m venv $(SDK_VENV)
	@$(SDK_VENV)/bin/python -m pip --disable-pip-version-check -q install $(CONSTRAINTS) runapy pytest requests starlette uvicorn PyYAML
	@$(STAGE) sdk env PYTHONPATH=$(CURDIR)/simulator $(SDK_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/simulator/sdk

pytest: venv-test link
	@.ci/pytest $(COLLECTIONS) $(PYTEST_ARGS)

benchmark: venv-test
	@$(STAGE) benchmark $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(BUILD) demo-output
