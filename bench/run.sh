#!/usr/bin/env bash
# make bench: the codec on one core, then the whole platform under the generated festival-day
# workload, on the embedded store and on PostgreSQL: in-process at each scale, over HTTP, over
# the exchange folder; a table of every run at the end. Prints figures; asserts nothing.
#   BENCH_ORDERS="..."     scales of the embedded store's in-process runs (default 100000 400000
#                          1600000: 100k orders, the festival day, four festival days)
#   BENCH_PG_ORDERS="..."  PostgreSQL's (default 100000 400000: at its ~1.7k msg/s four
#                          festival days take an hour; add 1600000 for them)
#   BENCH_HTTP_ORDERS=N    orders of the embedded store's HTTP run (default 100000; paced: half)
#   BENCH_PG_HTTP_ORDERS=N orders of PostgreSQL's HTTP run (default 20000)
set -u
REL=${1:?release build dir}
SHARED=${2:?shared dir}
ORDERS=${BENCH_ORDERS:-"100000 400000 1600000"}
PG_SCALES=${BENCH_PG_ORDERS:-"100000 400000"}
P="$REL/bench/bench_platform"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "== codec: parse + validate, one core"
"$REL/bench/bench_check" "$SHARED/domain/samples/CEB621Message.xml" 5000 3
echo
echo "== platform, embedded store (SQLite WAL, every batch flushed to disk before it is answered), generated workload"
echo "   (bare: PERFORMANCE.md's prototype on the same workload and cores -- parse, store the raw"
echo "   message, answer after the commit -- the machine's figure for a store that does nothing else)"
scales=$(mktemp)
pgscales=$(mktemp)
run=$(mktemp)
summary=$(mktemp)
trap 'rm -f "$scales" "$pgscales" "$run" "$summary"' EXIT
HTTP_ORDERS=${BENCH_HTTP_ORDERS:-100000}
# platform STORE WHAT ARGS...: one bench_platform run, its figures printed (without the
# per-thread detail lines) and kept in $run; its line kept for the closing table
platform() {
	local store=$1 what=$2
	shift 2
	"$P" "$@" | grep -v '^  [^ ]' >"$run"
	cat "$run"
	printf '%s\t%s\t%s\n' "$store" "$what" "$(grep -E '^(inproc|http|exchange) ' "$run" | head -1)" >>"$summary"
}
for n in $ORDERS; do
	"$REL/bench/bench_bare" --orders "$n" --clients 1024 | tee -a "$scales"
	platform SQLite "in-process, 1024 in flight" --mode inproc --orders "$n" --clients 1024
	cat "$run" >>"$scales"
done
echo
echo "== how the figures move with volume (embedded store, in-process; ratio to the first scale)"
awk -f bench/lines.awk -f bench/scale.awk "$scales"
echo
platform SQLite "HTTP, 64 clients" --mode http --orders "$HTTP_ORDERS" --clients 64
peak=$(sed -n 's/.*intake *\([0-9]*\) msg\/s.*/\1/p' "$run")
if [ -n "$peak" ]; then
	half=$((peak / 2))
	echo "(paced at half the HTTP peak: $half msg/s)"
	platform SQLite "HTTP, 64 clients, paced $half/s" --mode http --orders $((HTTP_ORDERS / 2)) --clients 64 --rate "$half"
fi
platform SQLite "exchange folder" --mode exchange --orders 10000

echo
echo "== platform, PostgreSQL store (a throwaway server on loopback, started here)"
PG_HTTP_ORDERS=${BENCH_PG_HTTP_ORDERS:-20000}
if out=$(bash tests/pg.sh start 2>/dev/null); then
	url=$(echo "$out" | sed -n 1p)
	dir=$(echo "$out" | sed -n 2p)
	# pg NAME WHAT ARGS...: a run on a database of its own, then the database's growth over
	# it as the server counts it, printed and added to $run and the closing table
	pg() {
		local db=$1 what=$2 empty msgs bytes line
		shift 2
		psql "$url" -qc "CREATE DATABASE $db" >/dev/null
		empty=$(psql "${url%/*}/$db" -Atc "SELECT pg_database_size(current_database())")
		platform PostgreSQL "$what" "$@" --db "${url%/*}/$db"
		msgs=$(sed -n 's/^[a-z]* *orders.* messages *\([0-9]*\).*/\1/p' "$run" | head -1)
		bytes=$(($(psql "${url%/*}/$db" -Atc "SELECT pg_database_size(current_database())") - empty))
		if [ -n "$msgs" ] && [ "$msgs" -gt 0 ]; then
			line="PostgreSQL database: $((bytes / 1000000)) MB ($((bytes / msgs)) MB per million messages)"
			echo "$line" | tee -a "$run"
			printf 'PostgreSQL\tsize\t%s\n' "$line" >>"$summary"
		fi
	}
	for n in $PG_SCALES; do
		pg "bench$n" "in-process, 1024 in flight" --mode inproc --orders "$n" --clients 1024
		cat "$run" >>"$pgscales"
	done
	pg benchhttp "HTTP, 64 clients" --mode http --orders "$PG_HTTP_ORDERS" --clients 64
	pg benchexchange "exchange folder" --mode exchange --orders 10000
	bash tests/pg.sh stop "$dir" >/dev/null 2>&1
	echo
	echo "== how the figures move with volume (PostgreSQL store, in-process; ratio to the first scale)"
	awk -f bench/lines.awk -f bench/scale.awk "$pgscales"
else
	echo "(could not start PostgreSQL: apt-get install postgresql)"
fi
echo
echo "== every run (intake: how messages came in; p50/p99 from a message's arrival to its receipt)"
awk -f bench/lines.awk -f bench/summary.awk "$summary"
