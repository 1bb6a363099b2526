#!/usr/bin/env python3
"""Count test cases across the meson run and print 'N passed, N failed'.

Each test program prints TAP; a program that crashed or failed without a
'not ok' line (a sanitizer abort, a timeout) counts as one failed case."""
import json
import sys

passed = failed = skipped = 0
bad = []
with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
    for line in f:
        t = json.loads(line)
        out = t.get("stdout") or ""
        ok = sum(1 for l in out.splitlines() if l.startswith("ok ") and "# SKIP" not in l)
        skipped += sum(1 for l in out.splitlines() if l.startswith("ok ") and "# SKIP" in l)
        nok = sum(1 for l in out.splitlines() if l.startswith("not ok "))
        res = t.get("result")
        if res not in ("OK", "EXPECTEDFAIL", "SKIP") and nok == 0:
            nok = 1
        if nok:
            bad.append(t.get("name"))
            for l in out.splitlines():
                if l.startswith("not ok "):
                    print(f"  {t.get('name')}: {l}")
        passed += ok
        failed += nok
if bad:
    print("failed programs: " + ", ".join(bad))
if skipped:
    print(f"{skipped} skipped (scenarios for the other store, or needing root)")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
