#!/usr/bin/env bash
# Breaking-change check of the protobuf contracts: proto/ as it is now (working tree)
# against proto/ in an earlier commit, HEAD~1 by default (BUF_AGAINST_REF overrides it).
#
# Skips, with exit 0 and a line saying why, when there is nothing to compare against:
# not a git checkout, no such commit (first commit, shallow clone), no proto/ in that
# commit, or no change under proto/ since that commit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REF="${BUF_AGAINST_REF:-HEAD~1}"
BUF=(uv run --no-sync buf)

skip() { echo "buf breaking: skipped ($*)"; exit 0; }

git rev-parse --is-inside-work-tree >/dev/null 2>&1 || skip "not a git checkout"
git rev-parse --verify --quiet "$REF^{commit}" >/dev/null || skip "no commit $REF"
[ -n "$(git ls-tree -r --name-only "$REF" -- proto | grep '\.proto$' || true)" ] \
  || skip "no .proto files in $REF"
if git diff --quiet "$REF" -- proto && [ -z "$(git ls-files --others --exclude-standard -- proto)" ]; then
  skip "proto/ unchanged since $REF"
fi

echo "buf breaking: proto/ against $REF"
"${BUF[@]}" breaking proto --against ".git#ref=$REF,subdir=proto"
