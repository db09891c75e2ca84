# LienThong developer commands. `make run` and `make test` are all a newcomer needs.
#
#   make setup   install uv when missing (pip) and the workspace (`uv sync`, `--locked` on CI)
#   make run     the whole axis in one process (embedded mode) with sample data
#   make test    THE test command: lint + every test, with PostgreSQL, Tansu and moto (scripts/test.sh)
#   make lint    ruff, import-linter, proto drift, buf lint, buf breaking, yamllint
#   make proto   regenerate libs/api/src from proto/
#   make bench   run every bench/*.py (BENCH_ARGS="..." is passed to each)

SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never

# uv itself, or the copy pip installed for python3 when no `uv` is on PATH.
UV = $(shell command -v uv >/dev/null 2>&1 && echo uv || echo python3 -m uv)
SYNC_FLAGS = $(if $(filter true,$(CI)),$(if $(wildcard uv.lock),--locked),)
BENCH_ARGS ?=

.PHONY: help setup run test lint proto bench

help:
	@sed -n 's/^#   make /make /p' $(firstword $(MAKEFILE_LIST))

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
	  || { echo "installing uv with pip"; python3 -m pip install --quiet uv \
	       || python3 -m pip install --quiet --break-system-packages uv; }
	$(UV) sync $(SYNC_FLAGS)

run: setup
	$(UV) run --no-sync lienthong run --sample-data

test: setup
	bash scripts/test.sh

lint: setup
	bash scripts/test.sh --lint-only

proto: setup
	$(UV) run --no-sync python scripts/gen_proto.py

bench: setup
	@shopt -s nullglob; files=(bench/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "no benchmarks in bench/"; exit 0; fi; \
	failed=(); \
	for f in "$${files[@]}"; do \
	  echo "==> $$f"; \
	  $(UV) run --no-sync python "$$f" $(BENCH_ARGS) || failed+=("$$f"); \
	done; \
	if [ $${#failed[@]} -gt 0 ]; then echo "FAILED: $${failed[*]}" >&2; exit 1; fi
