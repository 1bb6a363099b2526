#!/usr/bin/env python3
"""Feed a running cbec a short demo: import orders made from the reference messages (fresh
guids and numbers), their four documents sent in shuffled order by their four senders, then
wait for customs' release and print where each order stands.

usage: demo.py URL TOKENS.json SAMPLES_DIR [ORDERS]"""
import json
import random
import re
import sys
import time
import urllib.error
import urllib.request
import uuid

url, tokens_path, samples = sys.argv[1], sys.argv[2], sys.argv[3]
orders = int(sys.argv[4]) if len(sys.argv) > 4 else 8
tokens = json.load(open(tokens_path))
docs = {t: open(f"{samples}/CEB{t}Message.xml", encoding="utf-8").read() for t in (311, 411, 511, 621)}
sender = {311: "1234560TST", 411: "1234562TST", 511: "1234563TST", 621: "1234564TST"}
GUID = re.compile(r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")


def id_card(n):
    """An 18-character resident ID with a valid GB 11643 check digit (a made-up person)."""
    body = f"11010119900{3 + n // 28000 % 7}{1 + n // 1000 % 28:02d}{n % 1000:03d}"
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]


def make(xml, n):
    # every message and entity gets a fresh guid; each order has its own buyer
    xml = GUID.sub(lambda m: str(uuid.uuid4()).upper(), xml)
    return (xml.replace("110101199003071233", id_card(n))
               .replace("TESTORD202405200001", f"DEMO{n:015d}")
               .replace("TESTWB0000000001", f"DEMOWB{n:010d}")
               .replace("TESTPAY2024052000001", f"DEMOPAY{n:013d}"))


def call(method, path, token, body=None):
    req = urllib.request.Request(url + path, data=body, method=method,
                                 headers={"Authorization": "Bearer " + token,
                                          "Content-Type": "application/xml"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def status_of(receipt):
    m = re.search(r"<ceb:returnStatus>([^<]*)<", receipt)
    return m.group(1) if m else "?"


# The sample orders are 1210 bonded lists: the warehouse 1234565TST first stocks its account
# (first-line entry, B-02); the same entry number again on the next run is harmless.
WH = "1234565TST"
if WH in tokens:
    for item, gcode, gname, unit, qty in (("TESTITEM0001", "3304990099", "保湿面霜", "035", "100"),
                                          ("TESTITEM0002", "9617001100", "不锈钢保温杯", "007", "1000")):
        body = json.dumps({"emsNo": "TESTEMS2900000001", "itemRecordNo": item, "gcode": gcode,
                           "gname": gname, "unit": unit, "qty": qty, "entryNo": "DEMO-ENTRY-1"})
        code, answer = call("POST", "/api/v1/bonded/stock-in", tokens[WH], body.encode())
        print(f"stock-in {item} {qty} {unit}: HTTP {code} {answer}")

n0 = int(time.time()) % 100000 * 1000
print(f"demo: {orders} import orders, four documents each, in random order")
for i in range(orders):
    n = n0 + i
    kinds = [311, 411, 511, 621]
    random.shuffle(kinds)
    answers = []
    for k in kinds:
        code, body = call("POST", "/api/v1/messages", tokens[sender[k]], make(docs[k], n).encode())
        answers.append(f"{k}->{code}/{status_of(body)}")
    print(f"  order DEMO{n:015d}: sent {' '.join(answers)}")

deadline = time.time() + 20
pending = {n0 + i for i in range(orders)}
states = {}
while pending and time.time() < deadline:
    for n in list(pending):
        key = f"1234560TST%7CDEMO{n:015d}"
        code, body = call("GET", f"/api/v1/declarations/621/{key}", tokens["1234564TST"])
        if code == 200:
            d = json.loads(body)
            states[n] = (d["state"], d.get("invtNo"), d.get("tax", {}).get("total"))
            if d["state"] in ("released", "rejected"):
                pending.discard(n)
    time.sleep(0.3)
print("where the lists stand:")
for n in sorted(states):
    st, invt, tax = states[n]
    print(f"  DEMO{n:015d}: {st:9} invtNo {invt or '-':20} tax {tax or '-'} CNY")
