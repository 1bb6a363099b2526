# make bench's closing table: one row a run, from the lines bench/run.sh keeps of each --
# "STORE<TAB>RUN<TAB>" and the run's own line as bench_platform prints it (in-process, HTTP,
# exchange folder), or "STORE<TAB>size<TAB>PostgreSQL database: ..." after a PostgreSQL run.
# Run with bench/lines.awk before it.
BEGIN { FS = "\t" }
function dash(v) { return v == "" ? "-" : v }
$3 ~ /^(inproc|http|exchange) / {
	rows++
	store[rows] = $1; what[rows] = $2; line = $3
	orders[rows] = field(line, "orders"); rate[rows] = field(line, "intake")
	# the exchange folder answers by files, whose times are not taken
	if (line !~ /^exchange /) { p50[rows] = field(line, "p50"); p99[rows] = field(line, "p99") }
	cleared[rows] = field(line, "cleared"); rss[rows] = field(line, "RSS")
	mb[rows] = per_million(line)
	last = rows
	next
}
# a size belongs to the run just before it, if that run printed its line
$2 == "size" { if (last) mb[last] = per_million($3); last = 0; next }
{ last = 0 }
END {
	if (!rows)
		exit
	printf "%-11s %-34s %8s %8s %8s %8s %9s %9s %9s\n", "store", "intake", "orders", "msg/s",
	       "p50 ms", "p99 ms", "cleared s", "peak MB", "MB/M msg"
	for (i = 1; i <= rows; i++)
		printf "%-11s %-34s %8s %8s %8s %8s %9s %9s %9s\n", store[i], what[i], dash(orders[i]),
		       dash(rate[i]), dash(p50[i]), dash(p99[i]), dash(cleared[i]), dash(rss[i]), dash(mb[i])
}
