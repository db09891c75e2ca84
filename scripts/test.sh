#!/usr/bin/env bash
# shellcheck disable=SC2317,SC2012  # (functions called from traps; ls of /etc/postgresql is fine)
# THE test command of LienThong (`make test` runs it).
#
#   bash scripts/test.sh                  # set up, lint, run every test
#   bash scripts/test.sh -k outbox -x     # extra arguments go to pytest
#   bash scripts/test.sh --lint-only      # set up and lint only (`make lint`)
#
# 1. Set up: installs uv when missing (pip), `uv sync` (`--locked` when CI=true).
# 2. Starts what the tests need and is not running yet, on 127.0.0.1:
#    PostgreSQL (the local cluster, at 127.0.0.1:5432), a Tansu broker and a moto S3
#    server (scripts/services.py, free ports), and exports
#    LIENTHONG_TEST_KAFKA_BOOTSTRAP, LIENTHONG_TEST_S3_ENDPOINT/_ACCESS_KEY/_SECRET_KEY
#    so that the fixtures of lienthong.testing reuse them. Set any of those variables
#    (or LIENTHONG_TEST_PG) beforehand to use your own servers instead.
# 3. Lints: ruff, import-linter, generated-proto drift, buf lint, buf breaking, yamllint.
# 4. Runs pytest over libs/*/tests, services/*/tests, apps/*/tests and tests/.
# 5. Stops everything it started (trap on EXIT) and exits non-zero if any step failed.
#    pytest's own exit code is kept (5 = no tests were collected).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export UV_PYTHON_DOWNLOADS=never
export PYTHONUNBUFFERED=1

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# ---------------------------------------------------------------- set up
ensure_uv() {
  if command -v uv >/dev/null 2>&1; then
    UV=(uv)
    return
  fi
  if ! python3 -m uv --version >/dev/null 2>&1; then
    say "installing uv with pip"
    python3 -m pip install --quiet uv \
      || python3 -m pip install --quiet --break-system-packages uv
  fi
  UV=(python3 -m uv)
}

setup() {
  ensure_uv
  local sync=(sync)
  if [ "${CI:-}" = "true" ] && [ -f uv.lock ]; then
    sync+=(--locked)
  fi
  say "uv ${sync[*]}"
  "${UV[@]}" "${sync[@]}"
}

# ---------------------------------------------------------------- lint
LINT_FAILED=()

lint_step() {
  local name="$1"
  shift
  say "lint: $name"
  if ! "$@"; then
    LINT_FAILED+=("$name")
  fi
}

run_lint() {
  local run=("${UV[@]}" run --no-sync)
  lint_step "ruff" "${run[@]}" ruff check .
  lint_step "import-linter" "${run[@]}" lint-imports --no-cache
  lint_step "proto drift" "${run[@]}" python scripts/gen_proto.py --check
  lint_step "buf lint" "${run[@]}" buf lint proto
  lint_step "buf breaking" bash scripts/buf_breaking.sh
  lint_step "yamllint" "${run[@]}" yamllint --strict -d "{
      extends: default,
      ignore: [.venv/, .git/, '**/node_modules/', 'charts/*/templates/'],
      rules: {
        line-length: {max: 120},
        document-start: disable,
        truthy: {check-keys: false},
        comments: {min-spaces-from-content: 1},
      }}" .
  if [ "${#LINT_FAILED[@]}" -gt 0 ]; then
    echo "lint FAILED: ${LINT_FAILED[*]}" >&2
    return 1
  fi
  echo "lint passed"
}

# ---------------------------------------------------------------- servers
WORK=""
PY=""
SERVICES_PID=""
PYTEST_PID=""
PG_STARTED=""
INTERRUPTED=""

# Wait up to $2 tenths of a second for process $1 to exit.
wait_gone() {
  local i
  for ((i = 0; i < $2; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

# Whether process $1 ignores SIGINT (it does when this script was started in the
# background of another script: bash then ignores SIGINT for good).
sigint_ignored() {
  local mask
  mask="$(awk '/^SigIgn:/ {print $2}' "/proc/$1/status" 2>/dev/null)" || return 1
  [ -n "$mask" ] && (( (16#$mask >> 1) & 1 ))
}

cleanup() {
  local code=$?
  trap - EXIT INT TERM HUP
  if [ -n "$PYTEST_PID" ] && kill -0 "$PYTEST_PID" 2>/dev/null; then
    # Interrupted: let pytest run its teardown (KeyboardInterrupt), then insist.
    say "stopping pytest"
    if [ "$INTERRUPTED" = INT ]; then
      wait_gone "$PYTEST_PID" 100 || true  # a terminal's Ctrl-C reached pytest too
    fi
    if ! sigint_ignored "$PYTEST_PID"; then
      kill -INT "$PYTEST_PID" 2>/dev/null || true
      wait_gone "$PYTEST_PID" 300 || true
    fi
    kill -TERM "$PYTEST_PID" 2>/dev/null || true
    wait_gone "$PYTEST_PID" 50 || kill -KILL "$PYTEST_PID" 2>/dev/null || true
    wait "$PYTEST_PID" 2>/dev/null || true
  fi
  if [ -n "$SERVICES_PID" ] && kill -0 "$SERVICES_PID" 2>/dev/null; then
    say "stopping Tansu and moto"
    kill -TERM "$SERVICES_PID" 2>/dev/null || true
    wait_gone "$SERVICES_PID" 150 || true
  fi
  if [ -n "$SERVICES_PID" ]; then
    # services.py leads its own process group: take down anything of it that is left.
    kill -KILL -- "-$SERVICES_PID" 2>/dev/null || true
    wait "$SERVICES_PID" 2>/dev/null || true
  fi
  if [ -n "$PG_STARTED" ]; then
    say "stopping PostgreSQL $PG_STARTED (this script started it)"
    pg_ctlcluster --skip-systemctl-redirect "$PG_STARTED" main stop || true
  fi
  if [ -n "$WORK" ]; then
    rm -rf "$WORK"
  fi
  exit "$code"
}

pg_listening() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p 5432
  else
    (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
  fi
}

ensure_postgres() {
  if [ -n "${LIENTHONG_TEST_PG:-}" ]; then
    echo "PostgreSQL: using LIENTHONG_TEST_PG"
    return
  fi
  if pg_listening; then
    echo "PostgreSQL: already running on 127.0.0.1:5432"
    return
  fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -d /etc/postgresql ]; then
    echo "PostgreSQL is not running on 127.0.0.1:5432 and no local cluster was found" >&2
    echo "(install postgresql, or set LIENTHONG_TEST_PG to a server URL)" >&2
    return 1
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  PG_STARTED="$version"
  for _ in $(seq 1 60); do
    pg_listening && return 0
    sleep 0.5
  done
  echo "PostgreSQL $version did not accept connections on 127.0.0.1:5432" >&2
  return 1
}

start_services() {
  local args=(--env-file "$WORK/services.env")
  if [ -n "${LIENTHONG_TEST_KAFKA_BOOTSTRAP:-}" ]; then args+=(--no-kafka); fi
  if [ -n "${LIENTHONG_TEST_S3_ENDPOINT:-}" ]; then args+=(--no-s3); fi
  say "starting Tansu and moto (scripts/services.py)"
  # Its own session and process group, so that cleanup can remove it and its children whole;
  # TMPDIR inside $WORK so that the brokers' log files go when $WORK goes.
  mkdir -p "$WORK/tmp"
  if command -v setsid >/dev/null 2>&1; then
    TMPDIR="$WORK/tmp" setsid "$PY" scripts/services.py "${args[@]}" </dev/null &
  else
    TMPDIR="$WORK/tmp" "$PY" scripts/services.py "${args[@]}" </dev/null &
  fi
  SERVICES_PID=$!
}

wait_services() {
  for _ in $(seq 1 1200); do
    if [ -f "$WORK/services.env" ]; then
      # shellcheck disable=SC1091
      source "$WORK/services.env"
      env | grep '^LIENTHONG_TEST_' | sort
      return 0
    fi
    if ! kill -0 "$SERVICES_PID" 2>/dev/null; then
      echo "scripts/services.py exited before it was ready" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "scripts/services.py was not ready after 120 s" >&2
  return 1
}

# ---------------------------------------------------------------- main
LINT_ONLY=0
if [ "${1:-}" = "--lint-only" ]; then
  LINT_ONLY=1
  shift
fi

setup

if [ "$LINT_ONLY" = 1 ]; then
  run_lint
  exit $?
fi

trap cleanup EXIT
trap 'INTERRUPTED=INT; exit 130' INT
trap 'INTERRUPTED=TERM; exit 143' TERM
trap 'INTERRUPTED=HUP; exit 129' HUP
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lienthong-test.XXXXXX")"
# The venv's interpreter, run directly so that signals reach it (no `uv run` in between).
PY="$("${UV[@]}" run --no-sync python -c 'import sys; print(sys.executable)')"

ensure_postgres
start_services           # starts in the background while the linters run

lint_status=0
run_lint || lint_status=$?

wait_services

TEST_PATHS=()
for dir in libs/*/tests services/*/tests apps/*/tests tests; do
  if [ -d "$dir" ]; then TEST_PATHS+=("$dir"); fi
done
say "pytest ${TEST_PATHS[*]} $*"
pytest_status=0
# In the background so that a TERM sent to this script is handled at once (bash runs
# traps only between foreground commands); SIGINT restored, which bash ignores in
# background jobs, so that an interrupted pytest still tears its fixtures down.
# setpriv --pdeathsig: should this script be killed outright (-9), pytest goes too.
DIE_WITH_US=()
if setpriv --pdeathsig TERM true 2>/dev/null; then
  DIE_WITH_US=(setpriv --pdeathsig TERM)
fi
( trap - INT; exec "${DIE_WITH_US[@]}" "$PY" -m pytest "${TEST_PATHS[@]}" "$@" ) &
PYTEST_PID=$!
wait "$PYTEST_PID" || pytest_status=$?
PYTEST_PID=""

if [ "$lint_status" -ne 0 ]; then
  echo "FAILED: lint (${LINT_FAILED[*]})" >&2
fi
if [ "$pytest_status" -eq 5 ]; then
  echo "FAILED: pytest collected no tests (exit 5)" >&2
elif [ "$pytest_status" -ne 0 ]; then
  echo "FAILED: pytest (exit $pytest_status)" >&2
fi
if [ "$pytest_status" -ne 0 ]; then
  exit "$pytest_status"
fi
exit "$lint_status"
