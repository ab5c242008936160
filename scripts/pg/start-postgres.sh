#!/usr/bin/env bash
# Starts a throw-away PostgreSQL (Debian `postgresql` binaries) on a free 127.0.0.1 port, creates database `dev`.
# Prints `QUARRY_PG_URL=postgresql://postgres@127.0.0.1:PORT/dev`; state goes to $QUARRY_PG_STATE (default /tmp/quarry-pg.state)
# so scripts/pg/stop-postgres.sh can stop it. As root, initdb/pg_ctl run as the `postgres` user.
set -euo pipefail
BIN="${QUARRY_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"
if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin — install them with: apt-get install postgresql" >&2
  exit 1
fi
STATE="${QUARRY_PG_STATE:-/tmp/quarry-pg.state}"
DB="${QUARRY_PG_DB:-dev}"
DIR="$(mktemp -d /tmp/quarry-pg-XXXXXX)"
AS=()
if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$DIR"; AS=(runuser -u postgres --); fi
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >"$DIR/initdb.log"
"${AS[@]}" "$BIN/pg_ctl" start -w -t 60 -D "$DIR/data" -l "$DIR/postgres.log" \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qc "CREATE DATABASE \"$DB\"" >/dev/null
printf 'BIN=%q\nDIR=%q\nPORT=%q\n' "$BIN" "$DIR" "$PORT" >"$STATE"
echo "QUARRY_PG_URL=postgresql://postgres@127.0.0.1:$PORT/$DB"
