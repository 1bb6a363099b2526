# Reading the benchmarks' result lines (bench_bare, bench_platform, and the PostgreSQL size
# bench/run.sh prints), for the tables of scale.awk and summary.awk: run as
# awk -f bench/lines.awk -f bench/TABLE.awk.
#
# The word after `name` in a line of space-separated words ("" when none).
function field(line, name,    n, w, i) {
	n = split(line, w, / +/)
	for (i = 1; i < n; i++)
		if (w[i] == name)
			return w[i + 1]
	return ""
}
# "( 6170 MB per million messages)" -> 6170; "" where the line has none
function per_million(line,    s) {
	if (!match(line, /\( *[0-9]+ MB per million/))
		return ""
	s = substr(line, RSTART + 1, RLENGTH - 1)
	gsub(/[^0-9]/, "", s)
	return s
}
