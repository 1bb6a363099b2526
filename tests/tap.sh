# TAP helpers for the shell tests (sourced): ok/notok print a numbered line, check compares
# what came out with what should have; $n counts, $fail is 1 once anything failed.
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1"; echo "# want: $3"; echo "# got:  $2"; fi; }
