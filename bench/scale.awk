# How the figures move with volume: reads bench_bare's and bench_platform's lines (as
# bench/run.sh prints them) and prints one row a scale, each figure that should stay flat
# with its ratio to the first scale's (the time to clear grows with the orders, so it has
# none). Lines of other runs are skipped. Run with bench/lines.awk before it.
function ratio(v, first) {
	return first > 0 && v != "" ? sprintf("%s (%.2f)", v, v / first) : (v == "" ? "-" : v)
}
/^inproc / {
	n = field($0, "orders")
	if (!(n in seen)) { seen[n] = 1; order[++count] = n }
	rate[n] = field($0, "intake"); p99[n] = field($0, "p99"); cleared[n] = field($0, "cleared")
	rss[n] = field($0, "RSS"); store[n] = per_million($0)
	last = n; row = n; next
}
# PostgreSQL's store size, which bench/run.sh asks the server after each run
/^PostgreSQL database:/ && row != "" { store[row] = per_million($0); next }
/^bare / { n = field($0, "orders"); bare[n] = field($0, "intake"); next }
/CPU a message by thread/ && last != "" {
	if (match($0, /all threads [0-9.]+/)) cpu[last] = substr($0, RSTART + 12, RLENGTH - 12)
	last = ""; next
}
END {
	if (!count)
		exit
	f = order[1]
	printf "%9s  %-16s %-16s %-10s %-14s %-14s %-16s %s\n", "orders", "intake msg/s", "p99 ms",
	       "cleared s", "peak RSS MB", "MB/M msgs", "CPU us/msg", "bare msg/s"
	for (i = 1; i <= count; i++) {
		n = order[i]
		printf "%9s  %-16s %-16s %-10s %-14s %-14s %-16s %s\n", n, ratio(rate[n], rate[f]),
		       ratio(p99[n], p99[f]), cleared[n] == "" ? "-" : cleared[n], ratio(rss[n], rss[f]),
		       ratio(store[n], store[f]), ratio(cpu[n], cpu[f]),
		       (n in bare) ? ratio(bare[n], bare[f]) : "-"
	}
}
