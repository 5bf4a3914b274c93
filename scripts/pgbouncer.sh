#!/usr/bin/env bash
# PgBouncer in transaction mode (what Supavisor on Supabase's port 6543 and Hyperdrive are) in front
# of the local PostgreSQL, for every database (`*`), trusting the user `postgres` as the server does.
# Usage: scripts/pgbouncer.sh DIR   (config, pid and log go to DIR; stop: kill "$(cat DIR/pgbouncer.pid)")
# Prints the pooler's address with user and no database, e.g. postgres://postgres@127.0.0.1:6432/
# (what TEST_PGBOUNCER_URL is for the tests and `npm run bench -- runtimes`).
set -euo pipefail
POOL_DIR="${1:?usage: scripts/pgbouncer.sh DIR}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGBOUNCER="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
[ -x "$PGBOUNCER" ] || { echo "PgBouncer is not installed (Debian: apt-get install pgbouncer)" >&2; exit 1; }
mkdir -p "$POOL_DIR"
POOL_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
cat >"$POOL_DIR/pgbouncer.ini" <<INI
[databases]
* = host=${PGHOST} port=${PGPORT}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${POOL_PORT}
unix_socket_dir =
auth_type = trust
auth_file = ${POOL_DIR}/userlist.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
pidfile = ${POOL_DIR}/pgbouncer.pid
logfile = ${POOL_DIR}/pgbouncer.log
INI
echo '"postgres" ""' >"$POOL_DIR/userlist.txt"
# PgBouncer refuses to run as root: then it runs as the postgres user, which must read its files.
POOL_USER=()
if [ "$(id -u)" -eq 0 ]; then
  POOL_USER=(-u postgres)
  chmod 755 "$POOL_DIR"
  chown -R postgres "$POOL_DIR"
fi
"$PGBOUNCER" -d "${POOL_USER[@]}" "$POOL_DIR/pgbouncer.ini" >&2
URL="postgres://postgres@127.0.0.1:${POOL_PORT}/"
for _ in $(seq 1 20); do psql "${URL}postgres" -q -c "select 1" >/dev/null 2>&1 && break; sleep 0.5; done
psql "${URL}postgres" -v ON_ERROR_STOP=1 -q -c "select 1" >/dev/null || { cat "$POOL_DIR/pgbouncer.log" >&2; exit 1; }
echo "$URL"
