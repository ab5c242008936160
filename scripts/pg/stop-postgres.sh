#!/usr/bin/env bash
# Stops the PostgreSQL started by scripts/pg/start-postgres.sh and removes its temp dir.
set -euo pipefail
STATE="${QUARRY_PG_STATE:-/tmp/quarry-pg.state}"
[[ -f "$STATE" ]] || { echo "no state file $STATE; nothing to stop" >&2; exit 0; }
# shellcheck disable=SC1090
source "$STATE"
AS=()
if [[ "$(id -u)" == 0 ]]; then AS=(runuser -u postgres --); fi
"${AS[@]}" "$BIN/pg_ctl" stop -m fast -w -D "$DIR/data" >/dev/null || true
rm -rf "$DIR" "$STATE"
echo "stopped PostgreSQL in $DIR"
