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

.PHONY: help demo test system-packages lint sanity units integration worlds molecule build sdk galaxy-importer compat pytest \
	benchmark venv venv-test link clean

help:
	@echo "make demo       run playbooks/demo.yml against a local Run:ai simulator (outputs in demo-output/)"
	@echo "make test       the whole suite (three lanes side by side, then pytest); fails if any stage fails"
	@echo "stages:         lint sanity units integration worlds molecule build sdk galaxy-importer compat pytest"
	@echo "                (ANSIBLE_TEST_ARGS=... for sanity/units/integration, PYTEST_ARGS=... for pytest)"
	@echo "make compat     the ansible-core compatibility matrix alone (COMPAT_SERIES=\"2.16 2.20\" to narrow it)"
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

# `make test` runs these three lanes side by side (see .ci/lanes), then pytest, which spreads over every core itself.
# The heavy stages (full sanity, every molecule scenario, pytest) run once, on the ansible-core of .ci/constraints.txt;
# the compat lane runs the other series' smaller set (see compat below).
ANSIBLE_TEST_LANE := sanity units integration
PLAYBOOK_LANE := lint molecule build sdk galaxy-importer worlds
COMPAT_LANE := compat
STAGE_LOGS := $(BUILD)/stage-logs

test: system-packages venv-test
	@mkdir -p $(BUILD) && rm -f $(TIMINGS)
	@failed=""; started=$$(date +%s); \
	RUNAI_STAGE_TIMINGS=$(TIMINGS) MAKE="$(MAKE)" .ci/lanes $(STAGE_LOGS) "$(ANSIBLE_TEST_LANE)" "$(PLAYBOOK_LANE)" \
		"$(COMPAT_LANE)" || failed=" $$(tr '\n' ' ' < $(STAGE_LOGS)/failed)"; \
	echo "== stage timings, $$(( $$(date +%s) - started )) s so far, three lanes side by side (pytest runs last)"; \
	sed 's/^/  /' $(TIMINGS); \
	RUNAI_STAGE_TIMINGS=$(TIMINGS) $(MAKE) pytest || failed="$$failed pytest"; \
	echo "== make test took $$(( $$(date +%s) - started )) s"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi

# Debian packages the suite needs that PyPI cannot provide: the report's browser test drives chromium through
# chromium-driver, and ansible-rulebook (tests/eda) runs on Java 17. As root (CI) `make test` installs the missing
# ones; as anyone else it stops at once naming them.
SYSTEM_PACKAGES ?= chromium chromium-driver openjdk-17-jre-headless
system-packages:
	@.ci/system-packages $(SYSTEM_PACKAGES)

# Under CI=true a stage that finds nothing to run fails: CI must never pass by testing nothing.
NOTHING_TO_RUN := $(if $(CI),exit 1,true)

lint: venv-test link
	@$(STAGE) lint $(WITH_COLLECTION) .ci/lint

sanity: venv-test
	@$(STAGE) sanity .ci/ansible-test sanity --venv --python $(ANSIBLE_TEST_PYTHON) --color $(COLOR) $(ANSIBLE_TEST_ARGS)

units: venv-test
	@if ! find tests/unit -name 'test_*.py' 2>/dev/null | grep -q .; then \
		echo "== units: no unit tests under tests/unit yet, skipped"; $(NOTHING_TO_RUN); \
	else \
		$(STAGE) units .ci/ansible-test units --venv --python $(ANSIBLE_TEST_PYTHON) --color $(COLOR) $(ANSIBLE_TEST_ARGS); \
	fi

# A target is a directory under tests/integration/targets whose aliases file does not say `hidden` (setup_* roles do).
# The simulator plays its default level, 3.0, with writes visible at once: the third of the worlds below.
integration: venv-test
	@if ! grep -L -x hidden tests/integration/targets/*/aliases 2>/dev/null | grep -q .; then \
		echo "== integration: no integration targets under tests/integration/targets yet, skipped"; $(NOTHING_TO_RUN); \
	else \
		$(STAGE) integration $(SIMULATOR) \
			.ci/ansible-test integration --venv --python $(ANSIBLE_TEST_PYTHON) --color $(COLOR) --continue-on-error $(ANSIBLE_TEST_ARGS); \
	fi

# The control planes the collection must be right on (see .ci/worlds): runai_workload and runai_workload_info against
# 2.23 with lagging v1 views and kept deletions, and against the realistic preset; 3.0 is the integration stage.
WORLDS ?= 2.23-lag realistic
worlds: venv-test
	@SIMULATOR_SPEED=$(SIMULATOR_SPEED) .ci/worlds $(BUILD)/worlds $(WORLDS)

# Each scenario gets its own simulator (RUNAI_URL, RUNAI_CLIENT_ID, ... in its environment), so scenarios cannot
# see each other's workloads.
molecule: venv-test link
	@scenarios=$$(for f in extensions/molecule/*/molecule.yml; do [ -e "$$f" ] && basename "$$(dirname "$$f")"; done); \
	if [ -z "$$scenarios" ]; then \
		echo "== molecule: no scenarios under extensions/molecule yet, skipped"; $(NOTHING_TO_RUN); \
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

# The vendor's SDK (runapy) drives the simulator from its own venv per API level, with that level's SDK release
# (runapy 1.223.x for 2.23, 1.224.x for 2.24); the test starts the simulator at the level of the runapy it finds.
# runapy is heavy and stays out of .venv.
SDK_LEVELS ?= 2.23=1.223.0 2.24=1.224.0
sdk: venv-test
	@failed=""; for pair in $(SDK_LEVELS); do \
		level=$${pair%%=*}; runapy=$${pair#*=}; venv=$(BUILD)/sdk-venv-$$level; \
		test -x $$venv/bin/python || $(PYTHON) -m venv $$venv; \
		$$venv/bin/python -m pip --disable-pip-version-check -q install $(CONSTRAINTS) "runapy==$$runapy" \
			pytest requests starlette uvicorn PyYAML; \
		$(STAGE) "sdk $$level (runapy $$runapy)" env PYTHONPATH=$(CURDIR)/simulator:$(CURDIR)/.ci \
			$$venv/bin/python -m pytest -q -rs -p ci_no_skips -p no:cacheprovider tests/simulator/sdk \
			|| failed="$$failed $$level"; \
	done; \
	if [ -n "$$failed" ]; then echo "sdk: failed on levels:$$failed"; exit 1; fi

# galaxy-importer (what Galaxy and Automation Hub run on upload) on the built tarball, from its own venv: it pins its
# own ansible-lint and flake8. Any warning fails the stage.
GALAXY_IMPORTER_VENV := $(BUILD)/galaxy-importer-venv
galaxy-importer: venv
	@test -x $(GALAXY_IMPORTER_VENV)/bin/python || $(PYTHON) -m venv $(GALAXY_IMPORTER_VENV)
	@$(GALAXY_IMPORTER_VENV)/bin/python -m pip --disable-pip-version-check -q install $(CONSTRAINTS) galaxy-importer
	@$(STAGE) galaxy-importer .ci/galaxy-importer $(GALAXY_IMPORTER_VENV) $(BUILD)/galaxy-importer

# The compatibility matrix (see .ci/compat and .ci/compat-versions): per older or newer ansible-core series, its unit
# tests, the runai_smoke integration target (every module and the runai_token action; the full targets run in the
# integration stage), one molecule scenario and the demo; the version in .ci/constraints.txt is the one the stages
# above run on.
COMPAT_SERIES ?= 2.16 2.17 2.18 2.20
COMPAT_DIR ?= $(BUILD)/compat
compat: venv link
	@SIMULATOR="$(SIMULATOR)" COLLECTIONS=$(COLLECTIONS) .ci/compat $(COMPAT_DIR) $(COMPAT_SERIES)

pytest: venv-test link
	@.ci/pytest $(COLLECTIONS) $(PYTEST_ARGS)

benchmark: venv-test
	@$(STAGE) benchmark $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(BUILD) demo-output
