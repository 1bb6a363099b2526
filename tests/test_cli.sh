#!/usr/bin/env bash
# The cbec program as a user runs it: help, rules, check on the reference messages and on the
# broken corpus (every input REJECTed with the right rule and path, never a crash), JSON
# output, exit codes, and sign + check with keys made here. Prints TAP.
set -u
CBEC=${CBEC_BIN:?}
SHARED=${CBEC_SHARED:?}
SRC=${CBEC_SRC:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done; }
# run CMD...: output in $T/out, status in $rc
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
# a status >= 128 means a signal: a crash is never an answer
crashed() { [ "$rc" -ge 128 ] || grep -q 'AddressSanitizer\|runtime error' "$T/err"; }

run "$CBEC" --help
[ $rc = 0 ] && grep -q 'check' "$T/out" && ok "cbec --help" || fail "cbec --help" "rc=$rc"
run "$CBEC" check --help
[ $rc = 0 ] && grep -q -- '--json' "$T/out" && ok "cbec check --help" || fail "cbec check --help" "rc=$rc"
run "$CBEC"
[ $rc = 2 ] && ok "no command: usage, exit 2" || fail "no command" "rc=$rc"
run "$CBEC" frobnicate
[ $rc = 2 ] && ok "unknown command: exit 2" || fail "unknown command" "rc=$rc"
run "$CBEC" check --bogus x.xml
[ $rc = 2 ] && grep -q 'unknown option' "$T/err" && ok "unknown option: exit 2" || fail "unknown option" "rc=$rc"
run "$CBEC" check "$T/does-not-exist.xml"
[ $rc = 2 ] && grep -q 'does-not-exist' "$T/err" && ok "missing file: exit 2, named" || fail "missing file" "rc=$rc"
run "$CBEC" check --rule Z-99=warn "$SHARED/domain/samples"
[ $rc = 2 ] && ok "unknown rule id in --rule: exit 2" || fail "--rule Z-99" "rc=$rc"

run "$CBEC" rules
[ $rc = 0 ] && grep -q '^X-01 ' "$T/out" && grep -q '^F-07.4 ' "$T/out" && ok "cbec rules lists the catalogue" \
	|| fail "cbec rules" "rc=$rc"
run "$CBEC" rules --json
[ $rc = 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all({"id","layer","severity","zh","en"} <= set(r) for r in d) and len(d) > 40' "$T/out" \
	&& ok "cbec rules --json" || fail "cbec rules --json" "rc=$rc"

# The reference messages are accepted.
run "$CBEC" check "$SHARED/domain/samples"
if [ $rc = 0 ] && [ "$(grep -c ': ACCEPT' "$T/out")" = 8 ] && ! grep -q REJECT "$T/out"; then
	ok "reference samples: 8 ACCEPT, exit 0"
else
	fail "reference samples" "rc=$rc" "$(cat "$T/out")"
fi

# Official samples: each parses and gets an answer; their real defects are named.
run "$CBEC" check "$SHARED/domain/official/samples"
if ! crashed && [ $rc = 1 ] && [ "$(grep -c ': \(ACCEPT\|REJECT\)' "$T/out")" = 41 ]; then
	ok "official samples: 41 answers, no crash"
else
	fail "official samples" "rc=$rc" "$(tail -5 "$T/out")" "$(head -5 "$T/err")"
fi
grep -q 'CEB214Message.xml: REJECT' "$T/out" && grep -q 'F-01.5  /CEB214' "$T/out" \
	&& ok "official CEB214 sample: root is not CEB214Message (F-01.5)" || fail "CEB214 sample defect"
grep -A8 'import/CEB311Message.xml: REJECT' "$T/out" | grep -q 'X-02    /CEB311Message/Order\[1\]/OrderList\[2\]/totalPrice' \
	&& ok "official CEB311 sample: line 2 totalPrice 12000 != 10 x 200 named (X-02)" || fail "CEB311 sample X-02"

# Every broken input: REJECT, the expected rule at the expected path, exit 1, no crash.
while read -r file rule path; do
	case "$file" in ''|'#'*) continue ;; esac
	run "$CBEC" check "$SRC/tests/data/broken/$file"
	if crashed; then
		fail "broken/$file: crashed" "rc=$rc" "$(head -5 "$T/err")"
	elif [ $rc = 1 ] && grep -q ': REJECT' "$T/out" && grep -qF " $rule" "$T/out" && grep -qF "$(printf '%-7s %s' "$rule" "$path")" "$T/out"; then
		ok "broken/$file: REJECT $rule at $path"
	else
		fail "broken/$file: expected REJECT $rule at $path" "rc=$rc" "$(head -8 "$T/out")"
	fi
done <"$SRC/tests/data/broken/MANIFEST"

# A 100 MB document is refused without being read.
yes '<ceb:x>0123456789</ceb:x>' | head -c 104857600 >"$T/huge.xml"
run "$CBEC" check "$T/huge.xml"
[ $rc = 1 ] && grep -q 'F-01.4' "$T/out" && ok "100 MB document: REJECT F-01.4" || fail "100 MB document" "rc=$rc" "$(head -3 "$T/out")"
rm -f "$T/huge.xml"
run "$CBEC" check --max-bytes 1000 "$SHARED/domain/samples/CEB311Message.xml"
[ $rc = 1 ] && grep -q 'F-01.4' "$T/out" && ok "--max-bytes lowers the size cap" || fail "--max-bytes" "rc=$rc"

# Standard input, JSON, quiet.
run "$CBEC" check - <"$SHARED/domain/samples/CEB411Message.xml"
[ $rc = 0 ] && grep -q '^-: ACCEPT CEB411Message' "$T/out" && ok "check reads standard input" || fail "stdin" "rc=$rc"
run "$CBEC" check --json "$SHARED/domain/samples/CEB311Message.xml" "$SRC/tests/data/broken/paid-mismatch.xml"
if [ $rc = 1 ] && python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["accepted"] == 1 and d["rejected"] == 1, d
r = d["results"][1]
assert r["verdict"] == "REJECT" and r["type"] == "CEB311Message"
f = [x for x in r["findings"] if x["rule"] == "X-01"][0]
assert f["path"] == "/CEB311Message/Order[1]/OrderHead/acturalPaid" and f["line"] > 0
assert f["severity"] == "error" and f["layer"] == "arithmetic" and f["zh"] and f["en"]
PY
then ok "check --json: verdicts and findings"; else fail "check --json" "rc=$rc"; fi
run "$CBEC" check --quiet "$SHARED/domain/samples" "$SRC/tests/data/broken/paid-mismatch.xml"
[ $rc = 1 ] && ! grep -q ACCEPT "$T/out" && grep -q 'paid-mismatch.xml: REJECT' "$T/out" \
	&& ok "--quiet prints only rejections" || fail "--quiet" "rc=$rc"
run "$CBEC" check --rule X-01=warn "$SRC/tests/data/broken/paid-mismatch.xml"
[ $rc = 0 ] && grep -q 'warning X-01' "$T/out" && ok "--rule X-01=warn downgrades the rule" || fail "--rule downgrade" "rc=$rc"
run "$CBEC" check "$SRC/tests/data/warn/goods-sum.xml"
[ $rc = 0 ] && grep -q 'ACCEPT' "$T/out" && grep -q 'warning X-03' "$T/out" \
	&& ok "X-03 (goodsValue vs lines) is a warning by default: ACCEPT" || fail "X-03 default" "rc=$rc" "$(cat "$T/out")"
run "$CBEC" check --rule X-03=error "$SRC/tests/data/warn/goods-sum.xml"
[ $rc = 1 ] && grep -q 'error   X-03' "$T/out" && ok "--rule X-03=error upgrades the rule" || fail "--rule upgrade" "rc=$rc"

# Sign and check, with an RSA key and an SM2 key made here.
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/rsa.key" -out "$T/rsa.crt" -subj /CN=cbec-test -days 30 2>/dev/null
	run "$CBEC" sign --key "$T/rsa.key" --cert "$T/rsa.crt" "$SHARED/domain/samples/CEB621Message.xml"
	cp "$T/out" "$T/signed.xml"
	if [ $rc = 0 ] && grep -q 'rsa-sha1' "$T/signed.xml"; then ok "cbec sign (RSA)"; else fail "cbec sign (RSA)" "rc=$rc" "$(cat "$T/err")"; fi
	run "$CBEC" check "$T/signed.xml"
	[ $rc = 0 ] && ! grep -q 'F-07' "$T/out" && ok "signed message verifies: ACCEPT, no F-07" || fail "check signed" "rc=$rc" "$(cat "$T/out")"
	sed 's/<ceb:buyerName>张测试</<ceb:buyerName>李测试</' "$T/signed.xml" >"$T/tampered.xml"
	run "$CBEC" check "$T/tampered.xml"
	[ $rc = 1 ] && grep -q 'F-07.4' "$T/out" && ok "tampered signed message: REJECT F-07.4" || fail "tampered" "rc=$rc" "$(cat "$T/out")"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/ca.key" -out "$T/ca.crt" -subj /CN=other-ca -days 30 2>/dev/null
	run "$CBEC" check --trust "$T/ca.crt" "$T/signed.xml"
	[ $rc = 1 ] && grep -q 'F-07.6' "$T/out" && ok "--trust: a certificate outside the trust store is F-07.6" || fail "--trust other" "rc=$rc" "$(cat "$T/out")"
	run "$CBEC" check --trust "$T/rsa.crt" "$T/signed.xml"
	[ $rc = 0 ] && ok "--trust: the signer's own certificate is trusted" || fail "--trust self" "rc=$rc" "$(cat "$T/out")"
	if openssl genpkey -algorithm SM2 -out "$T/sm2.key" 2>/dev/null &&
		openssl req -x509 -key "$T/sm2.key" -sm3 -sigopt distid:1234567812345678 -out "$T/sm2.crt" -subj /CN=cbec-sm2 -days 30 2>/dev/null; then
		run "$CBEC" sign --key "$T/sm2.key" --cert "$T/sm2.crt" --out "$T/sm2.xml" "$SHARED/domain/samples/CEB621Message.xml"
		run2=$rc
		run "$CBEC" check "$T/sm2.xml"
		[ $run2 = 0 ] && [ $rc = 0 ] && grep -q 'chinaport.gov.cn/2022/04/xmldsig#sm2-sm3' "$T/sm2.xml" \
			&& ok "cbec sign (SM2-SM3) and check" || fail "SM2 sign/check" "sign=$run2 check=$rc" "$(cat "$T/out")"
	else
		fail "openssl could not make an SM2 key and certificate"
	fi
	run "$CBEC" sign --key "$T/nope.key" --cert "$T/rsa.crt" "$SHARED/domain/samples/CEB621Message.xml"
	[ $rc = 2 ] && ok "sign with a missing key: exit 2" || fail "sign missing key" "rc=$rc"
else
	fail "openssl command not found"
fi

# cbec audit on a log written here from the documented format (README "Audit log"), so the
# format, not just the program's own round trip, is what verify checks.
python3 - "$T/audit.log" <<'PY'
import hashlib, json, sys
prev = '0' * 64
recs = [
    dict(actor='1234560TST', role='enterprise', action='submit', resource='CEB311 A-1',
         owner='1234560TST', status=200, code='2', remote='127.0.0.1'),
    dict(action='auth-failed', resource='/api/v1/receipts', status=401, remote='127.0.0.1'),
    dict(actor='GACC01', role='regulator', action='read', resource='/api/v1/stats', status=200),
]
with open(sys.argv[1], 'w') as f:
    for i, r in enumerate(recs):
        body = json.dumps(dict(seq=i + 1, time='2026-11-2%dT08:00:00.000Z' % (2 + i), **r, prev=prev),
                          separators=(',', ':'))[:-1]
        h = hashlib.sha256((prev + body).encode()).hexdigest()
        f.write(body + ',"hash":"%s"}\n' % h)
        prev = h
PY
run "$CBEC" audit verify "$T/audit.log"
[ $rc = 0 ] && grep -q 'intact, 3 records' "$T/out" && ok "audit verify: a log in the documented format is intact" \
	|| fail "audit verify intact" "rc=$rc" "$(cat "$T/out" "$T/err")"
run "$CBEC" audit show "$T/audit.log" --action read
[ $rc = 0 ] && [ "$(wc -l <"$T/out")" = 1 ] && grep -q 'GACC01 (regulator) /api/v1/stats' "$T/out" \
	&& ok "audit show --action read" || fail "audit show --action" "rc=$rc" "$(cat "$T/out")"
run "$CBEC" audit show "$T/audit.log" --actor 1234560TST --json
[ $rc = 0 ] && [ "$(wc -l <"$T/out")" = 1 ] && python3 -c 'import json,sys; assert json.loads(open(sys.argv[1]).read())["code"] == "2"' "$T/out" \
	&& ok "audit show --actor --json: the stored line" || fail "audit show --actor --json" "rc=$rc" "$(cat "$T/out")"
run "$CBEC" audit show "$T/audit.log" --since 2026-11-23T00:00:00Z
[ $rc = 0 ] && [ "$(wc -l <"$T/out")" = 2 ] && ok "audit show --since" || fail "audit show --since" "rc=$rc" "$(cat "$T/out")"
run "$CBEC" audit show "$T/audit.log" --since yesterday
[ $rc = 2 ] && ok "audit show --since with a bad time: exit 2" || fail "audit show bad --since" "rc=$rc"
sed 's/auth-failed/auth-falied/' "$T/audit.log" >"$T/audit-changed.log"
run "$CBEC" audit verify "$T/audit-changed.log"
[ $rc = 1 ] && grep -q 'line 2 does not match its hash' "$T/out" && ok "audit verify: a changed line is named, exit 1" \
	|| fail "audit verify changed" "rc=$rc" "$(cat "$T/out")"
sed '2d' "$T/audit.log" >"$T/audit-deleted.log"
run "$CBEC" audit verify "$T/audit-deleted.log"
[ $rc = 1 ] && grep -q 'line 2 does not follow line 1' "$T/out" && ok "audit verify: a deleted line is found, exit 1" \
	|| fail "audit verify deleted" "rc=$rc" "$(cat "$T/out")"
run "$CBEC" audit verify "$T/no-such.log"
[ $rc = 2 ] && ok "audit verify: a missing file, exit 2" || fail "audit verify missing" "rc=$rc"
run "$CBEC" audit verify
[ $rc = 2 ] && ok "audit verify without PATH: exit 2" || fail "audit verify no path" "rc=$rc"
run "$CBEC" audit frob "$T/audit.log"
[ $rc = 2 ] && ok "audit: unknown subcommand, exit 2" || fail "audit frob" "rc=$rc"

# What the writer produces validates with xmllint against the official schema.
if command -v xmllint >/dev/null && [ -f "$T/signed.xml" ]; then
	if xmllint --noout --schema "$SHARED/domain/official/xsd/ceb-import-2022.xsd" "$T/signed.xml" 2>"$T/err"; then
		ok "signed output validates with xmllint --schema"
	else
		fail "xmllint on signed output" "$(cat "$T/err")"
	fi
fi
# The bonded account's operator side: a CSV credited in one transaction, a resend harmless,
# a refused row stops the whole file, show prints the figures; B-01..B-04 are in the rules.
run "$CBEC" rules
grep -q '^B-01 ' "$T/out" && grep -q '^B-02 ' "$T/out" && grep -q '^B-04 ' "$T/out" \
	&& ok "cbec rules lists B-01, B-02, B-04" || fail "bonded rules" "$(grep '^B-' "$T/out")"
DB="sqlite:$T/bonded.db"
printf 'emsNo,itemRecordNo,gcode,gname,unit,qty,entryNo,owner\nEMS1,IT1,3304990099,"面霜, 50ml",035,12.5,E1,WH01\nEMS1,IT2,9617001100,杯,007,3,E1,WH01\n' >"$T/s.csv"
run "$CBEC" bonded stock-in --db "$DB" "$T/s.csv"
[ $rc = 0 ] && grep -q '2 credited, 0 already' "$T/out" && ok "bonded stock-in: a CSV credited" \
	|| fail "bonded stock-in" "rc=$rc" "$(cat "$T/out" "$T/err")"
run "$CBEC" bonded stock-in --db "$DB" "$T/s.csv"
[ $rc = 0 ] && grep -q '0 credited, 2 already' "$T/out" && ok "bonded stock-in: the same file again is harmless" \
	|| fail "bonded stock-in resend" "rc=$rc" "$(cat "$T/out" "$T/err")"
printf '[{"emsNo":"EMS1","itemRecordNo":"IT2","gcode":"9617001100","gname":"杯","unit":"007","qty":"1","entryNo":"E2"},{"emsNo":"EMS1","itemRecordNo":"IT1","gcode":"3304990099","gname":"面霜, 50ml","unit":"035","qty":"2","entryNo":"E1"}]' >"$T/s.json"
run "$CBEC" bonded stock-in --db "$DB" --owner WH01 "$T/s.json"
[ $rc = 1 ] && grep -q 'REFUSED \[B-02\] qty' "$T/err" && ok "bonded stock-in: a conflicting row refuses the file (exit 1)" \
	|| fail "bonded stock-in conflict" "rc=$rc" "$(cat "$T/out" "$T/err")"
run "$CBEC" bonded show --db "$DB" EMS1
[ $rc = 0 ] && grep -q 'IT1.*面霜, 50ml.*balance 12.5.*available 12.5' "$T/out" && grep -q 'IT2.*balance 3\s' "$T/out" \
	&& ok "bonded show: the file with the refused row credited nothing" || fail "bonded show" "rc=$rc" "$(cat "$T/out" "$T/err")"
run "$CBEC" bonded show --db "$DB" EMS9
[ $rc = 1 ] && ok "bonded show: an unknown account exits 1" || fail "bonded show unknown" "rc=$rc"

# Export summaries from the command line: S-01..S-03 are in the rules; an empty store has
# nothing to build; bad arguments are usage errors.
run "$CBEC" rules
grep -q '^S-01 ' "$T/out" && grep -q '^S-02 ' "$T/out" && grep -q '^S-03 ' "$T/out" \
	&& ok "cbec rules lists S-01, S-02, S-03" || fail "summary rules" "$(grep '^S-' "$T/out")"
DB="sqlite:$T/summary.db"
run "$CBEC" summary build --db "$DB" --ebc 1234571TST --period 2026-11
[ $rc = 0 ] && grep -q '"eligible": 0' "$T/out" && grep -q '"deadline": "2026-12-15"' "$T/out" \
	&& ok "summary build: nothing eligible on an empty store, the S-05 deadline shown" \
	|| fail "summary build empty" "rc=$rc" "$(cat "$T/out" "$T/err")"
run "$CBEC" summary build --db "$DB" --ebc 1234571TST --period 2026-11 --summary-flag 3
[ $rc = 2 ] && ok "summary build: summaryFlag 3 is a usage error" || fail "summary flag" "rc=$rc" "$(cat "$T/err")"
run "$CBEC" summary build --db "$DB" --period 2026-11
[ $rc = 2 ] && ok "summary build: --ebc is required" || fail "summary ebc" "rc=$rc"
run "$CBEC" summary show --db "$DB" 1
[ $rc = 1 ] && ok "summary show: an unknown summary exits 1" || fail "summary show unknown" "rc=$rc"

# cbec gen --send: usage errors before anything is sent; nobody listening is an error, not a hang
run "$CBEC" gen --accounts
[ $rc = 0 ] && head -1 "$T/out" | grep -q '^code	role	side	name$' && [ "$(wc -l <"$T/out")" -gt 10 ] \
	&& ok "gen --accounts: the senders' table" || fail "gen --accounts" "rc=$rc" "$(head -3 "$T/out")"
run "$CBEC" gen --orders 10 --send http://127.0.0.1:9
[ $rc = 2 ] && grep -q -- '--tokens' "$T/err" && ok "gen --send without --tokens: exit 2" || fail "gen --send no tokens" "rc=$rc" "$(cat "$T/err")"
run "$CBEC" gen --orders 10 --tokens x --out "$T/g"
[ $rc = 2 ] && grep -q 'go with --send' "$T/err" && ok "gen --tokens without --send: exit 2" || fail "gen --tokens alone" "rc=$rc" "$(cat "$T/err")"
run "$CBEC" gen --orders 10 --clients 16 --out "$T/g"
[ $rc = 2 ] && grep -q 'go with --send' "$T/err" && ok "gen --clients without --send, even its default: exit 2" || fail "gen --clients alone" "rc=$rc" "$(cat "$T/err")"
run "$CBEC" gen --orders 10 --send http://h:1 --tokens x --clients 0
[ $rc = 2 ] && grep -q "bad value '0' for --clients (a count from 1 to 4096)" "$T/err" \
	&& ok "gen --clients 0: exit 2, said why" || fail "gen --clients 0" "rc=$rc" "$(cat "$T/err")"
for u in ftp://h:1 http:// http://h:0 http://h:99999 http://h:1/path; do
	run "$CBEC" gen --orders 10 --send "$u" --tokens x
	[ $rc = 2 ] && grep -q -- "--send '$u'" "$T/err" && ok "gen --send $u: a bad address, exit 2" \
		|| fail "gen --send $u" "rc=$rc" "$(cat "$T/err")"
done
"$CBEC" gen --accounts | tail -n +2 | cut -f1 | sed 's/$/ t0ken/' >"$T/tokens"
run "$CBEC" gen --orders 10 --send http://127.0.0.1:9 --tokens "$T/tokens"
[ $rc = 2 ] && grep -q 'no cbec server answers at http://127.0.0.1:9' "$T/err" \
	&& ok "gen --send to nobody: exit 2, said" || fail "gen --send nobody" "rc=$rc" "$(cat "$T/err")"

echo "1..$n"
