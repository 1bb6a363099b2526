#!/usr/bin/env python3
"""Reliability suite for `cbec serve` (issue #6): hostile requests, slow clients, a full disk,
a read-only store and a PostgreSQL restart, each against a real server on a loopback port.
The servers, the message generator and the TAP runner are test_server.py's (imported, not
copied); kill -9 under load lives there (s12, s13).

    python3 tests/test_reliability.py [r01 ...]    the short form (make test), TAP
    python3 tests/test_reliability.py --soak MIN   the long form (make soak): the hostile
                                                   mix, kill -9 cycles and disk-full cycles
                                                   repeated for MIN minutes; summary, exit 1
                                                   on any failure

Environment: as test_server.py (CBEC_BIN, CBEC_SHARED, CBEC_TEST_STORE=pg with CBEC_TEST_PG
and CBEC_TEST_PG_DIR from tests/with_pg.sh). Scenarios that need root (mounts) or one store
kind say so with a TAP SKIP.
"""
import http.client
import json
import os
import random
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_server as ts  # noqa: E402
from test_server import (AGENT, EBP, REG, SENDER, Fatal, Order, Server,  # noqa: E402
                         brief, fresh_guids, get_field, http_call, info_of, read_store,
                         status_of)

STORE = ts.STORE
MAX_BODY = 8 * 1024 * 1024
RULE_RE = re.compile(r'\[[A-Z]-\d+(?:\.\d+)?\]')
IS_ROOT = os.geteuid() == 0
MIX_TIMEOUT = 2  # the server's --http-timeout in the mix: stalled junk is closed after it
JUNK_WAIT = MIX_TIMEOUT + 4
SLOW_TIMEOUT = 3  # the server's --http-timeout for the slow clients


class Skip(Exception):
    """The scenario does not apply here (store kind, privileges)."""


# ---------------------------------------------------------------------------------------
# Raw HTTP
# ---------------------------------------------------------------------------------------

def raw(port, data, timeout=10, shut=True):
    """Send bytes as they are, read until the server closes or `timeout`; (status, whole
    answer bytes). Status None: the server closed without an HTTP answer; 'hung': it
    neither answered nor closed within `timeout`."""
    s = socket.create_connection(('127.0.0.1', port), timeout=1)
    out = b''
    try:
        try:
            s.sendall(data)
            if shut:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        deadline = time.time() + timeout
        while True:
            if time.time() >= deadline:
                if not out:
                    return 'hung', out
                break
            try:
                b = s.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not b:
                break
            out += b
            if not shut and b'\r\n\r\n' in out:
                head, _, body = out.partition(b'\r\n\r\n')
                m = re.search(rb'(?i)content-length:\s*(\d+)', head)
                if m and len(body) >= int(m.group(1)):
                    break
    finally:
        s.close()
    m = re.match(rb'HTTP/1\.[01] (\d{3})', out)
    return (int(m.group(1)) if m else None), out


def status_code(port, method, path, body=None, headers=None, timeout=30):
    try:
        return http_call(port, method, path, body, headers, timeout)
    except (OSError, http.client.HTTPException) as e:
        return None, repr(e).encode()


def alive(srv):
    st, b = status_code(srv.port, 'GET', '/api/v1/health', timeout=10)
    try:
        return st == 200 and json.loads(b).get('ok') is True
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------
# The hostile mix
# ---------------------------------------------------------------------------------------

SQL_PAYLOADS = [
    "'", '";--', "' OR '1'='1", "'; DROP TABLE msg;--", '\\0', '\\x00', '%00', '%',
    '_', '100%_off', '\\', '\\\\\'', '`x`', 'a\'b"c', '$1', '?', "' UNION SELECT 1--",
    'O\'Brien', '/*', '-- x',
]
LONG_PAYLOAD = "'" + 'x' * 4000 + '"'


def xml_text(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


LEAF_RE = re.compile(r'<ceb:(\w+)>([^<]*)</ceb:\1>')


def leaves(xml):
    """(start, end, name) of every leaf value of the ceb: elements (the signature's ds:
    elements are not fields)."""
    return [(m.start(2), m.end(2), m.group(1)) for m in LEAF_RE.finditer(xml)]


def injected(per_slot=None, payloads=None):
    """Messages with a hostile value in one field each: every leaf of the four documents of
    an order in turn, each with every payload, or (per_slot) with that many of them, taken
    round-robin so that every payload still reaches many fields. Each message is of a fresh
    order, so what is accepted is new."""
    payloads = payloads or SQL_PAYLOADS + [LONG_PAYLOAD]
    out = []
    proto = Order().docs()
    slots = [(k, i, name) for k in (311, 411, 511, 621) for i, (_, _, name) in enumerate(leaves(proto[k]))]
    for n, (k, i, name) in enumerate(slots):
        chosen = payloads if per_slot is None else [payloads[(n * per_slot + j) % len(payloads)]
                                                    for j in range(per_slot)]
        for p in chosen:
            o = Order()
            x = o.docs()[k]
            a, b, nm = leaves(x)[i]
            assert nm == name
            body = fresh_guids(x[:a]) + xml_text(p) + fresh_guids(x[b:])
            out.append(dict(kind='field', what='CEB%d %s = %r' % (k, name, p[:40]), code=SENDER[k],
                            body=body.encode('utf-8'), field=name, payload=p, doc=k, order=o))
    return out


def billion_laughs():
    ents = '<!ENTITY a0 "lol">' + ''.join('<!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">'
                                        % (i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1)
                                        for i in range(1, 10))
    return ('<?xml version="1.0"?><!DOCTYPE ceb:CEB311Message [%s]>'
            '<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb">&a9;</ceb:CEB311Message>' % ents)


def hostile_xml(o):
    """Hostile bodies: each must be refused (400 + CEB900, or a receipt naming the rule)."""
    x311 = o.m311()
    head = x311.split('?>', 1)
    deep = ('<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb">' + '<ceb:Order>' * 5000 +
            '</ceb:Order>' * 5000 + '</ceb:CEB311Message>')
    many = ('<ceb:CEB311Message xmlns:ceb="http://www.chinaport.gov.cn/ceb">' + '<ceb:x/>' * 500000 +
            '</ceb:CEB311Message>')
    bodies = [
        ('billion laughs', billion_laughs()),
        ('external entity', head[0] + '?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
         head[1].replace('>' + get_field(x311, 'buyerName') + '<', '>&xxe;<', 1)),
        ('parameter entity', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]><r/>'),
        ('external DTD', '<?xml version="1.0"?><!DOCTYPE ceb:CEB311Message SYSTEM "http://127.0.0.1:9/x.dtd">' + head[1]),
        ('deep nesting 5000', deep),
        ('500,000 elements', many),
        ('XInclude', head[0] + '?>' + head[1].replace(
            '<ceb:buyerName>', '<ceb:buyerName><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>', 1)),
        ('unclosed', x311[:len(x311) // 2]),
        ('two roots', x311 + x311.split('?>', 1)[1]),
        ('NUL byte inside', x311.replace('<ceb:buyerName>', '<ceb:buyerName>\x00', 1)),
        ('char reference to NUL', x311.replace('<ceb:buyerName>', '<ceb:buyerName>&#0;', 1)),
        ('undefined entity', x311.replace('<ceb:buyerName>', '<ceb:buyerName>&nbsp;', 1)),
        ('huge attribute', x311.replace('version="1.0"', 'version="1.0" junk="%s"' % ('a' * 200000), 1)),
        ('10,000 attributes', x311.replace('version="1.0"', 'version="1.0" ' + ' '.join('a%d="1"' % i for i in range(10000)), 1)),
        ('wrong namespace', x311.replace('http://www.chinaport.gov.cn/ceb', 'urn:evil', 1)),
        ('encoding GBK', x311.replace('encoding="UTF-8"', 'encoding="GBK"', 1)),
        ('empty body', ''),
        ('whitespace body', '   \n\t  '),
        ('JSON body', '{"guid": "x", "orderNo": "1\' OR 1=1"}'),
        ('processing instruction', x311.replace('<ceb:OrderHead>', '<?php system("id"); ?><ceb:OrderHead>', 1)),
        ('CDATA with markup', x311.replace('<ceb:note>', '<ceb:note><![CDATA[</ceb:note><x>]]>', 1)
         if '<ceb:note>' in x311 else x311.replace('<ceb:buyerName>', '<ceb:buyerName><![CDATA[<x>]]>', 1)),
    ]
    out = []
    for what, b in bodies:
        out.append(dict(kind='xml', what=what, code=EBP, body=b.encode('utf-8') if isinstance(b, str) else b))
    # invalid UTF-8 in a field, in every form that is not UTF-8
    raw311 = fresh_guids(o.m311()).encode('utf-8')
    for what, bad in (('byte 0xff', b'\xff'), ('overlong slash', b'\xc0\xaf'), ('surrogate', b'\xed\xa0\x80'),
                      ('truncated sequence', b'\xe4\xb8'), ('latin-1 name', '张'.encode('gb18030')),
                      ('code point over U+10FFFF', b'\xf4\x90\x80\x80')):
        out.append(dict(kind='xml', what='invalid UTF-8: ' + what, code=EBP,
                        body=raw311.replace(b'<ceb:buyerName>', b'<ceb:buyerName>' + bad, 1)))
    out.append(dict(kind='xml', what='UTF-16 body', code=EBP,
                    body=x311.replace('UTF-8', 'UTF-16').encode('utf-16')))
    return out


def request_mix(srv, rnd):
    """The HTTP-level part of the mix: (what, fn(port) -> (status, body), expected statuses)."""
    o = Order()
    good = o.m311().encode('utf-8')
    tok = srv.tokens[EBP]
    H = lambda **kw: dict({'Content-Type': 'application/xml'}, **kw)  # noqa: E731
    reqs = []

    def post(what, body, headers, want, path='/api/v1/messages', method='POST'):
        reqs.append((what, lambda p: status_code(p, method, path, body, headers), want))

    def get(what, path, headers, want, method='GET'):
        reqs.append((what, lambda p: status_code(p, method, path, None, headers), want))

    auth = {'Authorization': 'Bearer ' + tok}
    # tokens
    for what, h in [('no Authorization', {}), ('Bearer alone', {'Authorization': 'Bearer'}),
                    ('Bearer and a space', {'Authorization': 'Bearer '}),
                    ('Basic scheme', {'Authorization': 'Basic dXNlcjpwYXNz'}),
                    ('lowercase bearer with a good token', {'Authorization': 'bearer ' + tok}),
                    ('token with SQL', {'Authorization': "Bearer ' OR '1'='1"}),
                    ('token with quote and comment', {'Authorization': 'Bearer ";--'}),
                    ('expired-looking JWT', {'Authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln'}),
                    ('token with a percent', {'Authorization': 'Bearer %00%27'}),
                    ('token with backslashes', {'Authorization': 'Bearer \\\\\\x00'}),
                    ('good token plus junk', {'Authorization': 'Bearer ' + tok + 'x'}),
                    ('good token truncated', {'Authorization': 'Bearer ' + tok[:-1]}),
                    ('token of 4,000 characters', {'Authorization': 'Bearer ' + 'A' * 4000}),
                    ('two Bearer words', {'Authorization': 'Bearer Bearer ' + tok})]:
        post('POST with ' + what, good, H(**h), (401,))
        get('GET receipts with ' + what, '/api/v1/receipts', h, (401,))
    post('regulator posting', good, H(Authorization='Bearer ' + srv.tokens[REG]), (403,))
    get('enterprise reading stats', '/api/v1/stats', auth, (403,))
    # Content-Type
    for ct in ('application/json', 'text/plain', 'multipart/form-data; boundary=x',
               'application/x-www-form-urlencoded', 'image/png', 'application/octet-stream',
               "application/' OR 1=1"):
        post('Content-Type ' + ct, good, dict(auth, **{'Content-Type': ct}), (415,))
    # methods
    for m in ('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'FOO', 'HEAD'):
        get(m + ' /api/v1/messages', '/api/v1/messages', auth, (405,), method=m)
        get(m + ' /api/v1/receipts', '/api/v1/receipts', auth, (405,), method=m)
    get('GET /api/v1/messages', '/api/v1/messages', auth, (405,))
    post('POST /api/v1/receipts', good, H(**auth), (405,), path='/api/v1/receipts')
    # unknown paths and traversal
    for p in ('/', '/api', '/api/v1', '/api/v2/messages', '/api/v1/messages/x', '/api/v1/healthz',
              '/../../etc/passwd', '/api/v1/../../../etc/passwd', '/api/v1/%2e%2e/%2e%2e/etc/passwd',
              '/api/v1/declarations/../../../../etc/passwd', '/api/v1/stats/../health/x',
              '/%00', '/api/v1/%ff%fe', '/api/v1/' + 'a' * 3000, "/api/v1/'; DROP TABLE doc;--"):
        get('GET ' + p[:60], p.replace(' ', '%20'), auth, (404, 400, 414))
    for p, want in (('/api/v1/declarations/621/', (400, 404)), ('/api/v1/declarations/abc/def', (400,)),
                    ('/api/v1/declarations/621', (400,)), ('/api/v1/declarations/-1/x', (400,)),
                    ('/api/v1/declarations/621/%00', (404,)),
                    ('/api/v1/declarations/621/' + urllib.parse.quote("' OR '1'='1", safe=''), (404,)),
                    ('/api/v1/declarations/621/' + urllib.parse.quote(EBP + '|%', safe=''), (404,)),
                    ('/api/v1/declarations/621/' + urllib.parse.quote(EBP + '|_', safe=''), (404,)),
                    ('/api/v1/declarations/621/' + 'k' * 5000, (404, 414)),
                    ('/api/v1/declarations/99999999999999999999/x', (400, 404)),
                    ('/api/v1/receipts?after=abc', (400,)), ('/api/v1/receipts?after=-5', (400,)),
                    ('/api/v1/receipts?limit=0', (400,)), ('/api/v1/receipts?limit=99999999999999999999', (400,)),
                    ('/api/v1/receipts?after=1e5', (400,)), ("/api/v1/receipts?after=0'--", (400,)),
                    ('/api/v1/receipts?after=0&after=1', (200, 400)), ('/api/v1/receipts?limit=%00', (200, 400))):
        get('GET ' + p[:70], p, auth, want)
    # oversized bodies: with a Content-Length, chunked, just over and far over
    big = b'<' + b'x' * (MAX_BODY + 10) + b'>'
    post('body 8 MiB + 12 bytes with Content-Length', big, H(**auth), (413,))
    reqs.append(('body over 8 MiB, chunked', lambda p: chunked_post(p, tok, MAX_BODY + 100000), (413,)))
    reqs.append(('Content-Length of 10 GB, 64 KiB sent, then closed',
                 lambda p: raw(p, b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ' +
                               tok.encode() + b'\r\nContent-Type: application/xml\r\nContent-Length: 10000000000\r\n\r\n' +
                               b'x' * 65536, timeout=JUNK_WAIT), (413, None)))
    reqs.append(('Content-Length of 10 GB with Expect: 100-continue: refused before the body',
                 lambda p: raw(p, b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ' +
                               tok.encode() + b'\r\nContent-Type: application/xml\r\nExpect: 100-continue\r\n'
                               b'Content-Length: 10000000000\r\n\r\n', timeout=10, shut=False), (413,)))
    reqs.append(('a body of 40 MiB, chunked: cut off', lambda p: chunked_post(p, tok, 5 * MAX_BODY), (413, None)))
    post('body exactly at the cap', b' ' * (MAX_BODY - len(good)) + good, H(**auth), (200, 400))
    # junk on the wire
    junk = [b'\x00\x01\x02\x03\xff\xfe\r\n\r\n', b'GET\r\n\r\n', b'GET /api/v1/health\r\n\r\n',
            b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', b'GET /api/v1/health HTTP/9.9\r\nHost: x\r\n\r\n',
            b'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n',
            b'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX: ' + b'a' * 100000 + b'\r\n\r\n',
            b'GET /api/v1/health HTTP/1.1\r\nHost: x\r\n' + b''.join(b'X-%d: 1\r\n' % i for i in range(3000)) + b'\r\n',
            b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
            b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
            b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
            b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n',
            b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc',
            b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n',
            b'GET /api/v1/he\x00alth HTTP/1.1\r\nHost: x\r\n\r\n',
            b'\r\n\r\n\r\n\r\n',
            b'GET ' + b'/a' * 40000 + b' HTTP/1.1\r\nHost: x\r\n\r\n']
    for i, j in enumerate(junk):
        reqs.append(('junk on the wire #%d %r' % (i, j[:40]), (lambda j: lambda p: raw(p, j, timeout=JUNK_WAIT))(j),
                     (400, 404, 405, 413, 414, 431, 501, 505, None)))
    for i in range(20):
        j = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 2000)))
        reqs.append(('random bytes #%d' % i, (lambda j: lambda p: raw(p, j, timeout=JUNK_WAIT))(j),
                     (400, 404, 405, 413, 414, 431, 501, 505, None)))
    return reqs


def chunked_post(port, tok, total):
    """POST a body of `total` bytes in 64 KiB chunks, stop sending at the first answer."""
    s = socket.create_connection(('127.0.0.1', port), timeout=30)
    try:
        s.sendall(b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ' + tok.encode() +
                  b'\r\nContent-Type: application/xml\r\nTransfer-Encoding: chunked\r\n\r\n')
        sent = 0
        chunk = b'x' * 65536
        try:
            while sent < total:
                s.sendall(b'%x\r\n' % len(chunk) + chunk + b'\r\n')
                sent += len(chunk)
            s.sendall(b'0\r\n\r\n')
        except OSError:
            pass
        out = b''
        while True:
            try:
                b = s.recv(65536)
            except OSError:
                break
            if not b:
                break
            out += b
            if b'\r\n\r\n' in out and b'}' in out:
                break
    finally:
        s.close()
    m = re.match(rb'HTTP/1\.[01] (\d{3})', out)
    return (int(m.group(1)) if m else None), out


def judge_message(st, body):
    """A message's answer is clean: 200 + a receipt (a rejection names its rule), or 400 +
    a CEB900. An error text if not."""
    if st is None:
        return 'no answer: %s' % body[:200]
    txt = body.decode('utf-8', 'replace')
    if st == 400:
        return None if 'CEB900Message' in txt and 'returnStatus' in txt else '400 without a CEB900: %s' % txt[:300]
    if st != 200:
        return 'HTTP %d: %s' % (st, txt[:300])
    s = status_of(txt)
    if s is None:
        return '200 without a returnStatus: %s' % txt[:300]
    if s not in ('2', '3') and not RULE_RE.search(info_of(txt)):
        return 'rejected (%s) without naming a rule: %r' % (s, info_of(txt)[:300])
    return None


def run_mix(srv, t, per_slot=None, rnd=None, workers=8):
    """Send the whole hostile mix; every answer judged. Returns (count, accepted field
    variants)."""
    rnd = rnd or random.Random(6)
    items = injected(per_slot) + hostile_xml(Order())
    reqs = request_mix(srv, rnd)
    bad = []
    accepted = []
    lock = threading.Lock()

    def one_msg(it):
        st, b = srv.post(it['code'], it['body'], timeout=60)
        err = judge_message(st, b)
        if it['kind'] == 'xml' and st == 200 and status_of(b.decode('utf-8', 'replace')) in ('2', '3'):
            err = 'hostile XML accepted: %s' % b[:200]
        if b'root:' in b:
            err = 'the answer leaks /etc/passwd'
        with lock:
            if err:
                bad.append('%s: %s' % (it['what'], err))
            elif it['kind'] == 'field' and st == 200 and status_of(b.decode('utf-8', 'replace')) in ('2', '3'):
                accepted.append(it)

    def one_req(r):
        what, fn, want = r
        try:
            st, b = fn(srv.port)
        except (OSError, http.client.HTTPException) as e:
            st, b = None, repr(e).encode()
        if st not in want:
            with lock:
                bad.append('%s: HTTP %s, want %s: %s' % (what, st, want, b[:200]))

    def safe(fn, x):
        try:
            fn(x)
        except Exception as e:  # a test bug must not hide the others
            with lock:
                bad.append('%s: exception %r' % (x.get('what') if isinstance(x, dict) else x[0], e))

    with ThreadPoolExecutor(workers) as ex:
        list(ex.map(lambda it: safe(one_msg, it), items))
        list(ex.map(lambda r: safe(one_req, r), reqs))
    n = len(items) + len(reqs)
    t.check(not bad, '%d hostile requests: each answered with the right status (a receipt naming the '
            'rule, 400 CEB900, 401, 403, 404, 405, 413, 415, or a closed connection for junk)' % n,
            '%d wrong' % len(bad), *bad[:25])
    return n, accepted


def stored_bodies(srv):
    if STORE == 'pg':
        rows = read_store(srv, "SELECT encode(body, 'hex') FROM msg")
    else:
        rows = read_store(srv, 'SELECT hex(body) FROM msg')
    return {str(r[0]).lower() for r in rows if r[0]}


def integrity(srv):
    """'ok' or what is wrong with the store."""
    if STORE == 'pg':
        try:
            ts.psql(srv.db, 'CREATE EXTENSION IF NOT EXISTS amcheck')
            out = ts.psql(srv.db, "SELECT bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c"
                          " ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree'"
                          " AND c.relnamespace = 'public'::regnamespace", '-At')
            return 'ok' if out is not None else 'amcheck failed'
        except Fatal as e:
            return str(e)
    path = srv.db[len('sqlite:'):]
    con = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    try:
        r = con.execute('PRAGMA integrity_check').fetchall()
        return 'ok' if r == [('ok',)] else str(r[:10])
    finally:
        con.close()


def fill(path, f=None):
    """Write zeros to `path` until the file system is full."""
    f = f or open(path, 'wb', buffering=0)
    try:
        while True:
            f.write(b'\0' * 4096)
    except OSError:
        pass
    finally:
        try:
            f.close()
        except OSError:
            pass


def resend_all(srv, msgs, within=30.0):
    """Send every message again until it is answered 200, for at most `within` seconds in
    all (then once each): {index: (status, answer)}."""
    deadline = time.time() + within
    out = {}
    for i, (k, x) in enumerate(msgs):
        while True:
            try:
                st, b = srv.post(SENDER[k], x, timeout=30)
            except (OSError, http.client.HTTPException) as e:
                st, b = None, repr(e).encode()
            if st == 200 or time.time() > deadline:
                break
            time.sleep(0.1)
        out[i] = (st, b)
    return out


def clears(srv, t, what):
    o = Order()
    try:
        srv.send_order(o)
    except Fatal as e:
        t.check(False, '%s: a normal order is answered' % what, str(e)[:300])
        return
    d = srv.wait_state(621, o.key, ('released',))
    t.check(d and d['state'] == 'released', '%s: a normal order still clears end to end' % what, brief(d))


# ---------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------

def r01_hostile(t):
    """hostile mix: 1,000+ malformed or hostile requests, the server stays up and correct"""
    with Server(t, 'hostile', args=['--http-timeout', str(MIX_TIMEOUT)]) as srv:
        t0 = time.time()
        n, accepted = run_mix(srv, t, per_slot=6)
        t.note('%d requests in %.1f s, %d field variants accepted' % (n, time.time() - t0, len(accepted)))
        t.check(n >= 1000, 'at least 1,000 hostile requests', n)
        t.check(alive(srv), 'after the mix: /health answers ok')
        clears(srv, t, 'after the mix')
        # what was accepted is stored byte for byte, and found by its key when the key was hit
        have = stored_bodies(srv)
        differ = [it['what'] for it in accepted if it['body'].hex() not in have]
        t.check(accepted and not differ, 'every accepted message with metacharacters is stored byte-identical',
                '%d of %d differ' % (len(differ), len(accepted)), *differ[:10])
        keyed = [it for it in accepted if it['doc'] == 311 and it['field'] == 'orderNo']
        wrong = []
        for it in keyed:
            key = '%s|%s' % (EBP, it['payload'])
            d = srv.decl(EBP, 311, key)
            if not d or d.get('key') != key:
                wrong.append('%r: %s' % (it['payload'], brief(d)))
        t.check(not wrong, 'orders accepted with metacharacters in orderNo are read back by that key '
                '(%d)' % len(keyed), *wrong[:10])
        st, stats = srv.get(REG, '/api/v1/stats')
        t.check(st == 200 and stats.get('documents', 0) >= len(accepted), '/stats still answers', st, stats)
    t.check(integrity(srv) == 'ok', 'the store passes its integrity check', integrity(srv))


def r02_slow_clients(t):
    """slow clients: stalled headers and bodies are timed out, others are served meanwhile"""
    with Server(t, 'slow', args=['--http-timeout', str(SLOW_TIMEOUT)]) as srv:
        tok = srv.tokens[EBP].encode()
        socks = []
        kinds = [b'GET /api/v1/receipts HTTP/1.1\r\nHost: x\r\nAuthori',                     # headers stop
                 b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ' + tok +
                 b'\r\nContent-Type: application/xml\r\nContent-Length: 5000\r\n\r\n<ceb:',  # body stops
                 b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ' + tok +
                 b'\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n<ceb:CEB311Mess',            # chunk stops
                 b'']                                                                        # says nothing
        for i in range(120):
            s = socket.create_connection(('127.0.0.1', srv.port), timeout=10)
            s.sendall(kinds[i % len(kinds)])
            socks.append(s)
        t0 = time.time()
        # meanwhile: real work, in time
        o = Order()
        lat = []
        for k, x in o.docs().items():
            a = time.time()
            st, b = srv.post(SENDER[k], x, timeout=10)
            lat.append(time.time() - a)
            t.check(st == 200, 'CEB%d answered while 120 slow clients hang' % k, st)
        t.check(max(lat) < SLOW_TIMEOUT - 0.5, 'and promptly (each sooner than the slow ones time out)',
                ['%.2f' % x for x in lat])
        # a dribbling client: one header byte every 0.3 s keeps its connection, but blocks nobody
        drib = socket.create_connection(('127.0.0.1', srv.port), timeout=10)
        stop = threading.Event()

        def dribble():
            for c in b'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ' + b'a' * 200:
                if stop.is_set():
                    return
                try:
                    drib.send(bytes([c]))
                except OSError:
                    return
                time.sleep(0.3)
        th = threading.Thread(target=dribble)
        th.start()
        ok = sum(1 for _ in range(20) if alive(srv))
        t.check(ok == 20, 'health answers 20 of 20 while a client dribbles its headers', ok)
        # the stalled ones are closed after the timeout, not kept
        time.sleep(max(0, SLOW_TIMEOUT + 2.0 - (time.time() - t0)))
        closed, answered = 0, 0
        for s in socks:
            s.settimeout(5)
            try:
                b = s.recv(4096)
                if b == b'' or b.startswith(b'HTTP/1.1 4') or b.startswith(b'HTTP/1.0 4'):
                    closed += 1
                if b.startswith(b'HTTP/'):
                    answered += 1
            except ConnectionResetError:
                closed += 1
            except OSError:
                pass
            s.close()
        t.check(closed == len(socks), 'all 120 stalled connections were closed by the server after the '
                'idle timeout', '%d of %d closed' % (closed, len(socks)))
        stop.set()
        th.join()
        drib.close()
        t.check(alive(srv), '/health ok afterwards')
        d = srv.wait_state(621, o.key, ('released',))
        t.check(d and d['state'] == 'released', 'the order sent among slow clients is released', brief(d))
        # many stalled connections at once do not exhaust the server
        many = []
        try:
            for i in range(1000):
                s = socket.create_connection(('127.0.0.1', srv.port), timeout=10)
                s.sendall(b'POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab')
                many.append(s)
        except OSError as e:
            t.note('opened %d stalled connections (%s)' % (len(many), e))
        t.check(alive(srv), '/health ok with %d stalled connections open' % len(many))
        for s in many:
            s.close()


def r03_disk_full(t):
    """disk full: the SQLite store on a small tmpfs filled under load: 503, no corruption, resumes"""
    if STORE == 'pg':
        raise Skip('the PostgreSQL store is not a file of ours (its server restart is r06)')
    if not IS_ROOT:
        raise Skip('mounting a tmpfs needs root')
    srv = Server(t, 'diskfull')
    mnt = os.path.join(srv.dir, 'small')
    os.mkdir(mnt)
    r = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mnt], capture_output=True, text=True)
    if r.returncode:
        raise Skip('cannot mount a tmpfs: %s' % r.stderr.strip())
    try:
        disk_full_cycle(t, srv, mnt)
    finally:
        srv.stop()
        subprocess.run(['umount', '-l', mnt])


def disk_full_cycle(t, srv, mnt, rounds=1):
    old = srv.db[len('sqlite:'):]
    new = os.path.join(mnt, 'cbec.db')
    if not os.path.exists(new):
        with open(old, 'rb') as f, open(new, 'wb') as g:
            g.write(f.read())
        srv.db = 'sqlite:' + new
    srv.start()
    filler = os.path.join(mnt, 'filler')
    for rnd in range(rounds):
        st = os.statvfs(mnt)
        if st.f_bavail * st.f_frsize < (6 << 20):
            raise Fatal('round %d: the tmpfs has less than 6 MB free before it is filled: make it larger' % rnd)
        orders = [Order() for _ in range(150)]
        msgs = [(k, x) for o in orders for k, x in o.docs().items()]
        acked, refused, other = {}, [], []
        lock = threading.Lock()
        it = iter(range(len(msgs)))

        def sender():
            while True:
                with lock:
                    i = next(it, None)
                if i is None:
                    return
                k, x = msgs[i]
                try:
                    st, b = srv.post(SENDER[k], x, timeout=60)
                except (OSError, http.client.HTTPException) as e:
                    with lock:
                        other.append((i, repr(e)))
                    continue
                with lock:
                    if st == 200:
                        acked[i] = b
                    elif st == 503:
                        refused.append(i)
                    else:
                        other.append((i, st, b[:200]))

        f = open(filler, 'wb', buffering=0)
        threads = [threading.Thread(target=sender) for _ in range(4)]
        for th in threads:
            th.start()
        time.sleep(0.3)
        # fill what is left of the disk while the messages arrive
        fill(filler, f)
        for th in threads:
            th.join(120)
        t.check(not other, 'round %d: a full disk gives 200 or 503, nothing else, no dropped connection' % rnd,
                *other[:5])
        t.check(refused, 'round %d: with the disk full senders are told 503 (not stored)' % rnd,
                '%d acked, %d refused' % (len(acked), len(refused)))
        t.check(srv.proc.poll() is None and alive(srv), 'round %d: the server is alive on a full disk' % rnd)
        st, _ = srv.get(AGENT, '/api/v1/receipts?after=0&limit=5')
        t.check(st == 200, 'round %d: reads still work on a full disk' % rnd, st)
        os.unlink(filler)
        # resend: every acknowledged message gets its first answer, the rest go through
        answers = resend_all(srv, msgs)
        lost = [(i, answers[i][0]) for i in acked if answers[i] != (200, acked[i])]
        later = sum(1 for i in answers if i not in acked and answers[i][0] == 200)
        t.check(not lost, 'round %d: every acknowledged message is there (same answer again)' % rnd, *lost[:5])
        t.check(later == len(msgs) - len(acked), 'round %d: after space is freed the refused messages are '
                'accepted' % rnd, later, len(msgs) - len(acked))
        last = srv.wait_lists([o.key for o in orders], ('released',), timeout=60)
        stuck = [brief(d) for d in last.values() if not d or d['state'] != 'released']
        t.check(not stuck, 'round %d: all %d lists released' % (rnd, len(orders)), *stuck[:5])
        t.note('round %d: %d acknowledged, %d refused with 503 while full; %s' % (rnd, len(acked), len(refused),
               subprocess.run(['du', '-sh', mnt], capture_output=True, text=True).stdout.strip()))
    srv.stop()
    t.check(integrity(srv) == 'ok', 'PRAGMA integrity_check ok after the full disk', integrity(srv))


def r04_exchange_full(t):
    """exchange folder on a full disk: receipts wait, nothing half-written, all exported after"""
    if not IS_ROOT:
        raise Skip('mounting a tmpfs needs root')
    srv = Server(t, 'xfull', exchange=True)
    os.makedirs(srv.exchange)
    r = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', srv.exchange], capture_output=True, text=True)
    if r.returncode:
        raise Skip('cannot mount a tmpfs: %s' % r.stderr.strip())
    try:
        srv.start()
        filler = os.path.join(srv.exchange, 'filler')
        fill(filler)
        orders = [Order() for _ in range(10)]
        for o in orders:
            srv.send_order(o)
        last = srv.wait_lists([o.key for o in orders], ('released',))
        t.check(all(d and d['state'] == 'released' for d in last.values()),
                'HTTP traffic clears while the exchange folder is full')
        time.sleep(1)
        t.check(srv.proc.poll() is None and alive(srv), 'the server is alive with its exchange folder full')
        def exported():
            out = os.path.join(srv.exchange, 'out')
            return sorted(int(n.split('-')[0]) for c in os.listdir(out)
                          for n in os.listdir(os.path.join(out, c)) if n[0].isdigit())

        want = sorted(r['seq'] for r in srv.receipts(REG))
        while_full = exported()
        t.check(len(while_full) < len(want), 'while the folder is full receipts wait (%d of %d exported)'
                % (len(while_full), len(want)))
        os.unlink(filler)
        deadline = time.time() + 20
        files = []
        while time.time() < deadline:
            files = exported()
            if files == want:
                break
            time.sleep(0.2)
        t.check(files == want, 'after space is freed every receipt is exported once', len(files), len(want))
        tmp = [n for _, _, fs in os.walk(srv.exchange) for n in fs if n.endswith('.tmp')]
        t.check(not tmp, 'no half-written file is left behind', tmp[:5])
    finally:
        srv.stop()
        subprocess.run(['umount', '-l', srv.exchange])


def r07_exchange_hostile(t):
    """exchange folder: FIFO, link, folder and hostile file names: refused or taken, never stuck"""
    srv = Server(t, 'xhostile', exchange=True)
    with srv:
        x = srv.exchange
        inbox = os.path.join(x, 'in')
        os.mkfifo(os.path.join(inbox, '0-fifo.xml'))
        os.symlink('/etc/passwd', os.path.join(inbox, '0-link.xml'))
        os.mkdir(os.path.join(inbox, '0-dir.xml'))
        o = Order()
        docs = o.docs()
        names = ["1'; DROP TABLE msg;--.xml", '2 %s%n%x "q".xml', '3-名字\\x00.xml', '4\nnew line.xml']
        for name, k in zip(names, (311, 411, 511, 621)):
            tmp = os.path.join(inbox, '.part')
            with open(tmp, 'w', encoding='utf-8') as f:
                f.write(docs[k])
            os.rename(tmp, os.path.join(inbox, name))
        d = srv.wait_state(621, o.key, ('released',))
        t.check(d and d['state'] == 'released', 'files with hostile names are taken: the order is released',
                brief(d))
        deadline = time.time() + 10
        special = ['0-fifo.xml', '0-link.xml', '0-dir.xml']
        while time.time() < deadline and not all(os.path.lexists(os.path.join(x, 'failed', n)) for n in special):
            time.sleep(0.1)
        failed = os.listdir(os.path.join(x, 'failed'))
        t.check(all(n in failed and n + '.reason.txt' in failed for n in special),
                'a FIFO, a symbolic link and a folder are moved to failed/ with a reason', sorted(failed))
        processed = os.listdir(os.path.join(x, 'processed'))
        t.check(sorted(processed) == sorted(names), 'the hostile names are in processed/ as they were',
                sorted(processed))
        left = [n for n in os.listdir(inbox) if not n.startswith('.')]
        t.check(not left, 'in/ is empty', left)
        reason = os.path.join(x, 'failed', '0-link.xml.reason.txt')
        t.check(os.path.exists(reason) and 'root:' not in open(reason, errors='replace').read(),
                'nothing of the link target is read or written back')
    # the stop (SIGTERM, exit 0 within a minute) is checked by the Server itself


def r05_read_only(t):
    """read-only store: no start, a clear message; read-only while running: 503, reads go on"""
    if STORE == 'pg':
        raise Skip('a read-only mount concerns the SQLite file store')
    if not IS_ROOT:
        raise Skip('mounting needs root')
    srv = Server(t, 'ro')
    mnt = os.path.join(srv.dir, 'ro')
    os.mkdir(mnt)
    r = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt], capture_output=True, text=True)
    if r.returncode:
        raise Skip('cannot mount a tmpfs: %s' % r.stderr.strip())
    try:
        # a store with data, then the mount made read-only under it
        srv.db = 'sqlite:' + os.path.join(mnt, 'cbec.db')
        for code in list(srv.tokens):
            role = 'regulator' if code == REG else 'enterprise'
            out = subprocess.run([ts.CBEC, 'account', 'add', '--db', srv.db, '--code', code, '--role', role],
                                 capture_output=True, text=True, timeout=60)
            srv.tokens[code] = out.stdout.strip()
        srv.start()
        o = Order()
        srv.send_order(o)
        srv.wait_state(621, o.key, ('released',))
        srv.stop()
        subprocess.run(['mount', '-o', 'remount,ro', mnt], check=True)
        r = subprocess.run([ts.CBEC, 'serve', '--db', srv.db, '--listen', '127.0.0.1:0'],
                           capture_output=True, text=True, timeout=60, cwd=srv.dir)
        t.check(r.returncode != 0, 'cbec serve on a read-only store exits non-zero', r.returncode)
        t.check(re.search(r'read-only|readonly', r.stderr, re.I) and srv.db[7:] in r.stderr,
                'and says the store is read-only, naming it', r.stderr.strip()[:400])
        t.check(not any(m in r.stderr for m in ts.SANITIZER_MARKS), 'no sanitizer report at that exit',
                r.stderr[-2000:])
        r = subprocess.run([ts.CBEC, 'account', 'add', '--db', srv.db, '--code', 'NEWCODE001'],
                           capture_output=True, text=True, timeout=60)
        t.check(r.returncode != 0 and re.search(r'read-only|readonly', r.stderr, re.I),
                'cbec account add on a read-only store fails clearly', r.returncode, r.stderr.strip()[:300])
        subprocess.run(['mount', '-o', 'remount,rw', mnt], check=True)
    finally:
        subprocess.run(['umount', '-l', mnt])
    t.check(True, 'startup on a read-only mount checked')
    running_read_only(t)


def running_read_only(t):
    """The store's file system turns read-only under a running server (ext4 on a loop device
    with errors=remount-ro, the kernel's trigger_fs_error: what a failing disk does)."""
    srv = Server(t, 'ro-live')
    img = os.path.join(srv.dir, 'fs.img')
    mnt = os.path.join(srv.dir, 'ext4')
    os.mkdir(mnt)
    with open(img, 'wb') as f:
        f.truncate(48 << 20)
    r = subprocess.run(['mkfs.ext4', '-q', '-F', img], capture_output=True, text=True)
    if r.returncode:
        t.check(False, 'mkfs.ext4 for the live read-only test', r.stderr)
        return
    r = subprocess.run(['mount', '-o', 'loop,errors=remount-ro', img, mnt], capture_output=True, text=True)
    if r.returncode:
        t.check(False, 'mount a loop ext4 for the live read-only test', r.stderr)
        return
    try:
        dev = os.path.basename(subprocess.run(['findmnt', '-n', '-o', 'SOURCE', mnt], capture_output=True,
                                              text=True).stdout.strip())
        trigger = '/sys/fs/ext4/%s/trigger_fs_error' % dev
        if not os.path.exists(trigger):
            t.check(False, 'the kernel offers %s' % trigger)
            return
        new = os.path.join(mnt, 'cbec.db')
        with open(srv.db[7:], 'rb') as f, open(new, 'wb') as g:
            g.write(f.read())
        srv.db = 'sqlite:' + new
        # the audit log on another volume: this scenario is the store's disk failing (the
        # log on a full disk is r03's)
        srv.args += ['--audit', os.path.join(srv.dir, 'audit.log')]
        srv.start()
        before = Order()
        srv.send_order(before)
        d0 = srv.wait_state(621, before.key, ('released',))
        t.check(d0 and d0['state'] == 'released', 'before: an order clears on the ext4 store', brief(d0))
        # the feed shows what is on disk: wait until the release is (the flush follows the commit)
        deadline = time.time() + 10
        while time.time() < deadline:
            st, j = srv.get(AGENT, '/api/v1/receipts?after=0')
            if st == 200 and len(j['receipts']) >= 4:
                break
            time.sleep(0.05)
        with open(trigger, 'w') as f:
            f.write('cbec reliability test\n')
        o = Order()
        sts = [srv.post(SENDER[k], x)[0] for k, x in o.docs().items()]
        t.check(all(s == 503 for s in sts), 'on a read-only store every message is answered 503 (not stored)', sts)
        t.check(srv.proc.poll() is None and alive(srv), 'the server is alive on a read-only store')
        d = srv.decl(AGENT, 621, before.key)
        t.check(d and d['state'] == 'released' and d['receipts'] == d0['receipts'],
                'reading goes on: the earlier list is read as it was', brief(d))
        st, j = srv.get(AGENT, '/api/v1/receipts?after=0')
        t.check(st == 200 and len(j['receipts']) >= 4, 'reading goes on: receipts', st)
        srv.stop()
        subprocess.run(['umount', mnt])
        r = subprocess.run(['e2fsck', '-fy', img], capture_output=True, text=True)
        subprocess.run(['mount', '-o', 'loop', img, mnt], check=True)
        t.check(integrity(srv) == 'ok', 'the store is intact after the file system went read-only',
                integrity(srv))
        srv.start()
        again = Order()
        srv.send_order(again)
        d = srv.wait_state(621, again.key, ('released',))
        t.check(d and d['state'] == 'released', 'once writable again (fsck, remount) orders clear', brief(d))
        srv.stop()
    finally:
        if srv.proc:
            srv.kill9()
        subprocess.run(['umount', '-l', mnt])


def r06_pg_restart(t):
    """PostgreSQL restarted under load: 503 while down, reconnects by itself, nothing lost"""
    if STORE != 'pg':
        raise Skip('needs the PostgreSQL store (test_reliability_pg)')
    pgdir = os.environ.get('CBEC_TEST_PG_DIR')
    if not pgdir:
        raise Fatal('CBEC_TEST_PG_DIR is not set (run through tests/with_pg.sh)')
    pg_sh = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'pg.sh')
    with Server(t, 'pgrestart') as srv:
        orders = [Order() for _ in range(120)]
        msgs = [(k, x) for o in orders for k, x in o.docs().items()]
        acked, other = {}, []
        codes = {}
        lock = threading.Lock()
        it = iter(range(len(msgs)))

        def sender():
            while True:
                with lock:
                    i = next(it, None)
                if i is None:
                    return
                k, x = msgs[i]
                try:
                    st, b = srv.post(SENDER[k], x, timeout=60)
                except (OSError, http.client.HTTPException) as e:
                    st, b = None, repr(e).encode()
                with lock:
                    codes[st] = codes.get(st, 0) + 1
                    if st == 200:
                        acked[i] = b
                    elif st != 503:
                        other.append((i, st, b[:200]))
                time.sleep(0.01)

        threads = [threading.Thread(target=sender) for _ in range(4)]
        for th in threads:
            th.start()
        time.sleep(1.0)
        r = subprocess.run([pg_sh, 'pause', pgdir], capture_output=True, text=True)
        t.check(r.returncode == 0, 'PostgreSQL stopped', r.stderr)
        time.sleep(1.5)
        down = [srv.post(SENDER[k], x)[0] for k, x in Order().docs().items()]
        st_r, _ = srv.get(AGENT, '/api/v1/receipts?after=0')
        r = subprocess.run([pg_sh, 'resume', pgdir], capture_output=True, text=True)
        t.check(r.returncode == 0, 'PostgreSQL started again', r.stderr)
        for th in threads:
            th.join(120)
        t.check(all(s == 503 for s in down), 'while PostgreSQL is down messages are answered 503', down)
        t.check(st_r == 503, 'while PostgreSQL is down reads are answered 503', st_r)
        t.check(not other, 'only 200 or 503 through the restart', codes, *other[:5])
        t.check(srv.proc.poll() is None and alive(srv), 'cbec stayed up')
        # it reconnects by itself: everything goes through again without restarting cbec
        answers = resend_all(srv, msgs)
        failed = [(i, a[0]) for i, a in answers.items() if a[0] != 200]
        lost = [i for i in acked if answers[i][0] == 200 and answers[i][1] != acked[i]]
        t.check(not failed, 'after PostgreSQL is back every message is accepted (no cbec restart)',
                *failed[:5])
        t.check(not lost, 'every message acknowledged before or during the restart is there (same answer)',
                *lost[:5])
        last = srv.wait_lists([o.key for o in orders], ('released',), timeout=60)
        stuck = [brief(d) for d in last.values() if not d or d['state'] != 'released']
        t.check(not stuck, 'all %d lists released after the restart' % len(orders), *stuck[:5])
        t.note('answers during the run: %s' % codes)


SCENARIOS = [r01_hostile, r02_slow_clients, r03_disk_full, r04_exchange_full, r05_read_only,
             r06_pg_restart, r07_exchange_hostile]


# ---------------------------------------------------------------------------------------
# The long form (make soak)
# ---------------------------------------------------------------------------------------

def soak_hostile(t, rnd):
    """the whole hostile mix (every field x every payload) on one server, then checks"""
    with Server(t, 'soak-hostile', args=['--http-timeout', str(MIX_TIMEOUT)]) as srv:
        n, accepted = run_mix(srv, t, per_slot=None, rnd=rnd)
        t.note('%d hostile requests' % n)
        t.check(alive(srv), 'after the mix: /health answers ok')
        clears(srv, t, 'after the mix')
        have = stored_bodies(srv)
        t.check(all(it['body'].hex() in have for it in accepted), 'accepted messages stored byte-identical')
    t.check(integrity(srv) == 'ok', 'store integrity', integrity(srv))


def soak_crash(t, rnd):
    """kill -9 under load, restart, resend: nothing acknowledged lost, nothing decided twice"""
    ts.crash(t, rnd.choice((100, 200, 300)), [] if rnd.random() < 0.5 else ['--customs', 'sim:accept=200,release=200'])


def soak_disk_full(t, rnd):
    """disk full: the store's tmpfs filled under load, three times"""
    if STORE == 'pg' or not IS_ROOT:
        raise Skip('SQLite store and root only')
    srv = Server(t, 'soak-diskfull')
    mnt = os.path.join(srv.dir, 'small')
    os.mkdir(mnt)
    # room for three rounds of 150 orders (about 4 MB of store each) besides the filler
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=%dm' % rnd.choice((40, 48, 56)), 'tmpfs', mnt], check=True)
    try:
        disk_full_cycle(t, srv, mnt, rounds=3)
    finally:
        srv.stop()
        subprocess.run(['umount', '-l', mnt])


SOAK = [('hostile mix', soak_hostile), ('kill -9 cycle', soak_crash), ('disk full', soak_disk_full),
        ('slow clients', lambda t, rnd: r02_slow_clients(t)),
        ('PostgreSQL restart', lambda t, rnd: r06_pg_restart(t)),
        ('exchange full', lambda t, rnd: r04_exchange_full(t)),
        ('exchange hostile', lambda t, rnd: r07_exchange_hostile(t)),
        ('read-only store', lambda t, rnd: r05_read_only(t))]


def soak(minutes):
    """Cycles of the long form until `minutes` are up; a summary; 1 on any failure."""
    rnd = random.Random(int(os.environ.get('SOAK_SEED', time.time())))
    deadline = time.time() + minutes * 60
    runs, fails, skipped = {}, [], set()
    n = 0
    print('# soak: %.1f minutes on the %s store' % (minutes, STORE))
    while time.time() < deadline:
        name, fn = SOAK[n % len(SOAK)]
        n += 1
        if name in skipped:
            continue
        t = ts.T(name)
        start = time.time()
        try:
            fn(t, rnd)
        except Skip:
            skipped.add(name)
            continue
        except Fatal as e:
            t.fails.append(('could not go on', str(e).splitlines()[:20]))
        except Exception:
            import traceback
            t.fails.append(('exception in the test', traceback.format_exc().splitlines()))
        runs[name] = runs.get(name, 0) + 1
        status = 'FAILED' if t.fails else 'ok'
        print('# cycle %d: %s: %s (%d checks, %.1f s)%s' % (n, name, status, t.asserts, time.time() - start,
                                                           ''.join('; ' + x for x in t.notes)))
        for what, diag in t.fails:
            fails.append('%s #%d: %s' % (name, runs[name], what))
            print('#   FAILED: %s' % what)
            for d in diag[:10]:
                print('#     %s' % d)
        sys.stdout.flush()
        for d in list(ts.DIRS):
            import shutil
            shutil.rmtree(d, ignore_errors=True)
            ts.DIRS.remove(d)
    print('soak summary (%s store): %s; %d failure%s' % (
        STORE, ', '.join('%s x%d' % kv for kv in runs.items()) or 'nothing ran',
        len(fails), '' if len(fails) == 1 else 's'))
    for f in fails:
        print('  ' + f)
    return 1 if fails or not runs else 0


# ---------------------------------------------------------------------------------------
# Runner: TAP like test_server.py, with SKIP
# ---------------------------------------------------------------------------------------

def run(scenarios):
    n = 0
    t0 = time.time()
    failed = 0
    for fn in scenarios:
        n += 1
        name = fn.__doc__.strip().splitlines()[0]
        t = ts.T(name)
        start = time.time()
        skip = None
        try:
            fn(t)
        except Skip as e:
            skip = str(e)
        except Fatal as e:
            t.fails.append(('could not go on', str(e).splitlines()[:40]))
        except Exception:
            import traceback
            t.fails.append(('exception in the test', traceback.format_exc().splitlines()))
        if skip:
            print('ok %d - %s # SKIP %s' % (n, name, skip))
            continue
        failed += bool(t.fails)
        print('%s %d - %s' % ('not ok' if t.fails else 'ok', n, name))
        for what, diag in t.fails:
            print('# FAILED: %s' % what)
            for d in diag:
                for line in str(d).splitlines():
                    print('#   %s' % line)
        for note in t.notes:
            print('# %s' % note)
        print('# %d checks, %.1f s' % (t.asserts, time.time() - start))
        sys.stdout.flush()
    print('1..%d' % n)
    print('# total %.1f s' % (time.time() - t0))
    return failed


def main():
    if not ts.CBEC or not os.access(ts.CBEC, os.X_OK):
        print('1..0 # SKIP CBEC_BIN is not set to the cbec program')
        return 0
    try:
        ts.S = ts.Samples()
    except (OSError, ValueError, AssertionError) as e:
        print('1..0 # SKIP the shared samples cannot be read (%s): set CBEC_SHARED' % e)
        return 0
    os.environ.setdefault('ASAN_OPTIONS', 'detect_leaks=1:abort_on_error=1')
    os.environ.setdefault('UBSAN_OPTIONS', 'halt_on_error=1:print_stacktrace=1')
    args = sys.argv[1:]
    try:
        if args[:1] == ['--soak']:
            return soak(float(args[1]) if len(args) > 1 else float(os.environ.get('SOAK_MINUTES', 10)))
        chosen = [s for s in SCENARIOS if not args or any(s.__name__.startswith(x) for x in args)]
        run(chosen)
    finally:
        if os.environ.get('CBEC_TEST_KEEP') == '1':
            print('# kept: ' + ' '.join(ts.DIRS))
        else:
            import shutil
            for d in ts.DIRS:
                shutil.rmtree(d, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
