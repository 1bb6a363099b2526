#!/bin/sh
# A throwaway PostgreSQL for the tests, on loopback only.
#   pg.sh start     initdb into a new temporary folder, start the server on a free port;
#                   prints the connection URL (line 1) and the folder (line 2)
#   pg.sh stop DIR  stop that server and remove its folder
#   pg.sh pause DIR / pg.sh resume DIR
#                   stop that server (fast: clients are cut off) and start it again on the
#                   same port and data, for tests of a database restart
# Run as root (CI), the server runs as the `postgres` OS user, which owns the folder.
set -eu

bindir() {
	for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
		[ -x "$d/initdb" ] && { echo "$d"; return 0; }
	done
	echo "pg.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2
	return 1
}

# Run a command as the server's user.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "${1:-}" in
start)
	BIN=$(bindir)
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/cbec-pg.XXXXXX")
	chmod 755 "$DIR"
	[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
	as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
		>"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
	for try in 1 2 3 4 5; do
		PORT=$(free_port)
		cat >>"$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = on
synchronous_commit = on
max_connections = 200
CONF
		if as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null 2>&1; then
			echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
			echo "$DIR"
			exit 0
		fi
		# the port was taken in between: try another
	done
	cat "$DIR/server.log" >&2
	exit 1
	;;
stop)
	DIR=${2:?usage: pg.sh stop DIR}
	BIN=$(bindir)
	as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
	case "$DIR" in */cbec-pg.*) rm -rf "$DIR" ;; esac
	;;
pause)
	DIR=${2:?usage: pg.sh pause DIR}
	as_pg "$(bindir)/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
	;;
resume)
	DIR=${2:?usage: pg.sh resume DIR}
	as_pg "$(bindir)/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null
	;;
*)
	echo "usage: pg.sh start | pg.sh stop DIR | pg.sh pause DIR | pg.sh resume DIR" >&2
	exit 2
	;;
esac
