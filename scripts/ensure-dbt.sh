#!/usr/bin/env bash
# Installs dbt-core with the PostgreSQL adapter in a virtual environment of its own (once) and prints its python.
# The tests check Quarry's reading of dbt against it. Pinned: newer dbt-core downloads a binary at install time.
set -euo pipefail
venv="${QUARRY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quarry}/dbt-1.11"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import dbt.adapters.postgres' >/dev/null 2>&1; then
  echo "[deps] dbt-core 1.11 + dbt-postgres into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check 'dbt-core==1.11.16' 'dbt-postgres==1.11.0' >&2
fi
echo "$venv/bin/python"
