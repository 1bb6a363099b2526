#!/usr/bin/env bash
# make bench: the codec on one core, then the whole platform on the embedded store under the
# generated festival-day workload. Prints figures; asserts nothing.
#   BENCH_ORDERS="100000 400000 1600000"  scales for the in-process run (default 100000 400000)
set -u
REL=${1:?release build dir}
SHARED=${2:?shared dir}
ORDERS=${BENCH_ORDERS:-"100000 400000"}
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
http=$(mktemp)
run=$(mktemp)
trap 'rm -f "$scales" "$pgscales" "$http" "$run"' EXIT
for n in $ORDERS; do
	"$REL/bench/bench_bare" --orders "$n" --clients 1024 | tee -a "$scales"
	"$P" --mode inproc --orders "$n" --clients 1024 | grep -v '^  [^ ]' | tee -a "$scales"
done
echo
echo "== how the figures move with volume (embedded store, in-process; ratio to the first scale)"
awk -f bench/scale.awk "$scales"
echo
# (the runs whose lines are read again are kept in files, not teed to /dev/stderr: reopening
# it truncates the file `make bench > out 2>&1` writes to)
"$P" --mode http --orders 100000 --clients 64 | tee "$http"
peak=$(sed -n 's/.*intake *\([0-9]*\) msg\/s.*/\1/p' "$http")
if [ -n "$peak" ]; then
	half=$((peak / 2))
	echo "(paced at half the HTTP peak: $half msg/s)"
	"$P" --mode http --orders 50000 --clients 64 --rate "$half"
fi
"$P" --mode exchange --orders 10000

echo
echo "== platform, PostgreSQL store (a throwaway server on loopback, started here)"
if out=$(bash tests/pg.sh start 2>/dev/null); then
	url=$(echo "$out" | sed -n 1p)
	dir=$(echo "$out" | sed -n 2p)
	for n in $ORDERS; do
		db="bench$n"
		psql "$url" -qc "CREATE DATABASE $db" >/dev/null
		empty=$(psql "${url%/*}/$db" -Atc "SELECT pg_database_size(current_database())")
		"$P" --mode inproc --orders "$n" --clients 1024 --db "${url%/*}/$db" | grep -v '^  [^ ]' | tee "$run"
		cat "$run" >> "$pgscales"
		line=$(grep '^inproc' "$run")
		# the store's size is the server's to tell: the database's growth over the run
		msgs=$(echo "$line" | sed -n 's/.*messages *\([0-9]*\).*/\1/p')
		bytes=$(($(psql "${url%/*}/$db" -Atc "SELECT pg_database_size(current_database())") - empty))
		[ -n "$msgs" ] && [ "$msgs" -gt 0 ] &&
			echo "PostgreSQL database: $((bytes / 1000000)) MB ($((bytes / msgs)) MB per million messages)" |
			tee -a "$pgscales"
	done
	bash tests/pg.sh stop "$dir" >/dev/null 2>&1
	echo
	echo "== how the figures move with volume (PostgreSQL store, in-process; ratio to the first scale)"
	awk -f bench/scale.awk "$pgscales"
else
	echo "(could not start PostgreSQL: apt-get install postgresql)"
fi
