#!/usr/bin/env bash
# bench/summary.awk: make bench's closing table, one row a run, from what bench/run.sh keeps
# of each (TAP).
set -u
AWK="${CBEC_SRC:?}/bench/summary.awk"
LINES="$CBEC_SRC/bench/lines.awk"
. "$(dirname "$0")/tap.sh"

T=$(printf '\t')
lines="SQLite${T}in-process, 1024 in flight${T}inproc   orders   100000  messages   393870  intake    14000 msg/s  p50   52.77 ms  p99  200.00 ms  settled   30.0 s  cleared   32.9 s (98/98 lists final; the unmatched after a 5 s timeout)  peak RSS   280 MB  store   2430 MB ( 6000 MB per million messages)
SQLite${T}HTTP, 64 clients${T}http     orders   100000  messages   393870  intake     5000 msg/s  p50   11.00 ms  p99   44.00 ms  settled   77.8 s  cleared   82.8 s (98/98 lists final)  peak RSS   218 MB  store   2430 MB ( 6170 MB per million messages)
SQLite${T}exchange folder${T}exchange orders    10000  messages    39490  intake     4313 msg/s  p50    0.00 ms  p99    0.00 ms  settled    9.2 s  cleared   14.2 s (9871/9871 lists final)  peak RSS   123 MB  store    226 MB ( 5716 MB per million messages)
PostgreSQL${T}in-process, 1024 in flight${T}inproc   orders    20000  messages    78856  intake     2000 msg/s  p50  460.00 ms  p99  774.00 ms  settled   38.7 s  cleared   43.8 s (19/19 lists final)  peak RSS    96 MB  store not measured (--db)
PostgreSQL${T}size${T}PostgreSQL database: 589 MB (7469 MB per million messages)
PostgreSQL${T}HTTP, 64 clients${T}
PostgreSQL${T}size${T}PostgreSQL database: 1 MB (9 MB per million messages)"
out=$(printf '%s\n' "$lines" | awk -f "$LINES" -f "$AWK")
check "a header and a row a run (a run without its line left out)" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 5
check "the store and how messages came in, then the figures" \
	"$(printf '%s\n' "$out" | grep '^SQLite *HTTP' | sed 's/  */ /g')" \
	"SQLite HTTP, 64 clients 100000 5000 11.00 44.00 82.8 218 6170"
check "the exchange folder's times are not taken: dashes" \
	"$(printf '%s\n' "$out" | grep '^SQLite *exchange' | sed 's/  */ /g')" \
	"SQLite exchange folder 10000 4313 - - 14.2 123 5716"
check "PostgreSQL's size from the server's own line after its run" \
	"$(printf '%s\n' "$out" | grep '^PostgreSQL' | sed 's/  */ /g')" \
	"PostgreSQL in-process, 1024 in flight 20000 2000 460.00 774.00 43.8 96 7469"
check "no runs, no table" "$(printf 'SQLite\tsize\tPostgreSQL database: 1 MB\n' | awk -f "$LINES" -f "$AWK" | wc -l | tr -d ' ')" 0
echo "1..$n"
exit $fail
