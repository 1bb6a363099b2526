#!/usr/bin/env bash
# bench/scale.awk: the table of how the benchmark's figures move with volume, from the lines
# bench_bare and bench_platform print (TAP).
set -u
AWK="${CBEC_SRC:?}/bench/scale.awk"
LINES="$CBEC_SRC/bench/lines.awk"
. "$(dirname "$0")/tap.sh"

lines='bare     orders   100000  messages   393870  intake    20000 msg/s  p50   40.00 ms  p99   60.00 ms  0 refused unread, 0 failed  peak RSS    77 MB
         writer: 100 batches, 3938 messages/batch, in its transactions 5.0 s of 20.0 s
         CPU a message by thread: cbec-writer 22.0 us, bench_bare 20.0 us; all threads 44.0 us
inproc   orders   100000  messages   393870  intake    14000 msg/s  p50   52.77 ms  p99  200.00 ms  settled   30.0 s  cleared   32.9 s (98/98 lists final; the unmatched after a 5 s timeout)  peak RSS   280 MB  store   2430 MB ( 6000 MB per million messages)
         writer: 1197 batches, 381 messages/batch; apply 24.7 s (54 us/message)
         CPU a message by thread: cbec-writer 65.1 us, cbec-customs 30.3 us; all threads 125.0 us
http     orders   100000  messages   393870  intake     5000 msg/s  p50   11.00 ms  p99   44.00 ms  settled   77.8 s  cleared   82.8 s (98/98 lists final; the unmatched after a 5 s timeout)  peak RSS   218 MB  store   2430 MB ( 6170 MB per million messages)
bare     orders   400000  messages  1575553  intake    15000 msg/s  p50   40.00 ms  p99   91.00 ms  0 refused unread, 0 failed  peak RSS    82 MB
inproc   orders   400000  messages  1575553  intake    10500 msg/s  p50   70.00 ms  p99  250.00 ms  settled  140.0 s  cleared  145.0 s (393/393 lists final; the unmatched after a 5 s timeout)  peak RSS   322 MB  store   9000 MB (5700 MB per million messages)
         CPU a message by thread: cbec-writer 80.0 us; all threads 150.0 us'
out=$(printf '%s\n' "$lines" | awk -f "$LINES" -f "$AWK")
check "a header and one row a scale, other modes left out" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3
row=$(printf '%s\n' "$out" | awk '$1 == 400000')
check "each flat figure with its ratio to the first scale" "$(echo $row)" \
	"400000 10500 (0.75) 250.00 (1.25) 145.0 322 (1.15) 5700 (0.95) 150.0 (1.20) 15000 (0.75)"
row=$(printf '%s\n' "$out" | awk '$1 == 100000')
check "the first scale at 1.00" "$(echo $row)" \
	"100000 14000 (1.00) 200.00 (1.00) 32.9 280 (1.00) 6000 (1.00) 125.0 (1.00) 20000 (1.00)"
# a PostgreSQL run: no store size, no CPU line, no bare run
pg='inproc   orders    20000  messages    78856  intake     2000 msg/s  p50  460.00 ms  p99  774.00 ms  settled   38.7 s  cleared   43.8 s (19/19 lists final; the unmatched after a 5 s timeout)  peak RSS    96 MB  store not measured (--db)'
row=$(printf '%s\n' "$pg" | awk -f "$LINES" -f "$AWK" | awk '$1 == 20000')
check "what a run does not print is a dash" "$(echo $row)" "20000 2000 (1.00) 774.00 (1.00) 43.8 96 (1.00) - - -"
# ... with the size the server reports after the run, which bench/run.sh prints
row=$(printf '%s\nPostgreSQL database: 589 MB (7469 MB per million messages)\n' "$pg" | awk -f "$LINES" -f "$AWK" | awk '$1 == 20000')
check "PostgreSQL's store size read from its own line" "$(echo $row)" "20000 2000 (1.00) 774.00 (1.00) 43.8 96 (1.00) 7469 (1.00) - -"
check "no lines, no table" "$(printf 'http orders 1\n' | awk -f "$LINES" -f "$AWK" | wc -l | tr -d ' ')" 0
echo "1..$n"
exit $fail
