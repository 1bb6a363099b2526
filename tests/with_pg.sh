#!/bin/sh
# with_pg.sh CMD [ARG...]: run CMD with a throwaway PostgreSQL (tests/pg.sh), its URL in
# CBEC_TEST_PG and its folder in CBEC_TEST_PG_DIR (for pg.sh pause/resume); stop the server
# afterwards and exit with CMD's status. No server, no test: a failure to start is a failure,
# never a skip.
here=$(dirname "$0")
out=$("$here/pg.sh" start) || { echo "with_pg.sh: cannot start PostgreSQL" >&2; exit 1; }
url=$(echo "$out" | sed -n 1p)
dir=$(echo "$out" | sed -n 2p)
trap '"$here/pg.sh" stop "$dir"' EXIT
trap 'exit 143' INT TERM
CBEC_TEST_PG=$url CBEC_TEST_PG_DIR=$dir "$@"
