#!/usr/bin/env python3
"""Protocol-level fuzzer for localddb: drives a live server with mutated DynamoDB requests.

Every request starts as a valid request for one of the operations the server serves (see
OPERATIONS), then goes through one mutation family: either a structural mutation of its JSON
body (JSON_FAMILIES: wrong types, weird numbers, deep nesting, invalid UTF-8, duplicate keys,
mutated expressions, byte flips, ...) or a mutation of the HTTP exchange that carries it
(TRANSPORT_FAMILIES: bad headers, Content-Length lies, chunked bodies, pipelining, bad request
lines, ...). A few slowloris connections run alongside. Every answer is checked:

  * the connection answers (or closes cleanly) within --timeout seconds, else it is a hang;
  * a 200 is a JSON object, a 4xx is DynamoDB's error JSON ({"__type": "...#...Exception",
    "message": ...}) with a correct x-amz-crc32 and x-amzn-RequestId; a plain-text
    "bad request: ..." 400 from the HTTP layer is accepted only for transport mutations;
  * any 5xx is an internal error (the inputs are the client's fault, never the server's);
  * with --binary, the server process must stay alive: if it dies, the last requests of every
    worker are written out, replayed one by one against a fresh server to find the culprit,
    and saved as OUT/repro-crash-N.bin.

Usage:
  protocol_fuzz.py --binary build/localddb --seconds 180            # starts its own servers
  protocol_fuzz.py --endpoint http://127.0.0.1:8000 --requests 100000
  protocol_fuzz.py --binary build/localddb --requests 1000000 --workers 2 --keep-going
  protocol_fuzz.py --binary build/localddb --replay OUT/repro-crash-1.bin   # replay raw bytes

With --binary and the default --auth both, two servers run: one with --auth none and one with
--auth sigv4 (every request is then really signed, so the signature checks are fuzzed too).
The last line is the summary `N requests, C crashes, H hangs, B bad answers, I internal errors`;
the exit status is non-zero if any of C, H, B, I is. Standard library only.
"""

import argparse
import base64
import collections
import errno
import faulthandler
import hashlib
import hmac
import json
import multiprocessing
import os
import queue
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib

DYNAMO = "DynamoDB_20120810."
STREAMS = "DynamoDBStreams_20120810."
REGION = "us-east-1"
SIGV4_KEY = ("fuzzakid", "fuzzsecret")  # credentials given to the --auth sigv4 server we start
JSON_CT = b"application/x-amz-json-1.0"
# Coral errors that DynamoDB sends without a "message" member.
NO_MESSAGE_TYPES = {"UnknownOperationException", "SerializationException", "InternalServerError",
                    "InternalFailure"}
RING_SIZE = 50  # requests remembered per worker, written out when the server dies


# --------------------------------------------------------------------------------------------
# JSON encoding with room for things json.dumps cannot express
# --------------------------------------------------------------------------------------------

class Raw:
    """A pre-encoded JSON fragment spliced in verbatim: may be invalid JSON or invalid UTF-8."""
    __slots__ = ("data",)

    def __init__(self, data):
        self.data = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")


class Pairs:
    """A JSON object whose members may repeat (duplicate keys), kept in order."""
    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items


def encode(obj):
    """Serializes obj (dicts, lists, scalars, Raw, Pairs) to bytes, compactly. Raw and Pairs
    become placeholder strings through json's default hook (no Python-level walk of the tree),
    which are then replaced by their bytes."""
    raws = []

    def placeholder(o):
        if isinstance(o, Raw):
            raws.append(o.data)
        elif isinstance(o, Pairs):
            raws.append(b"{" + b",".join(encode(k) + b":" + encode(v) for k, v in o.items) + b"}")
        else:
            raise TypeError("cannot encode %r" % type(o))
        return "@@RAW%d@@" % (len(raws) - 1)

    out = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=placeholder)
    out = out.encode("utf-8", "surrogatepass")
    for i in range(len(raws) - 1, -1, -1):  # highest first: "@@RAW1@@" is not a prefix of "@@RAW10@@"
        out = out.replace(b'"@@RAW%d@@"' % i, raws[i])
    return out


def json_string_bytes(s):
    """The JSON string literal for s, without quotes, as UTF-8 bytes."""
    return json.dumps(s, ensure_ascii=False)[1:-1].encode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------------------------
# SigV4 signing (the server checks it with --auth sigv4; with --auth none only its presence)
# --------------------------------------------------------------------------------------------

def _uri_decode(data):
    """Lenient percent-decoding of a path (bad escapes are kept as they are)."""
    out = bytearray()
    i = 0
    while i < len(data):
        c = data[i]
        if c == 0x25 and re.match(rb"[0-9A-Fa-f]{2}", data[i + 1:i + 3]):
            out.append(int(data[i + 1:i + 3], 16))
            i += 3
            continue
        out.append(0x20 if c == 0x2B else c)
        i += 1
    return bytes(out)


def _uri_encode(data, keep_slash):
    out = bytearray()
    for c in data:
        if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122 or c in b"-_.~") or (keep_slash and c == 0x2F):
            out.append(c)
        else:
            out += b"%%%02X" % c
    return bytes(out)


class Signer:
    def __init__(self, akid, secret, region=REGION, service="dynamodb"):
        self.akid, self.secret, self.region, self.service = akid, secret, region, service
        self._keys = {}

    def _key(self, date):
        key = self._keys.get(date)
        if key is None:
            key = ("AWS4" + self.secret).encode()
            for part in (date, self.region, self.service, "aws4_request"):
                key = hmac.new(key, part.encode(), hashlib.sha256).digest()
            self._keys[date] = key
        return key

    def authorization(self, method, target, headers, body, amz_date):
        """The Authorization value for a request; headers are (name, value) byte pairs."""
        path, _, query = target.partition(b"?")
        canon = [method, _uri_encode(_uri_decode(path or b"/"), True), b""]
        if query:
            params = []
            for p in query.split(b"&"):
                name, _, value = p.partition(b"=")
                if _uri_decode(name) != b"X-Amz-Signature":
                    params.append((_uri_encode(_uri_decode(name), False), _uri_encode(_uri_decode(value), False)))
            canon[2] = b"&".join(n + b"=" + v for n, v in sorted(params))
        lowered = [(n.lower(), v) for n, v in headers]
        signed = sorted({n for n, _ in lowered if n in (b"host", b"x-amz-date", b"x-amz-target", b"content-type")})
        for name in signed:
            values = [b" ".join(v.split()) for n, v in lowered if n == name]
            canon.append(name + b":" + b",".join(values))
        canon += [b"", b";".join(signed), hashlib.sha256(body).hexdigest().encode()]
        date = amz_date[:8]
        scope = f"{date}/{self.region}/{self.service}/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(b"\n".join(canon)).hexdigest()])
        sig = hmac.new(self._key(date), to_sign.encode(), hashlib.sha256).hexdigest()
        return (f"AWS4-HMAC-SHA256 Credential={self.akid}/{scope}, SignedHeaders="
                f"{';'.join(s.decode() for s in signed)}, Signature={sig}").encode()


def amz_date_now():
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


# --------------------------------------------------------------------------------------------
# Raw HTTP requests and answers
# --------------------------------------------------------------------------------------------

class Spec:
    """One HTTP request under construction; transport mutations edit it before render()."""

    def __init__(self, host, target, body):
        self.method = b"POST"
        self.path = b"/"
        self.version = b"HTTP/1.1"
        self.headers = [(b"Host", host), (b"Content-Type", JSON_CT)]
        if target is not None:
            self.headers.append((b"X-Amz-Target", target.encode()))
        self.body = body            # what is signed, and sent unless raw_body is set
        self.raw_body = None        # bytes sent instead of body (chunked encodings, lies)
        self.content_length = None  # None: the body's length; False: no header; bytes: this value
        self.auth = "sign"          # "sign", "omit" or a literal Authorization value (bytes)
        self.amz_date = None        # None: now; False: no header; bytes: this value
        self.eol = b"\r\n"
        self.extra_head = b""       # bytes appended after the last header line (garbage)
        self.prefix = b""           # bytes sent before the request line
        self.override = None        # bytes sent instead of the whole rendered request (tx_partial)

    def header(self, name):
        name = name.lower()
        for n, v in self.headers:
            if n.lower() == name:
                return v
        return None

    def set(self, name, value):
        self.drop(name)
        self.headers.append((name, value))

    def drop(self, name):
        name = name.lower()
        self.headers = [(n, v) for n, v in self.headers if n.lower() != name]

    def render(self, signer):
        headers = list(self.headers)
        date = amz_date_now().encode() if self.amz_date is None else self.amz_date
        if date is not False:
            headers.append((b"X-Amz-Date", date))
        if self.auth == "sign":
            headers.append((b"Authorization", signer.authorization(self.method, self.path, headers, self.body,
                                                                   (date or b"20200101T000000Z").decode("latin-1"))))
        elif self.auth != "omit":
            headers.append((b"Authorization", self.auth))
        body = self.body if self.raw_body is None else self.raw_body
        if self.content_length is None:
            headers.append((b"Content-Length", str(len(body)).encode()))
        elif self.content_length is not False:
            headers.append((b"Content-Length", self.content_length))
        eol = self.eol
        head = [self.prefix + self.method + b" " + self.path + (b" " + self.version if self.version else b"")]
        head += [n + b": " + v for n, v in headers]
        return eol.join(head) + eol + self.extra_head + eol + body


class Answer:
    __slots__ = ("status", "headers", "body", "raw_head")

    def __init__(self, status, headers, body, raw_head):
        self.status, self.headers, self.body, self.raw_head = status, headers, body, raw_head

    def header(self, name):
        return self.headers.get(name)


class Hang(Exception):
    pass


class Malformed(Exception):
    """The server sent bytes that are not an HTTP/1.x answer."""


class Conn:
    """A raw client connection that can send arbitrary bytes and parse several answers."""

    def __init__(self, addr, timeout):
        self.sock = socket.create_connection(addr, timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.eof = False
        self.reset = False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data, half_close=False):
        """Sends data; False if the server stopped reading (it may well have answered already)."""
        try:
            self.sock.sendall(data)
            if half_close:
                self.sock.shutdown(socket.SHUT_WR)
            return True
        except socket.timeout:
            raise Hang("sending the request timed out")
        except OSError as e:  # EPIPE, ECONNRESET, ENOTCONN (shutdown after the server's reset)
            if e.errno in (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN):
                return False
            raise

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Hang("no answer")
        self.sock.settimeout(remaining)
        try:
            data = self.sock.recv(262144)
        except socket.timeout:
            raise Hang("no answer")
        except ConnectionResetError:
            self.reset = self.eof = True
            return False
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def read_answer(self, deadline, head_request=False):
        """The next answer, or None if the connection ended (cleanly or by reset) before one."""
        while b"\r\n\r\n" not in self.buf:
            if not self._fill(deadline):
                if self.buf:
                    raise Malformed("connection ended inside an answer's head: %r" % self.buf[:200])
                return None
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        m = re.match(rb"HTTP/1\.[01] (\d{3}) ", lines[0] + b" ")
        if not m:
            raise Malformed("bad status line %r" % lines[0][:200])
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep:
                raise Malformed("bad header line %r" % line[:200])
            headers[name.strip().lower().decode("latin-1")] = value.strip()
        length = headers.get("content-length")
        if head_request:
            length = b"0"
        if length is None:
            while not self.eof:
                self._fill(deadline)
            body, self.buf = self.buf[len(head) + 4:], b""
        else:
            n = int(length)
            while len(rest) < n:
                if not self._fill(deadline):
                    raise Malformed("connection ended inside an answer's body")
                rest = self.buf[len(head) + 4:]
            body, self.buf = rest[:n], rest[n:]
        return Answer(int(m.group(1)), headers, body, head)

    def drain(self, deadline):
        """Waits for the end of the connection; returns the bytes that came meanwhile."""
        while not self.eof:
            self._fill(deadline)
        extra, self.buf = self.buf, b""
        return extra


def _strict_constant(name):
    raise ValueError("non-JSON constant " + name)


def judge(answer, transport=False, method=b"POST"):
    """None if the answer is DynamoDB-shaped (or an accepted HTTP-layer answer), else
    ("internal" | "bad", description)."""
    status, body = answer.status, answer.body
    ctype = answer.header("content-type") or b""
    if status >= 500:
        return "internal", "%d %s" % (status, body[:300].decode("utf-8", "replace"))
    if ctype == b"text/plain":
        if transport and status == 400 and body.startswith(b"bad request: "):
            return None
        if transport and method != b"POST" and status == 200 and (
                body.startswith(b"healthy: dynamodb.") or method == b"HEAD"):
            return None
        return "bad", "plain-text %d answer %r" % (status, body[:200])
    if ctype != JSON_CT:
        return "bad", "%d answer with Content-Type %r" % (status, ctype[:100])
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        return "bad", "%d answer is not valid UTF-8 (byte %d of %d): %r" % (status, e.start, len(body),
                                                                           body[max(0, e.start - 80):e.start + 20])
    try:
        doc = json.loads(text, parse_constant=_strict_constant)
    except ValueError as e:
        return "bad", "%d answer is not JSON (%s): %r" % (status, e, body[:200])
    if not isinstance(doc, dict):
        return "bad", "%d answer is not a JSON object: %r" % (status, body[:200])
    crc = answer.header("x-amz-crc32")
    if crc is None or not crc.isdigit() or int(crc) != zlib.crc32(body):
        return "bad", "x-amz-crc32 %r does not match the body" % (crc,)
    if not answer.header("x-amzn-requestid"):
        return "bad", "no x-amzn-RequestId"
    if status == 200:
        return None
    # 431: a header over localddb's 16 KiB / 100-field limit (only transport mutations make one).
    if status not in (400, 413) and not (transport and status == 431):
        return "bad", "unexpected status %d: %r" % (status, body[:200])
    kind = doc.get("__type")
    if not isinstance(kind, str) or "#" not in kind or not kind.split("#", 1)[1]:
        return "bad", "%d answer without a proper __type: %r" % (status, body[:200])
    short = kind.split("#", 1)[1]
    if "message" in doc and not isinstance(doc["message"], str):
        return "bad", "non-string message: %r" % body[:200]
    if "message" not in doc and short not in NO_MESSAGE_TYPES:
        return "bad", "%s without a message" % short
    return None


# --------------------------------------------------------------------------------------------
# Valid requests, one generator per operation
# --------------------------------------------------------------------------------------------

# The tables the setup phase creates; mutated requests then hit real tables and items.
SETUP_TABLES = [
    {"name": "fz-hash", "keys": [("pk", "S")]},
    {"name": "fz-range", "keys": [("pk", "S"), ("sk", "N")]},
    {"name": "fz-index", "keys": [("pk", "S"), ("sk", "S")],
     "gsi": [("gsi1", [("g1", "S"), ("g2", "N")])], "lsi": [("lsi1", [("pk", "S"), ("l1", "N")])]},
    {"name": "fz-stream", "keys": [("id", "N")], "stream": "NEW_AND_OLD_IMAGES"},
    {"name": "fz-binary", "keys": [("bk", "B"), ("bs", "B")]},
]
INDEX_ATTRS = {"g1": "S", "g2": "N", "l1": "N"}
SCRATCH = ["fz-scratch-%d" % i for i in range(6)]  # CreateTable / DeleteTable / UpdateTable play here
EXTRA_ATTRS = ["a", "b", "c", "n", "s", "lst", "mp", "flag", "name", "size", "status", "data", "ttl"]
RESERVED = {"name", "size", "status", "data", "ttl"}  # reserved words: need #name substitution
STRINGS = ["x", "hello", "", "é", "中文", "😀", "a b", "k1", "z" * 50, "\u0000", "\t\n", "AND", ":v", "#n"]


def key_schema(keys):
    return [{"AttributeName": n, "KeyType": "HASH" if i == 0 else "RANGE"} for i, (n, _) in enumerate(keys)]


def key_value(rng, t, i=None):
    if i is None:
        i = rng.randrange(40)
    if t == "S":
        return {"S": "k%02d" % i}
    if t == "N":
        return {"N": str(i)}
    return {"B": base64.b64encode(bytes([i, 7])).decode()}


def rand_number(rng):
    return rng.choice([str(rng.randint(-1000, 1000)), "3.14", "-0.5", "1e10", "0", "12345678901234567890",
                       "1E-5", str(rng.random())])


def rand_av(rng, depth=0):
    t = rng.choice("SSNNBXOLMQRT" if depth < 3 else "SSNNBXOQRT")
    if t == "S":
        return {"S": rng.choice(STRINGS)}
    if t == "N":
        return {"N": rand_number(rng)}
    if t == "B":
        return {"B": base64.b64encode(os.urandom(rng.randrange(1, 12))).decode()}
    if t == "X":
        return {"BOOL": rng.random() < 0.5}
    if t == "O":
        return {"NULL": True}
    if t == "L":
        return {"L": [rand_av(rng, depth + 1) for _ in range(rng.randrange(4))]}
    if t == "M":
        return {"M": {rng.choice(EXTRA_ATTRS): rand_av(rng, depth + 1) for _ in range(rng.randrange(4))}}
    if t == "Q":
        return {"SS": sorted({rng.choice(STRINGS[:9]) + str(i) for i in range(rng.randint(1, 4))})}
    if t == "R":
        return {"NS": sorted({str(rng.randint(-50, 50)) for _ in range(rng.randint(1, 4))})}
    return {"BS": sorted({base64.b64encode(bytes([i])).decode() for i in range(rng.randint(1, 3))})}


class Placeholders:
    """Allocates #names and :values for an expression."""

    def __init__(self):
        self.names, self.values = {}, {}

    def name(self, attr, rng):
        if attr not in RESERVED and rng.random() < 0.5:
            return attr
        key = "#n%d" % len(self.names)
        self.names[key] = attr
        return key

    def value(self, av):
        key = ":v%d" % len(self.values)
        self.values[key] = av
        return key

    def apply(self, body):
        if self.names:
            body["ExpressionAttributeNames"] = self.names
        if self.values:
            body["ExpressionAttributeValues"] = self.values
        return body


def rand_path(rng, ph):
    path = ph.name(rng.choice(EXTRA_ATTRS), rng)
    r = rng.random()
    if r < 0.15:
        path += "." + ph.name(rng.choice(EXTRA_ATTRS), rng)
    elif r < 0.25:
        path += "[%d]" % rng.randrange(3)
    return path


def rand_condition(rng, ph, depth=0):
    r = rng.randrange(12 if depth < 2 else 9)
    if r >= 9:
        p = None  # allocate placeholders only for what the expression uses: unused ones are errors
    else:
        p = rand_path(rng, ph)
    if r == 0:
        return "attribute_exists(%s)" % p
    if r == 1:
        return "attribute_not_exists(%s)" % p
    if r == 2:
        return "%s %s %s" % (p, rng.choice(["=", "<>", "<", "<=", ">", ">="]), ph.value(rand_av(rng, 2)))
    if r == 3:
        return "begins_with(%s, %s)" % (p, ph.value({"S": rng.choice(STRINGS[:4])}))
    if r == 4:
        return "contains(%s, %s)" % (p, ph.value(rand_av(rng, 3)))
    if r == 5:
        return "size(%s) %s %s" % (p, rng.choice(["=", ">", "<="]), ph.value({"N": str(rng.randrange(5))}))
    if r == 6:
        return "attribute_type(%s, %s)" % (p, ph.value({"S": rng.choice(["S", "N", "B", "SS", "M", "L", "NULL"])}))
    if r == 7:
        return "%s BETWEEN %s AND %s" % (p, ph.value({"N": "1"}), ph.value({"N": "9"}))
    if r == 8:
        return "%s IN (%s)" % (p, ", ".join(ph.value(rand_av(rng, 3)) for _ in range(rng.randint(1, 4))))
    if r == 9:
        return "NOT (%s)" % rand_condition(rng, ph, depth + 1)
    return "(%s) %s (%s)" % (rand_condition(rng, ph, depth + 1), rng.choice(["AND", "OR"]),
                             rand_condition(rng, ph, depth + 1))


def rand_update(rng, ph):
    attrs = rng.sample(EXTRA_ATTRS, rng.randint(1, 5))
    sets, removes, adds, deletes = [], [], [], []
    for a in attrs:
        p = ph.name(a, rng)
        r = rng.randrange(8)
        if r < 3:
            sets.append("%s = %s" % (p, ph.value(rand_av(rng, 1))))
        elif r == 3:
            sets.append("%s = if_not_exists(%s, %s) + %s" % (p, p, ph.value({"N": "0"}), ph.value({"N": "1"})))
        elif r == 4:
            sets.append("%s = list_append(if_not_exists(%s, %s), %s)" % (
                p, p, ph.value({"L": []}), ph.value({"L": [rand_av(rng, 2)]})))
        elif r == 5:
            removes.append(p)
        elif r == 6:
            adds.append("%s %s" % (p, ph.value(rng.choice([{"N": "1"}, {"SS": ["q"]}]))))
        else:
            deletes.append("%s %s" % (p, ph.value({"SS": ["q"]})))
    parts = []
    for word, items in (("SET", sets), ("REMOVE", removes), ("ADD", adds), ("DELETE", deletes)):
        if items:
            parts.append(word + " " + ", ".join(items))
    rng.shuffle(parts)
    return " ".join(parts)


def rand_projection(rng, ph):
    return ", ".join(rand_path(rng, ph) for _ in range(rng.randint(1, 4)))


def rand_item(rng, table):
    item = {n: key_value(rng, t) for n, t in table["keys"]}
    for _ in range(rng.randrange(5)):
        item[rng.choice(EXTRA_ATTRS)] = rand_av(rng)
    for index in table.get("gsi", []) + table.get("lsi", []):
        for n, t in index[1]:
            if n not in item and rng.random() < 0.7:
                item[n] = key_value(rng, t)
    return item


def rand_key(rng, table):
    return {n: key_value(rng, t) for n, t in table["keys"]}


def distinct_keys(rng, table, n):
    keys = {}
    for _ in range(n):
        k = rand_key(rng, table)
        keys[json.dumps(k, sort_keys=True)] = k
    return list(keys.values())


def add_return_options(rng, body, values=("NONE", "ALL_OLD")):
    if rng.random() < 0.3:
        body["ReturnValues"] = rng.choice(values)
    if rng.random() < 0.3:
        body["ReturnConsumedCapacity"] = rng.choice(["NONE", "TOTAL", "INDEXES"])
    if rng.random() < 0.2:
        body["ReturnItemCollectionMetrics"] = rng.choice(["NONE", "SIZE"])
    return body


def gen_create_table(w):
    rng = w.rng
    types = "SNB"
    keys = [("h", rng.choice(types))] + ([("r", rng.choice(types))] if rng.random() < 0.6 else [])
    defs = dict(keys)
    provisioned = rng.random() < 0.3
    throughput = {"ReadCapacityUnits": rng.randint(1, 20), "WriteCapacityUnits": rng.randint(1, 20)}
    body = {"TableName": rng.choice(SCRATCH), "KeySchema": key_schema(keys)}
    projection = rng.choice([{"ProjectionType": "ALL"}, {"ProjectionType": "KEYS_ONLY"},
                             {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b"]}])
    if rng.random() < 0.3:
        defs["gh"] = rng.choice(types)
        gsi = {"IndexName": "gsi-a", "KeySchema": key_schema([("gh", defs["gh"])]), "Projection": projection}
        if provisioned:
            gsi["ProvisionedThroughput"] = throughput
        body["GlobalSecondaryIndexes"] = [gsi]
    if len(keys) == 2 and rng.random() < 0.3:
        defs["lr"] = rng.choice(types)
        body["LocalSecondaryIndexes"] = [{"IndexName": "lsi-a", "KeySchema": key_schema([keys[0], ("lr", "S")]),
                                          "Projection": {"ProjectionType": "KEYS_ONLY"}}]
    body["AttributeDefinitions"] = [{"AttributeName": n, "AttributeType": t} for n, t in defs.items()]
    if provisioned:
        body["BillingMode"] = "PROVISIONED"
        body["ProvisionedThroughput"] = throughput
    else:
        body["BillingMode"] = "PAY_PER_REQUEST"
    if rng.random() < 0.3:
        body["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": rng.choice(
            ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"])}
    if rng.random() < 0.2:
        body["Tags"] = [{"Key": "k%d" % i, "Value": "v"} for i in range(rng.randint(1, 3))]
    if rng.random() < 0.1:
        body["SSESpecification"] = {"Enabled": True}
    if rng.random() < 0.1:
        body["TableClass"] = rng.choice(["STANDARD", "STANDARD_INFREQUENT_ACCESS"])
    return body


def gen_update_table(w):
    rng = w.rng
    body = {"TableName": rng.choice(SCRATCH)}
    r = rng.randrange(6)
    if r == 0:
        body["BillingMode"] = "PAY_PER_REQUEST"
    elif r == 1:
        body["BillingMode"] = "PROVISIONED"
        body["ProvisionedThroughput"] = {"ReadCapacityUnits": rng.randint(1, 9), "WriteCapacityUnits": 5}
    elif r == 2:
        body["StreamSpecification"] = rng.choice([{"StreamEnabled": False},
                                                  {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}])
    elif r == 3:
        body["AttributeDefinitions"] = [{"AttributeName": "u1", "AttributeType": "S"}]
        body["GlobalSecondaryIndexUpdates"] = [{"Create": {
            "IndexName": "gsi-u", "KeySchema": [{"AttributeName": "u1", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}}]
    elif r == 4:
        body["GlobalSecondaryIndexUpdates"] = [{"Delete": {"IndexName": rng.choice(["gsi-u", "gsi-a"])}}]
    else:
        body["DeletionProtectionEnabled"] = False
    return body


def gen_put_item(w):
    rng, table = w.rng, w.table()
    body = {"TableName": table["name"], "Item": rand_item(rng, table)}
    if rng.random() < 0.3:
        ph = Placeholders()
        body["ConditionExpression"] = rand_condition(rng, ph)
        ph.apply(body)
    elif rng.random() < 0.1:
        body["Expected"] = {"a": rng.choice([{"Exists": False}, {"Value": {"S": "x"}},
                                             {"ComparisonOperator": "NOT_NULL"}])}
    return add_return_options(rng, body)


def gen_get_item(w):
    rng, table = w.rng, w.table()
    body = {"TableName": table["name"], "Key": rand_key(rng, table)}
    if rng.random() < 0.4:
        ph = Placeholders()
        body["ProjectionExpression"] = rand_projection(rng, ph)
        ph.apply(body)
    elif rng.random() < 0.1:
        body["AttributesToGet"] = rng.sample(EXTRA_ATTRS, 2)
    if rng.random() < 0.3:
        body["ConsistentRead"] = rng.random() < 0.5
    if rng.random() < 0.2:
        body["ReturnConsumedCapacity"] = "TOTAL"
    return body


def gen_update_item(w):
    rng, table = w.rng, w.table()
    body = {"TableName": table["name"], "Key": rand_key(rng, table)}
    ph = Placeholders()
    if rng.random() < 0.9:
        body["UpdateExpression"] = rand_update(rng, ph)
        if rng.random() < 0.3:
            body["ConditionExpression"] = rand_condition(rng, ph)
    else:
        body["AttributeUpdates"] = {"a": rng.choice([{"Action": "PUT", "Value": {"S": "x"}}, {"Action": "DELETE"},
                                                     {"Action": "ADD", "Value": {"N": "1"}}])}
    ph.apply(body)
    return add_return_options(rng, body, ("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"))


def gen_delete_item(w):
    rng, table = w.rng, w.table()
    body = {"TableName": table["name"], "Key": rand_key(rng, table)}
    if rng.random() < 0.3:
        ph = Placeholders()
        body["ConditionExpression"] = rand_condition(rng, ph)
        ph.apply(body)
    return add_return_options(rng, body)


def gen_batch_write_item(w):
    rng = w.rng
    items = {}
    for table in rng.sample(w.tables, rng.randint(1, 2)):
        requests = []
        for key in distinct_keys(rng, table, rng.randint(1, 6)):
            if rng.random() < 0.7:
                item = rand_item(rng, table)
                item.update(key)
                requests.append({"PutRequest": {"Item": item}})
            else:
                requests.append({"DeleteRequest": {"Key": key}})
        items[table["name"]] = requests
    return add_return_options(rng, {"RequestItems": items}, ("NONE",))


def gen_batch_get_item(w):
    rng = w.rng
    items = {}
    for table in rng.sample(w.tables, rng.randint(1, 2)):
        entry = {"Keys": distinct_keys(rng, table, rng.randint(1, 8))}
        if rng.random() < 0.3:
            ph = Placeholders()
            entry["ProjectionExpression"] = rand_projection(rng, ph)
            if ph.names:
                entry["ExpressionAttributeNames"] = ph.names
        if rng.random() < 0.2:
            entry["ConsistentRead"] = True
        items[table["name"]] = entry
    return {"RequestItems": items}


def add_read_options(rng, body, table, ph):
    if rng.random() < 0.3:
        body["FilterExpression"] = rand_condition(rng, ph)
    if rng.random() < 0.2:
        body["ProjectionExpression"] = rand_projection(rng, ph)
    elif rng.random() < 0.1:
        body["Select"] = rng.choice(["COUNT", "ALL_ATTRIBUTES"])
    # Always a Limit: a full scan of a table holding 400 KB items would dominate the run.
    body["Limit"] = rng.randint(1, 25)
    if rng.random() < 0.15 and "KeyConditionExpression" not in body and "IndexName" not in body:
        body["ExclusiveStartKey"] = rand_key(rng, table)  # a Scan's: a Query's must match its condition
    if rng.random() < 0.2:
        body["ReturnConsumedCapacity"] = rng.choice(["TOTAL", "INDEXES"])
    ph.apply(body)
    return body


def gen_query(w):
    rng, table = w.rng, w.table()
    body = {"TableName": table["name"]}
    keys = table["keys"]
    indexes = table.get("gsi", []) + table.get("lsi", [])
    if indexes and rng.random() < 0.4:
        name, keys = rng.choice(indexes)
        body["IndexName"] = name
    ph = Placeholders()
    if rng.random() < 0.1:  # the legacy form (which cannot be mixed with expressions)
        body["KeyConditions"] = {keys[0][0]: {"ComparisonOperator": "EQ", "AttributeValueList": [
            key_value(rng, keys[0][1])]}}
        return body
    else:
        cond = "%s = %s" % (ph.name(keys[0][0], rng), ph.value(key_value(rng, keys[0][1])))
        if len(keys) > 1 and rng.random() < 0.6:
            r, t = keys[1]
            rp = ph.name(r, rng)
            choice = rng.randrange(3 if t != "N" else 2)
            if choice == 0:
                lo, hi = sorted(rng.sample(range(10), 2))  # key_value(i) grows with i for S, N and B
                cond += " AND %s BETWEEN %s AND %s" % (rp, ph.value(key_value(rng, t, lo)), ph.value(key_value(rng, t, hi)))
            elif choice == 1:
                cond += " AND %s %s %s" % (rp, rng.choice(["<", "<=", ">", ">=", "="]), ph.value(key_value(rng, t)))
            else:
                prefix = "k" if t == "S" else base64.b64encode(bytes([rng.randrange(40)])).decode()
                cond += " AND begins_with(%s, %s)" % (rp, ph.value({t: prefix}))
        body["KeyConditionExpression"] = cond
    if rng.random() < 0.3:
        body["ScanIndexForward"] = rng.random() < 0.5
    return add_read_options(rng, body, table, ph)


def gen_scan(w):
    rng, table = w.rng, w.table()
    body = {"TableName": table["name"]}
    if table.get("gsi") and rng.random() < 0.2:
        body["IndexName"] = table["gsi"][0][0]
    if rng.random() < 0.2:
        total = rng.randint(1, 4)
        body["TotalSegments"] = total
        body["Segment"] = rng.randrange(total)
    ph = Placeholders()
    if rng.random() < 0.1:
        body["ScanFilter"] = {"a": {"ComparisonOperator": "NOT_NULL"}}
        return body
    return add_read_options(rng, body, table, ph)


def gen_transact_write_items(w):
    rng = w.rng
    actions = []
    for _ in range(rng.randint(1, 5)):
        table = w.table()
        key = rand_key(rng, table)
        if any(a["_key"] == (table["name"], json.dumps(key, sort_keys=True)) for a in actions):
            continue
        ph = Placeholders()
        kind = rng.choice(["Put", "Update", "Delete", "ConditionCheck"])
        action = {"TableName": table["name"]}
        if kind == "Put":
            item = rand_item(rng, table)
            item.update(key)
            action["Item"] = item
        else:
            action["Key"] = key
        if kind == "Update":
            action["UpdateExpression"] = rand_update(rng, ph)
        if kind == "ConditionCheck" or rng.random() < 0.3:
            action["ConditionExpression"] = rand_condition(rng, ph)
        ph.apply(action)
        actions.append({kind: action, "_key": (table["name"], json.dumps(key, sort_keys=True))})
    for a in actions:
        del a["_key"]
    body = {"TransactItems": actions}
    if rng.random() < 0.2:
        body["ClientRequestToken"] = "tok-%d" % rng.randrange(1000)
    return add_return_options(rng, body, ("NONE",))


def gen_transact_get_items(w):
    rng = w.rng
    items, seen = [], set()
    for _ in range(rng.randint(1, 5)):
        table = w.table()
        key = rand_key(rng, table)
        marker = (table["name"], json.dumps(key, sort_keys=True))
        if marker in seen:
            continue
        seen.add(marker)
        get = {"TableName": table["name"], "Key": key}
        if rng.random() < 0.3:
            ph = Placeholders()
            get["ProjectionExpression"] = rand_projection(rng, ph)
            if ph.names:
                get["ExpressionAttributeNames"] = ph.names
        items.append({"Get": get})
    return {"TransactItems": items}


def gen_describe_table(w):
    return {"TableName": w.rng.choice([t["name"] for t in w.tables] + SCRATCH[:2])}


def gen_list_tables(w):
    body = {}
    if w.rng.random() < 0.5:
        body["Limit"] = w.rng.randint(1, 100)
    if w.rng.random() < 0.3:
        body["ExclusiveStartTableName"] = w.rng.choice(["fz-a", "fz-index", "a"])
    return body


def gen_delete_table(w):
    return {"TableName": w.rng.choice(SCRATCH)}


def table_arn(w, name=None):
    return w.world["arn_prefix"] + (name or w.table()["name"])


def gen_tag_resource(w):
    return {"ResourceArn": table_arn(w), "Tags": [{"Key": "k%d" % w.rng.randrange(5), "Value": "v"}
                                                  for _ in range(w.rng.randint(1, 3))]}


def gen_untag_resource(w):
    return {"ResourceArn": table_arn(w), "TagKeys": ["k%d" % w.rng.randrange(5)]}


def gen_list_tags(w):
    body = {"ResourceArn": table_arn(w)}
    if w.rng.random() < 0.2:
        body["NextToken"] = "x"
    return body


def gen_describe_ttl(w):
    return {"TableName": w.table()["name"]}


def gen_update_ttl(w):
    return {"TableName": w.rng.choice(SCRATCH + ["fz-hash"]),
            "TimeToLiveSpecification": {"Enabled": w.rng.random() < 0.5, "AttributeName": "ttl"}}


def gen_empty(w):
    return {}


def gen_list_streams(w):
    body = {}
    if w.rng.random() < 0.5:
        body["TableName"] = "fz-stream"
    if w.rng.random() < 0.3:
        body["Limit"] = w.rng.randint(1, 100)
    return body


def gen_describe_stream(w):
    body = {"StreamArn": w.stream_arn()}
    if w.rng.random() < 0.3:
        body["Limit"] = w.rng.randint(1, 100)
    if w.rng.random() < 0.2:
        body["ExclusiveStartShardId"] = w.shard_id()
    return body


def gen_get_shard_iterator(w):
    kind = w.rng.choice(["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"])
    body = {"StreamArn": w.stream_arn(), "ShardId": w.shard_id(), "ShardIteratorType": kind}
    if kind.endswith("SEQUENCE_NUMBER"):
        body["SequenceNumber"] = w.sequence_number()
    return body


def gen_get_records(w):
    body = {"ShardIterator": w.shard_iterator()}
    if w.rng.random() < 0.5:
        body["Limit"] = w.rng.randint(1, 1000)
    return body


Op = collections.namedtuple("Op", "name target gen weight")

# Every operation the server serves, with a generator of valid requests and a relative weight.
OPERATIONS = [
    Op("CreateTable", DYNAMO + "CreateTable", gen_create_table, 2),
    Op("DescribeTable", DYNAMO + "DescribeTable", gen_describe_table, 3),
    Op("ListTables", DYNAMO + "ListTables", gen_list_tables, 2),
    Op("DeleteTable", DYNAMO + "DeleteTable", gen_delete_table, 1),
    Op("UpdateTable", DYNAMO + "UpdateTable", gen_update_table, 2),
    Op("PutItem", DYNAMO + "PutItem", gen_put_item, 10),
    Op("GetItem", DYNAMO + "GetItem", gen_get_item, 8),
    Op("UpdateItem", DYNAMO + "UpdateItem", gen_update_item, 10),
    Op("DeleteItem", DYNAMO + "DeleteItem", gen_delete_item, 5),
    Op("BatchWriteItem", DYNAMO + "BatchWriteItem", gen_batch_write_item, 5),
    Op("BatchGetItem", DYNAMO + "BatchGetItem", gen_batch_get_item, 5),
    Op("Query", DYNAMO + "Query", gen_query, 10),
    Op("Scan", DYNAMO + "Scan", gen_scan, 6),
    Op("TransactWriteItems", DYNAMO + "TransactWriteItems", gen_transact_write_items, 6),
    Op("TransactGetItems", DYNAMO + "TransactGetItems", gen_transact_get_items, 4),
    Op("TagResource", DYNAMO + "TagResource", gen_tag_resource, 1),
    Op("UntagResource", DYNAMO + "UntagResource", gen_untag_resource, 1),
    Op("ListTagsOfResource", DYNAMO + "ListTagsOfResource", gen_list_tags, 1),
    Op("DescribeTimeToLive", DYNAMO + "DescribeTimeToLive", gen_describe_ttl, 1),
    Op("UpdateTimeToLive", DYNAMO + "UpdateTimeToLive", gen_update_ttl, 1),
    Op("DescribeEndpoints", DYNAMO + "DescribeEndpoints", gen_empty, 1),
    Op("DescribeLimits", DYNAMO + "DescribeLimits", gen_empty, 1),
    Op("ListStreams", STREAMS + "ListStreams", gen_list_streams, 1),
    Op("DescribeStream", STREAMS + "DescribeStream", gen_describe_stream, 2),
    Op("GetShardIterator", STREAMS + "GetShardIterator", gen_get_shard_iterator, 2),
    Op("GetRecords", STREAMS + "GetRecords", gen_get_records, 2),
]


# --------------------------------------------------------------------------------------------
# JSON mutations: (rng, body, worker) -> (variant label, payload bytes)
# --------------------------------------------------------------------------------------------

# Numbers that are malformed, out of DynamoDB's range (38 digits, 1E-130 .. 9.99E+125) or edge cases.
WEIRD_NUMBER_STRINGS = [
    "1e999999", "1E+126", "9.9999999999999999999999999999999999999E+125", "1e-130", "1E-131", "-1e-999999",
    "99999999999999999999999999999999999999", "999999999999999999999999999999999999999",
    "0.000000000000000000000000000000000000001234567890123456789012345678901234567890", "-0", "+1", "NaN",
    "Infinity", "-Infinity", "0x10", "1_000", "", " ", "1 ", " 1", "1.", ".5", "-", "+", "1e", "e5", "1e+",
    "00001", "1.2.3", "--1", "1e1e1", "١٢٣", "1\u0000", "9" * 1000, "0." + "0" * 500 + "1", "1e" + "9" * 30,
    "-9223372036854775809", "18446744073709551616", "1" + "0" * 125, "1" + "0" * 126,
]
# Raw JSON numbers for integer fields (Limit, Segment, capacity units, ...).
WEIRD_JSON_NUMBERS = [
    "1e999999", "-1e999999", "99999999999999999999999999999999999999999", "-0", "0.5", "1e2", "-1",
    "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808", "18446744073709551616",
    "1.7976931348623157e309", "4.9e-324", "1e-999999", "0", "1E400", "-" + "9" * 400, "1.0",
]
INVALID_UTF8 = [b"\xff", b"\xfe\xff", b"\xc0\x80", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xed\xbf\xbf",
                b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xf0\x9f\x98"]
SURROGATE_ESCAPES = [b"\\udc00", b"\\ud800", b"\\ud800\\u0041", b"\\udbff\\udfff\\udc00", b"\\u0000",
                     b"\\uD83D", b"\\u", b"\\u12", b"\\x41", b"\\q"]
DEPTHS = [2, 31, 32, 33, 34, 64, 100, 1000, 10000, 100000]
RAW_DEPTHS = DEPTHS + [300000]  # raw JSON: one level is 1 or 2 bytes
AV_TYPES = {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"}
KNOWN_FIELDS = [
    "TableName", "Key", "Item", "Keys", "RequestItems", "TransactItems", "KeySchema", "AttributeDefinitions",
    "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "ProvisionedThroughput", "BillingMode", "IndexName",
    "ConditionExpression", "UpdateExpression", "FilterExpression", "KeyConditionExpression",
    "ProjectionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues", "ReturnValues",
    "ReturnConsumedCapacity", "ReturnItemCollectionMetrics", "Limit", "ExclusiveStartKey", "Segment",
    "TotalSegments", "Select", "ScanIndexForward", "ConsistentRead", "AttributesToGet", "Expected",
    "AttributeUpdates", "KeyConditions", "QueryFilter", "ScanFilter", "ConditionalOperator",
    "StreamSpecification", "Tags", "TagKeys", "ResourceArn", "TimeToLiveSpecification", "ClientRequestToken",
    "GlobalSecondaryIndexUpdates", "StreamArn", "ShardId", "ShardIterator", "ShardIteratorType",
    "SequenceNumber", "ExclusiveStartTableName", "ExclusiveStartShardId", "DeletionProtectionEnabled",
    "SSESpecification", "TableClass", "ReturnValuesOnConditionCheckFailure", "NextToken",
]


def all_nodes(body):
    """Every (parent, key) slot in the JSON tree; the root is holder[0]."""
    holder = [body]
    out = []
    stack = [(holder, 0)]
    while stack:
        parent, key = stack.pop()
        out.append((parent, key))
        value = parent[key]
        if isinstance(value, dict):
            stack.extend((value, k) for k in value)
        elif isinstance(value, list):
            stack.extend((value, i) for i in range(len(value)))
    return holder, out


def pick_slot(rng, body, want=None):
    """A random (holder, parent, key) slot, preferring nodes for which want(value) is true."""
    holder, slots = all_nodes(body)
    if want:
        good = [s for s in slots if want(s[0][s[1]])]
        if good:
            slots = good
    parent, key = rng.choice(slots)
    return holder, parent, key


def random_json_value(rng, depth=0):
    r = rng.randrange(9 if depth < 2 else 6)
    return [lambda: rng.choice(STRINGS), lambda: rng.randint(-5, 5), lambda: rng.random() * 1e6,
            lambda: rng.random() < 0.5, lambda: None, lambda: "",
            lambda: [random_json_value(rng, depth + 1) for _ in range(rng.randrange(3))],
            lambda: {rng.choice(KNOWN_FIELDS + AV_TYPES_LIST): random_json_value(rng, depth + 1)
                     for _ in range(rng.randrange(3))},
            lambda: rand_av(rng)][r]()


AV_TYPES_LIST = sorted(AV_TYPES)


def is_av(v):
    return isinstance(v, dict) and len(v) == 1 and next(iter(v)) in AV_TYPES


def mut_valid(rng, body, w):
    """No mutation: the valid request must be served as DynamoDB would."""
    return "valid", encode(body)


def mut_type_swap(rng, body, w):
    """Replaces one value by a value of another JSON type (or the whole body by a scalar)."""
    holder, parent, key = pick_slot(rng, body)
    old = parent[key]
    if rng.random() < 0.2 and is_av(old):  # an attribute value claiming two types, or a wrong one
        t = next(iter(old))
        other = rng.choice(AV_TYPES_LIST)
        parent[key] = rng.choice([dict(old, **{other: rand_av(rng, 3).popitem()[1]}),
                                  {other: old[t]}, {}, {"S": None}, {"BOOL": "true"}, {"NULL": False},
                                  {"L": {}}, {"M": []}, {"SS": []}, {"NS": [1, 2]}])
        label = "type_swap:attribute_value"
    else:
        for _ in range(5):
            new = random_json_value(rng)
            if type(new) is not type(old):
                break
        parent[key] = new
        label = "type_swap:root" if parent is holder else "type_swap:value"
    return label, encode(holder[0])


def mut_numbers(rng, body, w):
    """Malformed or out-of-range numbers, in N values and in JSON number fields."""
    holder, slots = all_nodes(body)
    n_slots = [(p, k) for p, k in slots if isinstance(p, dict) and k in ("N", "NS") or
               (isinstance(p[k], (int, float)) and not isinstance(p[k], bool))]
    if n_slots and rng.random() < 0.8:
        parent, key = rng.choice(n_slots)
    else:
        parent, key = rng.choice(slots)
    if isinstance(parent, dict) and key == "N":
        parent[key] = rng.choice(WEIRD_NUMBER_STRINGS)
        return "numbers:N_string", encode(holder[0])
    if isinstance(parent, dict) and key == "NS":
        parent[key] = rng.sample(WEIRD_NUMBER_STRINGS, 2) + rng.choice([["1", "1.0"], ["1", "01"], ["-0", "0"], []])
        return "numbers:NS", encode(holder[0])
    parent[key] = Raw(rng.choice(WEIRD_JSON_NUMBERS))
    return "numbers:json_number", encode(holder[0])


_deep_cache = {}


def deep_fragment(kind, depth):
    """Pre-encoded deeply nested JSON (cached: the biggest are over a megabyte)."""
    key = (kind, depth)
    frag = _deep_cache.get(key)
    if frag is None:
        if kind == "L":
            frag = b'{"L":[' * depth + b'{"S":"x"}' + b"]}" * depth
        elif kind == "M":
            frag = b'{"M":{"a":' * depth + b'{"S":"x"}' + b"}}" * depth
        elif kind == "array":
            frag = b"[" * depth + b"]" * depth
        elif kind == "object":
            frag = b'{"a":' * depth + b"1" + b"}" * depth
        elif kind == "mixed":
            frag = b'[{"a":' * depth + b"0" + b"}]" * depth
        elif kind == "unclosed":
            frag = b"[" * depth
        _deep_cache[key] = frag
    return frag


def mut_deep_attribute(rng, body, w):
    """Nests L/M attribute values beyond DynamoDB's 32 levels, up to 100k."""
    holder, parent, key = pick_slot(rng, body, is_av)
    kind = rng.choice(["L", "M"])
    depth = rng.choice(DEPTHS)
    parent[key] = Raw(deep_fragment(kind, depth))
    return "deep_attribute:%s" % kind, encode(holder[0])


def mut_deep_json(rng, body, w):
    """Deeply nested raw JSON arrays/objects, as a member or as the whole body."""
    kind = rng.choice(["array", "object", "mixed", "unclosed"])
    depth = rng.choice(RAW_DEPTHS)
    if rng.random() < 0.3:
        return "deep_json:%s:body" % kind, deep_fragment(kind, depth)
    holder, parent, key = pick_slot(rng, body)
    parent[key] = Raw(deep_fragment(kind, depth))
    return "deep_json:%s" % kind, encode(holder[0])


def mut_long_string(rng, body, w):
    """Long strings (names, values, keys), around DynamoDB's limits and far beyond."""
    n = rng.choice([255, 256, 1024, 1025, 2048, 65536, 65537, 409600, 409601, 1 << 20])
    s = rng.choice(["a", "é", "😀", "#", ":"]) * (n if rng.random() < 0.8 else n // 4)
    holder, parent, key = pick_slot(rng, body, lambda v: isinstance(v, str))
    if rng.random() < 0.2 and isinstance(parent, dict) and parent is not holder:
        parent[s] = parent.pop(key)  # a long member name (attribute name, placeholder, ...)
        return "long_string:name", encode(holder[0])
    parent[key] = s
    return "long_string:value", encode(holder[0])


def mut_bad_utf8(rng, body, w):
    """Invalid UTF-8 bytes and lone-surrogate escapes inside strings and member names."""
    holder, parent, key = pick_slot(rng, body, lambda v: isinstance(v, str))
    if rng.random() < 0.5:
        bad, label = rng.choice(INVALID_UTF8), "bad_utf8:bytes"
    else:
        bad, label = rng.choice(SURROGATE_ESCAPES), "bad_utf8:escape"
    if rng.random() < 0.25 and isinstance(parent, dict) and parent is not holder:
        name = json_string_bytes(key)
        at = rng.randint(0, len(name))
        items = [(Raw(b'"' + name[:at] + bad + name[at:] + b'"') if k == key else k, v) for k, v in parent.items()]
        # Rebuild the object as Pairs so the mutated member name can be raw bytes.
        parent_encoded = b"{" + b",".join((k.data if isinstance(k, Raw) else encode(k)) + b":" + encode(v)
                                          for k, v in items) + b"}"
        if parent is holder[0]:
            return label + ":name", parent_encoded
        grand = find_parent(holder, parent)
        if grand is not None:
            gp, gk = grand
            gp[gk] = Raw(parent_encoded)
            return label + ":name", encode(holder[0])
    value = parent[key] if isinstance(parent[key], str) else ""
    text = json_string_bytes(value)
    at = rng.randint(0, len(text))
    while at > 0 and text[at - 1:at] == b"\\":  # do not split an escape sequence
        at -= 1
    parent[key] = Raw(b'"' + text[:at] + bad + text[at:] + b'"')
    return label, encode(holder[0])


def find_parent(holder, target):
    """The (parent, key) slot holding the container target (by identity)."""
    _, slots = all_nodes(holder[0])
    for p, k in slots:
        if p[k] is target:
            return p, k
    return None


def mut_duplicate_keys(rng, body, w):
    """An object with a repeated member name (same or different value)."""
    holder, parent, key = pick_slot(rng, body, lambda v: isinstance(v, dict) and v)
    obj = parent[key]
    if not isinstance(obj, dict) or not obj:
        obj = {"TableName": "fz-hash"}
    items = list(obj.items())
    name, value = rng.choice(items)
    dup = rng.choice([value, random_json_value(rng), rand_av(rng)])
    at = rng.randint(0, len(items))
    items.insert(at, (name, dup))
    parent[key] = Pairs(items)
    return "duplicate_keys", encode(holder[0])


def mut_empty_missing(rng, body, w):
    """Removes a member, or empties a value (empty strings, sets, lists, objects, null)."""
    holder, parent, key = pick_slot(rng, body)
    if isinstance(parent, dict) and rng.random() < 0.4:
        del parent[key]
        return "empty_missing:removed", encode(holder[0])
    parent[key] = rng.choice(["", [], {}, None, {"S": ""}, {"SS": []}, {"L": []}, {"M": {}}, {"": {"S": "x"}}])
    return "empty_missing:empty", encode(holder[0])


EXPR_VOCAB = ["(", ")", "(", ")", ",", ".", "[", "]", "[0]", "=", "<>", "<", ">=", "AND", "OR", "NOT", "BETWEEN",
              "IN", "SET", "REMOVE", "ADD", "DELETE", "size(", "attribute_exists(", "begins_with(", "contains(",
              "if_not_exists(", "list_append(", "attribute_type(", "+", "-", "#", ":", "#n0", "#zz", ":v0", ":zz",
              "a", "name", "0", "99999999999999999999", "-1", "'x'", '"x"', "\u0000", "é", "\\", "\t", ";", "*"]
EXPRESSION_FIELDS = ["ConditionExpression", "UpdateExpression", "KeyConditionExpression", "FilterExpression",
                     "ProjectionExpression"]
TOKEN_RE = re.compile(r"#\w+|:\w+|\w+|<>|<=|>=|\S")


def expression_slots(body):
    _, slots = all_nodes(body)
    return [(p, k) for p, k in slots if isinstance(p, dict) and k in EXPRESSION_FIELDS and isinstance(p[k], str)]


def mut_expression(rng, body, w):
    """Token-wise mutation of an expression, or pathological expressions: unbalanced or deeply
    nested parentheses, huge AND chains, deep paths, thousands of #names."""
    slots = expression_slots(body)
    if slots:
        parent, key = rng.choice(slots)
    else:  # no expression in this request: add one where it would make sense
        parent, key = body, rng.choice(EXPRESSION_FIELDS)
        if not isinstance(body, dict):
            return mut_byte_flip(rng, body, w)
        body[key] = "a = :v0"
        body.setdefault("ExpressionAttributeValues", {":v0": {"S": "x"}})
    expr = parent[key]
    variant = rng.randrange(10)
    d = rng.choice(DEPTHS)
    if variant < 4:  # token edits
        tokens = TOKEN_RE.findall(expr) or ["a"]
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(tokens))
            op = rng.randrange(4)
            if op == 0 and len(tokens) > 1:
                del tokens[i]
            elif op == 1:
                tokens.insert(i, rng.choice(EXPR_VOCAB))
            elif op == 2:
                tokens[i] = rng.choice(EXPR_VOCAB)
            else:
                tokens.insert(i, tokens[i])
        parent[key] = " ".join(tokens)
        label = "expression:tokens"
    elif variant == 4:
        parent[key] = rng.choice(["(" * d + expr, expr + ")" * d, ")" + expr, "(" * d + expr + ")" * d])
        label = "expression:parens"
    elif variant == 5:
        parent[key] = rng.choice(["NOT " * d + expr, "size(" * d + "a" + ")" * d + " > :v0",
                                  "if_not_exists(" * d + "a, :v0" + ")" * d])
        label = "expression:nested_calls"
    elif variant == 6:
        n = min(d, 20000, max(1, 2000000 // max(1, len(expr))))  # stacked mutations must not square it
        joiner = ", " if key in ("UpdateExpression", "ProjectionExpression") else rng.choice([" AND ", " OR "])
        parent[key] = joiner.join([expr] * n)
        label = "expression:long_chain"
    elif variant == 7:
        parent[key] = rng.choice(["a" + ".b" * d, "a" + "[0]" * d, "a[99999999999999999999]", "a[-1]",
                                  "a" + "." * d, "#" * d, ":" * d, "a." + "b" * 70000])
        if key == "UpdateExpression":
            parent[key] = "SET " + parent[key] + " = :v0"
        label = "expression:paths"
    elif variant == 8:  # thousands of #names, all used
        n = rng.choice([100, 1000, 1000, 10000, 50000 if rng.random() < 0.2 else 100])
        names = {"#a%d" % i: "a%d" % i for i in range(n)}
        parent["ExpressionAttributeNames"] = names
        if key == "UpdateExpression":
            parent[key] = "SET " + ", ".join("#a%d = :v0" % i for i in range(n))
        elif key == "ProjectionExpression":
            parent[key] = ", ".join(names)
        else:
            parent[key] = " OR ".join("attribute_exists(#a%d)" % i for i in range(n))
        parent.setdefault("ExpressionAttributeValues", {":v0": {"S": "x"}})
        label = "expression:many_names"
    else:  # placeholders that do not match the maps
        parent[key] = expr + rng.choice([" AND #missing = :missing", " AND :v0 = :v0", ""])
        parent["ExpressionAttributeNames"] = rng.choice([{}, {"#unused": "a"}, {"bad": "a"}, {"#n0": ""}])
        label = "expression:placeholders"
    return label, encode(body)


def mut_byte_flip(rng, body, w):
    """Random byte edits of the serialized body."""
    data = bytearray(encode(body))
    for _ in range(rng.randint(1, 8)):
        if not data:
            data += b"{"
        i = rng.randrange(len(data))
        op = rng.randrange(5)
        if op == 0:
            data[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[i] = rng.randrange(256)
        elif op == 2:
            data.insert(i, rng.choice(b'{}[]",:\\0e-.\x00\xff '))
        elif op == 3:
            del data[i:i + rng.randint(1, 8)]
        else:
            data[i:i] = data[i:i + rng.randint(1, 16)]
    if rng.random() < 0.1:
        data = data[:rng.randrange(len(data) + 1)]
    return "byte_flip", bytes(data)


def mut_extra_fields(rng, body, w):
    """Members that belong to other operations, unknown members, or another operation's body."""
    if not isinstance(body, dict):
        body = {}
    r = rng.random()
    if r < 0.2:  # a valid body of another operation, sent to this one
        other = rng.choice(OPERATIONS)
        return "extra_fields:other_operation", encode(other.gen(w))
    for _ in range(rng.randint(1, 4)):
        name = rng.choice(KNOWN_FIELDS) if rng.random() < 0.8 else rng.choice(["Foo", "", "tablename", "\u00e9"])
        body[name] = random_json_value(rng)
    return "extra_fields:members", encode(body)


def mut_big_collections(rng, body, w):
    """Collections beyond DynamoDB's limits: 25+ batch writes, 100+ keys or transaction items,
    thousands of attributes, huge sets and lists."""
    n = rng.choice([26, 101, 1000, 10000, 100000])
    table = w.tables[0]
    r = rng.randrange(6)
    if r == 0:
        body = {"RequestItems": {table["name"]: [{"PutRequest": {"Item": {"pk": {"S": "b%d" % i}}}}
                                                 for i in range(min(n, 2000))]}}
        label = "big_collections:batch_write"
    elif r == 1:
        body = {"RequestItems": {table["name"]: {"Keys": [{"pk": {"S": "b%d" % (i % rng.choice([n, 3]))}}
                                                          for i in range(min(n, 2000))]}}}
        label = "big_collections:batch_get"
    elif r == 2:
        body = {"TransactItems": [{"Put": {"TableName": table["name"], "Item": {"pk": {"S": "t%d" % i}}}}
                                  for i in range(min(n, 2000))]}
        label = "big_collections:transact"
    elif r == 3:
        item = {"pk": {"S": "wide"}}
        item.update({"a%d" % i: {"N": str(i)} for i in range(min(n, 50000))})
        body = {"TableName": table["name"], "Item": item}
        label = "big_collections:attributes"
    elif r == 4:
        kind = rng.choice(["SS", "NS", "L"])
        values = ([str(i) for i in range(n)] if kind != "L" else [{"N": "1"}] * n)
        if kind != "L" and rng.random() < 0.3:
            values = values[:10] * 3  # duplicates in a set
        body = {"TableName": table["name"], "Item": {"pk": {"S": "big"}, "v": {kind: values}}}
        label = "big_collections:" + kind
    else:
        holder, parent, key = pick_slot(rng, body, lambda v: isinstance(v, list) and v)
        if isinstance(parent[key], list) and parent[key]:
            parent[key] = parent[key] * min(n, 5000)
            body = holder[0]
        label = "big_collections:repeat"
    return label, encode(body)


def mut_binary(rng, body, w):
    """Invalid base64 in B/BS values."""
    holder, slots = all_nodes(body)
    b_slots = [(p, k) for p, k in slots if isinstance(p, dict) and k in ("B", "BS")]
    bad = rng.choice(["!!!", "a", "ab", "abc", "abcde", "====", "YQ", "YQ=", "YQ===", "Y Q==", "YQ==\n", "",
                      "_-_-", "\u00e9", "A" * 1000001])
    if b_slots:
        parent, key = rng.choice(b_slots)
        parent[key] = bad if key == "B" else [bad, "YQ=="]
    else:
        parent, key = pick_slot(rng, body, is_av)[1:]
        parent[key] = {"B": bad}
    return "binary", encode(holder[0])


def mut_stacked(rng, body, w):
    """Two or three structural mutations on the same body."""
    labels = []
    for _ in range(rng.randint(2, 3)):
        fn = rng.choice([mut_type_swap, mut_numbers, mut_duplicate_keys, mut_empty_missing, mut_extra_fields,
                         mut_expression])
        label, payload = fn(rng, body, w)
        labels.append(label.split(":")[0])
        if len(payload) > 1 << 22:  # big enough already; re-parsing and growing it only burns time
            break
        try:
            body = json.loads(payload)  # continue from the mutated body (if it still parses)
        except ValueError:
            break
    return "stacked[%s]" % ",".join(labels), payload


# (function, weight): the share of requests each family gets among JSON-level mutations.
JSON_FAMILIES = [
    (mut_valid, 10), (mut_type_swap, 12), (mut_numbers, 8), (mut_deep_attribute, 2), (mut_deep_json, 2),
    (mut_long_string, 2), (mut_bad_utf8, 6), (mut_duplicate_keys, 5), (mut_empty_missing, 8),
    (mut_expression, 10), (mut_byte_flip, 8), (mut_extra_fields, 5), (mut_big_collections, 1),
    (mut_binary, 3), (mut_stacked, 5),
]


# --------------------------------------------------------------------------------------------
# Transport mutations: (rng, spec, worker) -> variant label. The spec is then rendered, sent on
# a fresh connection, half-closed, and every answer until the server closes is checked.
# --------------------------------------------------------------------------------------------

def tx_target(rng, spec, w):
    """Missing, garbled or repeated X-Amz-Target."""
    v = rng.randrange(3)
    if v == 0:
        spec.drop(b"X-Amz-Target")
        return "target:missing"
    value = rng.choice([b"", b"DynamoDB_20120810.", b"DynamoDB_20120810.NoSuchOp", b"dynamodb_20120810.ListTables",
                        b"DynamoDB_20111205.ListTables", b"DynamoDBStreams_20120810.PutItem",
                        b"DynamoDB_20120810.GetRecords", b"DynamoDB_20120810.ListTables ", b"ListTables",
                        b"DynamoDB_20120810.ListTables\x00", b"\xff\xfe", b"A" * 10000, b"DynamoDB_20120810.ListTables.",
                        b".", b"DynamoDB_20120810.listtables", b"DynamoDB_20120810.Query\xc3\xa9"])
    if v == 1:
        spec.set(b"X-Amz-Target", value)
        return "target:garbled"
    spec.headers.append((b"X-Amz-Target", value))
    return "target:repeated"


def tx_auth(rng, spec, w):
    """Missing or malformed Authorization, bad or stale X-Amz-Date, presigned-URL style."""
    v = rng.randrange(7)
    akid, date = w.signer.akid, amz_date_now()
    scope = "%s/%s/us-east-1/dynamodb/aws4_request" % (akid, date[:8])
    if v == 0:
        spec.auth = "omit"
        return "auth:missing"
    if v == 1:
        spec.auth = rng.choice([b"", b"AWS4-HMAC-SHA256", b"AWS4-HMAC-SHA256 ", b"Basic Zm9vOmJhcg==",
                                b"AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=",
                                b"AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f, SignedHeaders=host, Signature=0",
                                b"AWS4-HMAC-SHA256 Credential=//////aws4_request, SignedHeaders=;;;, Signature=",
                                ("AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=host;x-missing;;, Signature=00" %
                                 scope).encode(),
                                ("AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s" %
                                 (scope, ";".join(["x"] * 5000), "0" * 64)).encode(),
                                b"AWS4-HMAC-SHA256 " + b"Credential=x," * 5000,
                                b"AWS4-HMAC-SHA256 Credential=\xff\xfe/20200101/us-east-1/dynamodb/aws4_request, "
                                b"SignedHeaders=host, Signature=00"])
        return "auth:malformed"
    if v == 2:
        spec.auth = ("AWS4-HMAC-SHA256 Credential=nosuchkey/%s/us-east-1/dynamodb/aws4_request, "
                     "SignedHeaders=host;x-amz-date, Signature=%s" % (date[:8], "ab" * 32)).encode()
        return "auth:unknown_key"
    if v == 3:
        spec.amz_date = rng.choice([False, b"", b"20000101T000000Z", b"99991231T235959Z", b"garbage",
                                    b"20241301T256161Z", b"2024-01-01T00:00:00Z", b"99999999T999999Z",
                                    b"\xff" * 16, b"20240101T000000"])
        return "auth:date"
    if v == 4:  # the right key with a wrong signature
        spec.auth = ("AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=host;x-amz-date;x-amz-target, Signature=%s"
                     % (scope, rng.choice(["0" * 64, "", "zz", "0" * 100000]))).encode()
        return "auth:bad_signature"
    if v == 5:  # presigned-URL style: credentials in the query string, no Authorization header
        spec.auth = "omit"
        spec.path = ("/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%s&X-Amz-Date=%s&X-Amz-SignedHeaders=host"
                     "&X-Amz-Signature=%s" % (scope.replace("/", "%2F"), date, rng.choice(["00", "%zz", "%"]))).encode()
        return "auth:presigned"
    spec.headers.append((b"Authorization", b"AWS4-HMAC-SHA256 Credential=dup"))  # and the real one after it
    return "auth:repeated"


def tx_content_type(rng, spec, w):
    """Missing or wrong Content-Type."""
    if rng.random() < 0.3:
        spec.drop(b"Content-Type")
        return "content_type:missing"
    spec.set(b"Content-Type", rng.choice([b"text/plain", b"application/json", b"application/x-amz-json-1.1",
                                          b"application/x-amz-cbor-1.1", b"", b"\xff", b"multipart/form-data; boundary=x",
                                          b"application/x-amz-json-1.0; charset=latin-1", b"*/*"]))
    return "content_type:wrong"


def tx_content_length(rng, spec, w):
    """Content-Length larger or smaller than the body, malformed, repeated, or with chunking."""
    n = len(spec.body)
    v = rng.randrange(7)
    if v == 0:
        spec.content_length = str(n + rng.randint(1, 5000)).encode()
        return "content_length:longer"
    if v == 1:
        spec.content_length = str(rng.randrange(max(n, 1))).encode()
        return "content_length:shorter"
    if v == 2:
        spec.content_length = rng.choice([b"99999999999999999999", b"18446744073709551615", b"9223372036854775808",
                                          b"1073741824", b"16777217"])
        return "content_length:huge"
    if v == 3:
        spec.content_length = rng.choice([b"-1", b"abc", b"0x10", b" ", b"", b"1e3", b"+5", b"5 5", b"5,5",
                                          str(n).encode() + b"\x00", b"\xff"])
        return "content_length:malformed"
    if v == 4:
        spec.headers.append((b"Content-Length", str(n + rng.choice([0, 1, -1])).encode()))
        return "content_length:repeated"
    if v == 5:
        spec.content_length = False
        return "content_length:missing"
    spec.headers.append((b"Transfer-Encoding", b"chunked"))  # and a Content-Length
    spec.raw_body = chunked(rng, spec.body)
    return "content_length:with_chunked"


def chunked(rng, body, ext=b""):
    out, i = [], 0
    while i < len(body):
        size = rng.randint(1, max(1, len(body)))
        out.append(b"%x%s\r\n%s\r\n" % (len(body[i:i + size]), ext, body[i:i + size]))
        i += size
    return b"".join(out) + b"0\r\n\r\n"


def tx_chunked(rng, spec, w):
    """Chunked bodies: valid (must be served), with extensions and trailers, or broken chunk sizes."""
    spec.content_length = False
    spec.headers.append((b"Transfer-Encoding", b"chunked"))
    body = spec.body
    v = rng.randrange(6)
    if v == 0:
        spec.raw_body = chunked(rng, body)
        return "chunked:valid"
    if v == 1:
        spec.raw_body = chunked(rng, body, ext=rng.choice([b";a=b", b";" + b"x" * 100000, b" ; q"]))[:-2] + \
            rng.choice([b"", b"X-Trailer: 1\r\n", b"Content-Length: 5\r\n"]) + b"\r\n"
        return "chunked:extensions_trailers"
    if v == 2:
        size = rng.choice([b"zz", b"-1", b"ffffffffffffffffff", b"7fffffffffffffff", b"", b" 5", b"0x5", b"5\x00"])
        spec.raw_body = size + b"\r\n" + body + b"\r\n0\r\n\r\n"
        return "chunked:bad_size"
    if v == 3:
        spec.raw_body = b"%x\r\n" % (len(body) + rng.randint(1, 1000)) + body + b"\r\n0\r\n\r\n"
        return "chunked:size_too_big"
    if v == 4:
        spec.raw_body = b"%x\r\n" % max(0, len(body) - 1) + body + b"\r\n0\r\n\r\n"
        return "chunked:size_too_small"
    spec.drop(b"Transfer-Encoding")
    spec.headers.append((b"Transfer-Encoding", rng.choice([b"gzip, chunked", b"chunked, chunked", b"Chunked",
                                                            b"identity", b"xchunked", b"chunked, identity"])))
    spec.raw_body = chunked(rng, body)
    return "chunked:odd_encoding"


def tx_big_headers(rng, spec, w):
    """A 100 KB header, thousands of headers, a huge header name."""
    v = rng.randrange(3)
    if v == 0:
        spec.headers.append((b"X-Fuzz", b"v" * rng.choice([60000, 100000])))
        return "big_headers:one_big"
    if v == 1:
        spec.headers += [(b"X-Fuzz-%d" % i, b"v") for i in range(rng.choice([1000, 3000, 6000]))]
        return "big_headers:many"
    spec.headers.append((b"X" * 70000, b"v"))
    return "big_headers:long_name"


def tx_request_line(rng, spec, w):
    """Bad percent escapes and other odd targets, other methods, other HTTP versions, bare LFs."""
    v = rng.randrange(5)
    if v == 0:
        spec.path = rng.choice([b"/%zz", b"/%", b"/%4", b"/%4x", b"/%%41", b"/%00", b"/%ff%fe", b"/a/../..", b"//",
                                b"/?", b"/?a=%zz", b"/?%zz=1", b"/?a&&b==", b"*", b"http://localhost/", b"/%zz?x=%zz",
                                b"/%C0%AF", b"/" + b"a" * 10000, b"/%" + b"z" * 3, b"/%-1", b"/%+1", b"/%\xff\xff",
                                b"/?X-Amz-Signature=%zz", b"/#frag"])
        return "request_line:path"
    if v == 1:
        spec.method = rng.choice([b"GET", b"HEAD", b"PUT", b"DELETE", b"OPTIONS", b"PATCH", b"TRACE", b"post",
                                  b"P0ST", b"POST POST", b"\x00", b"CONNECT"])
        return "request_line:method"
    if v == 2:
        spec.version = rng.choice([b"HTTP/1.0", b"HTTP/1.2", b"HTTP/2.0", b"HTTP/0.9", b"HTTP/1.1x", b"", b"http/1.1",
                                   b"HTTP/11", b"HTTP/1.01"])
        if spec.version == b"HTTP/1.0" and rng.random() < 0.5:
            spec.headers.append((b"Connection", b"keep-alive"))
        return "request_line:version"
    if v == 3:
        spec.eol = rng.choice([b"\n", b"\r\r\n", b"\r"])
        return "request_line:line_endings"
    spec.prefix = rng.choice([b"\r\n", b"\r\n\r\n", b" ", b"\x00"])
    return "request_line:leading_bytes"


def tx_header_garbage(rng, spec, w):
    """Malformed header lines, obs-fold, odd Connection/Expect/Upgrade/Host headers."""
    v = rng.randrange(4)
    if v == 0:
        spec.extra_head = rng.choice([b"NoColon\r\n", b"Bad Name: v\r\n", b"Name : v\r\n", b": empty-name\r\n",
                                      b"X-A: b\r\n continued\r\n", b"X-\xff: v\r\n", b"X-A: \xff\xfe\r\n",
                                      b"X-A: a\x00b\r\n", b"X-A: a\x7fb\r\n", b"\r\n"])
        return "header_garbage:lines"
    if v == 1:
        spec.headers.append(rng.choice([(b"Connection", b"close"), (b"Connection", b"upgrade"),
                                        (b"Upgrade", b"h2c"), (b"Expect", b"100-continue"), (b"Expect", b"xyz"),
                                        (b"Connection", b"keep-alive, close"), (b"Content-Encoding", b"gzip"),
                                        (b"Accept-Encoding", b"gzip"), (b"X-Amz-Crc32", b"1")]))
        return "header_garbage:semantics"
    if v == 2:
        if rng.random() < 0.5:
            spec.drop(b"Host")
        else:
            spec.headers.append((b"Host", b"other"))
        return "header_garbage:host"
    spec.headers = [(n.upper() if rng.random() < 0.5 else n.lower(), v) for n, v in spec.headers]
    return "header_garbage:case"


def tx_partial(rng, spec, w):
    """A request cut short, random bytes, or a TLS hello, then end of input."""
    data = spec.render(w.signer)
    v = rng.randrange(4)
    if v == 0:
        spec.override = data[:rng.randrange(len(data))]
        return "partial:cut"
    if v == 1:
        spec.override = b""
        return "partial:nothing"
    if v == 2:
        spec.override = os.urandom(rng.randint(1, 300))
        return "partial:random"
    spec.override = bytes.fromhex("16030100a5010000a10303") + os.urandom(64)
    return "partial:tls_hello"


def tx_oversize(rng, spec, w):
    """Bodies beyond --max-body (16 MiB by default): must get DynamoDB's 413 JSON answer."""
    if rng.random() < 0.95:  # announced only: the server refuses from the header alone
        spec.content_length = str(rng.choice([(1 << 24) + 1, 1 << 30, 1 << 40])).encode()
        return "oversize:announced"
    spec.raw_body = b"{" + b" " * (17 << 20) + b"}"
    return "oversize:real"


def tx_pipeline(rng, spec, w):
    """Several requests (valid or JSON-mutated) written at once on one connection."""
    return "pipeline"  # built by the worker, which needs to generate several requests


# (function, weight) among transport-level mutations.
TRANSPORT_FAMILIES = [
    (tx_target, 4), (tx_auth, 5), (tx_content_type, 2), (tx_content_length, 5), (tx_chunked, 4),
    (tx_pipeline, 5), (tx_big_headers, 0.5), (tx_request_line, 5), (tx_header_garbage, 4), (tx_partial, 2),
    (tx_oversize, 0.3),
]
TRANSPORT_SHARE = 0.25  # of all requests


# --------------------------------------------------------------------------------------------
# Worker process
# --------------------------------------------------------------------------------------------

C_REQUESTS, C_HANGS, C_BAD, C_INTERNAL = range(4)
N_COUNTERS = 4


def parse_endpoint(url):
    m = re.match(r"https?://([^:/]+):(\d+)", url)
    if not m:
        raise SystemExit("bad endpoint %r" % url)
    return m.group(1), int(m.group(2))


def filter_families(families, only, skip):
    out = [(f, wt) for f, wt in families
           if (not only or any(f.__name__.split("_", 1)[1].startswith(o) for o in only))
           and not any(f.__name__.split("_", 1)[1].startswith(s) for s in skip)]
    return out


class Worker:
    def __init__(self, index, cfg, counters, findings, stop):
        self.index = index
        self.cfg = cfg
        self.rng = random.Random("%s-%d-%d" % (cfg["seed"], cfg["generation"], index))
        self.addr = parse_endpoint(cfg["endpoint"])
        self.host = ("%s:%d" % self.addr).encode()
        self.world = cfg["world"]
        self.tables = self.world["tables"]
        self.signer = Signer(*cfg["credentials"])
        self.counters = counters
        self.base = index * N_COUNTERS
        self.findings = findings
        self.stop = stop
        self.timeout = cfg["timeout"]
        self.ring = collections.deque(maxlen=RING_SIZE)
        self.seen = collections.Counter()  # finding signatures already reported (a few examples each)
        self.conn = None
        self.json_families = filter_families(JSON_FAMILIES, cfg["only"], cfg["skip"]) or [(mut_valid, 1)]
        self.transport_families = filter_families(TRANSPORT_FAMILIES, cfg["only"], cfg["skip"])
        self.op_weights = [op.weight for op in OPERATIONS]
        self.json_weights = [wt for _, wt in self.json_families]
        self.transport_weights = [wt for _, wt in self.transport_families]
        self.stream = {"at": 0}
        self.local = [0] * N_COUNTERS
        self.valid_stats = collections.Counter()  # (operation, "200" or error type) of valid requests

    # -- world state helpers used by the generators
    def table(self):
        return self.rng.choice(self.tables)

    def refresh_stream(self):
        """Looks the stream of fz-stream up again (its ARN changes if a mutation re-enabled it)."""
        if time.monotonic() - self.stream["at"] < 30:
            return
        self.stream["at"] = time.monotonic()
        try:
            _, doc = api_call(self.cfg["endpoint"], self.signer, STREAMS + "ListStreams", {"TableName": "fz-stream"})
            arn = doc["Streams"][0]["StreamArn"]
            _, doc = api_call(self.cfg["endpoint"], self.signer, STREAMS + "DescribeStream", {"StreamArn": arn})
            shard = doc["StreamDescription"]["Shards"][0]
            _, doc = api_call(self.cfg["endpoint"], self.signer, STREAMS + "GetShardIterator",
                              {"StreamArn": arn, "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON"})
            self.stream.update(arn=arn, shard=shard["ShardId"],
                               seq=shard["SequenceNumberRange"]["StartingSequenceNumber"], it=doc["ShardIterator"])
        except Exception:  # the stream is gone for now; keep whatever we had
            pass

    def stream_arn(self):
        self.refresh_stream()
        return self.stream.get("arn", self.world["arn_prefix"] + "fz-stream/stream/2020-01-01T00:00:00.000")

    def shard_id(self):
        self.refresh_stream()
        return self.stream.get("shard", "shardId-00000000000000000000-00000000")

    def sequence_number(self):
        self.refresh_stream()
        return self.stream.get("seq", "000000000000000000001")

    def shard_iterator(self):
        self.refresh_stream()
        return self.stream.get("it", "x" * 40)

    # -- building requests
    def valid_request(self):
        op = self.rng.choices(OPERATIONS, self.op_weights)[0]
        return op, op.gen(self)

    def json_request(self):
        op, body = self.valid_request()
        family = self.rng.choices(self.json_families, self.json_weights)[0][0]
        label, payload = family(self.rng, body, self)
        return op, label, payload

    def count(self, slot, n=1):
        self.local[slot] += n
        self.counters[self.base + slot] = self.local[slot]

    def report(self, kind, label, op, data, detail):
        """Counts a finding; sends the first few examples of each distinct one to the main process."""
        self.count({"hang": C_HANGS, "bad": C_BAD, "internal": C_INTERNAL}[kind])
        sig = finding_signature(kind, label, op, detail)
        self.seen[sig] += 1
        if self.seen[sig] <= 2:
            self.findings.put(("finding", kind, sig, label, op, data[:40 << 20], detail, self.cfg["auth"]))

    # -- sending
    def connection(self):
        if self.conn is None:
            self.conn = Conn(self.addr, self.timeout)
        return self.conn

    def drop_connection(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def server_alive(self):
        try:
            c = Conn(self.addr, 3)
            c.send(b"GET /_localddb/health HTTP/1.1\r\nHost: x\r\n\r\n")
            a = c.read_answer(time.monotonic() + 5)
            c.close()
            return a is not None and a.status == 200
        except (OSError, Hang, Malformed):
            return False

    def connection_trouble(self, label, op, data, detail):
        """Something ended a connection badly: a finding if the server still runs; otherwise the
        main process handles the crash and we wait to be stopped."""
        time.sleep(0.2)
        if self.stop.is_set() or not self.server_alive():
            self.stop.wait(60)
            return
        self.report("bad", label, op, data, detail)

    def json_exchange(self):
        """One JSON-mutated request on the keep-alive connection; exactly one answer expected."""
        op, label, payload = self.json_request()
        spec = Spec(self.host, op.target, payload)
        data = spec.render(self.signer)
        self.ring.append((time.time(), label, op.name, data))
        self.count(C_REQUESTS)
        try:
            conn = self.connection()
            conn.send(data)
            answer = conn.read_answer(time.monotonic() + self.timeout)
        except Hang as e:
            self.drop_connection()
            return self.report("hang", label, op.name, data, str(e))
        except Malformed as e:
            self.drop_connection()
            return self.report("bad", label, op.name, data, str(e))
        except OSError as e:
            self.drop_connection()
            return self.connection_trouble(label, op.name, data, "connection error: %s" % e)
        if answer is None:
            self.drop_connection()
            return self.connection_trouble(label, op.name, data, "connection closed without an answer")
        verdict = judge(answer)
        if verdict:
            self.report(verdict[0], label, op.name, data, verdict[1])
        elif label == "valid":  # how valid requests fare: a check on the generators themselves
            kind = "200"
            if answer.status != 200:
                try:
                    kind = json.loads(answer.body)["__type"].split("#")[1]
                except (ValueError, KeyError, IndexError):
                    kind = str(answer.status)
            self.valid_stats[(op.name, kind)] += 1
        if (answer.header("connection") or b"").lower() == b"close":
            self.drop_connection()

    def transport_exchange(self):
        """One transport-mutated exchange on a fresh connection, half-closed after sending: every
        answer until the server closes must be acceptable, and the close must come in time."""
        family = self.rng.choices(self.transport_families, self.transport_weights)[0][0]
        expected = None
        # Labels name the JSON mutations inside too: "pipeline[valid,deep_json:array]",
        # "chunked:valid[byte_flip]" (see label_families).
        if family is tx_pipeline:
            n = self.rng.randint(2, 16)
            parts, ops, inner = [], [], []
            for _ in range(n):
                if self.rng.random() < 0.5:
                    op, json_label, payload = self.json_request()
                else:
                    op, body = self.valid_request()
                    json_label, payload = "valid", encode(body)
                parts.append(Spec(self.host, op.target, payload).render(self.signer))
                ops.append(op.name)
                inner.append(json_label)
            label = "pipeline[%s]" % ",".join(inner)
            data, op_name, expected, method = b"".join(parts), ",".join(ops[:3]), n, b"POST"
        else:
            op, body = self.valid_request()
            json_label = "valid"
            if self.rng.random() < 0.3:
                json_label, payload = self.rng.choices(self.json_families, self.json_weights)[0][0](
                    self.rng, body, self)
            else:
                payload = encode(body)
            spec = Spec(self.host, op.target, payload)
            label = family(self.rng, spec, self) + "[%s]" % json_label
            data = spec.override if spec.override is not None else spec.render(self.signer)
            op_name, method = op.name, spec.method
            if label.startswith("chunked:valid"):
                expected = 1
        self.ring.append((time.time(), label, op_name, data))
        self.count(C_REQUESTS, expected or 1)
        conn = None
        answers = []
        try:
            conn = Conn(self.addr, self.timeout)
            deadline = time.monotonic() + self.timeout
            conn.send(data, half_close=True)
            reported = False
            while True:
                answer = conn.read_answer(deadline, head_request=(method == b"HEAD"))
                if answer is None:
                    break
                answers.append(answer)
                verdict = judge(answer, transport=True, method=method)
                if verdict and not reported:
                    self.report(verdict[0], label, op_name, data, verdict[1])
                    reported = True
                if (answer.header("connection") or b"").lower() == b"close":
                    expected = None  # e.g. after a 413: the rest of the pipeline is not read
                if method == b"HEAD":
                    extra = conn.drain(deadline)
                    if extra:  # RFC 9110 9.3.2: an answer to HEAD has no content
                        self.report("bad", label, op_name, data,
                                    "answer to HEAD followed by %d bytes of content: %r" % (len(extra), extra[:60]))
                    break
        except Hang as e:
            self.report("hang", label, op_name, data, "%s (after %d answers)" % (e, len(answers)))
            expected = None  # already reported
        except Malformed as e:
            self.report("bad", label, op_name, data, str(e))
        except OSError as e:
            self.connection_trouble(label, op_name, data, "connection error: %s" % e)
        finally:
            if conn:
                conn.close()
        if expected and len(answers) != expected and not (conn and conn.reset) and not self.stop.is_set():
            if self.server_alive():
                self.report("bad", label, op_name, data, "%d answers to %d requests" % (len(answers), expected))

    def run(self, budget, deadline):
        try:
            while budget > 0 and time.time() < deadline and not self.stop.is_set():
                before = self.local[C_REQUESTS]
                if self.transport_families and self.rng.random() < TRANSPORT_SHARE:
                    self.transport_exchange()
                else:
                    self.json_exchange()
                budget -= self.local[C_REQUESTS] - before
        finally:
            self.drop_connection()
            self.findings.put(("stats", dict(self.valid_stats)))
            if self.stop.is_set() and self.cfg.get("ring_path"):
                write_frames(self.cfg["ring_path"] % self.index, list(self.ring))


def worker_main(index, cfg, counters, findings, stop, budget, deadline):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    faulthandler.register(signal.SIGUSR1)  # the main process asks a stuck worker where it is
    try:
        Worker(index, cfg, counters, findings, stop).run(budget, deadline)
    except Exception:  # a bug of the fuzzer itself: say so, but let the others go on
        import traceback
        traceback.print_exc()
    findings.put(("done", index))



def label_families(label):
    """The mutation families named in a label: "pipeline[valid,deep_json:array]" ->
    ["pipeline", "valid", "deep_json"]."""
    return re.findall(r"(?:^|[\[,])([a-z_0-9]+)", label)


def finding_signature(kind, label, op, detail):
    """What makes two findings the same defect: the kind and the symptom (the answer's first
    words, with numbers, quoted values and bytes masked); for hangs and connection trouble also
    the mutation family, since the symptom says little there."""
    status, rest = (detail[:4], detail[4:]) if re.match(r"\d{3} ", detail) else ("", detail)
    masked = re.sub(r"b'.*|b\".*", "", rest[:200])
    masked = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", masked)
    masked = re.sub(r"(0x)?[0-9a-f]*\d[0-9a-f]*", "N", masked)
    masked = status + re.sub(r"\(.*?\)", "(…)", masked)
    if kind == "hang" or "connection" in masked or "answers to" in masked:
        return "%s|%s|%s" % (kind, label.split(":")[0], masked)
    return "%s|%s" % (kind, masked)


# --------------------------------------------------------------------------------------------
# Frames: a list of (time, label, op, bytes) written to disk and read back for replay
# --------------------------------------------------------------------------------------------

def write_frames(path, entries):
    with open(path, "wb") as f:
        for t, label, op, data in entries:
            meta = json.dumps({"time": t, "label": label, "op": op, "length": len(data)}).encode()
            f.write(meta + b"\n" + data + b"\n")


def read_frames(path):
    out = []
    with open(path, "rb") as f:
        while True:
            meta = f.readline()
            if not meta:
                break
            m = json.loads(meta)
            data = f.read(m["length"])
            f.read(1)
            out.append((m["time"], m["label"], m["op"], data))
    return out


# --------------------------------------------------------------------------------------------
# Server control, setup and health (main process)
# --------------------------------------------------------------------------------------------

def api_call(endpoint, signer, target, body, timeout=10):
    """A plain, valid API call; (status, parsed body)."""
    addr = parse_endpoint(endpoint)
    conn = Conn(addr, timeout)
    try:
        conn.send(Spec(("%s:%d" % addr).encode(), target, encode(body)).render(signer))
        answer = conn.read_answer(time.monotonic() + timeout)
    finally:
        conn.close()
    if answer is None:
        raise OSError("no answer to " + target)
    return answer.status, json.loads(answer.body)


class Server:
    """A localddb process we started: its endpoint, and its stderr in a file (ASan reports)."""

    def __init__(self, binary, auth, out_dir, tag):
        self.binary, self.auth = binary, auth
        self.args = [binary, "--in-memory", "--port", "0", "--log-level", "error"]
        if auth == "sigv4":
            self.args += ["--auth", "sigv4", "--credentials", "%s:%s" % SIGV4_KEY]
        self.stderr_path = os.path.join(out_dir, "server-%s.stderr" % tag)
        self.stderr = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=self.stderr)
        deadline = time.time() + 30
        while time.time() < deadline:
            line = self.proc.stdout.readline().decode(errors="replace")
            if line.startswith("localddb listening on "):
                self.endpoint = line.split(" on ", 1)[1].strip()
                return
            if not line and self.proc.poll() is not None:
                break
        self.proc.kill()
        raise SystemExit("localddb did not start: %s" % " ".join(self.args))

    def dead(self):
        return self.proc.poll() is not None

    def describe_exit(self):
        rc = self.proc.returncode
        if rc is None:
            return "running"
        if rc < 0:
            try:
                return "killed by signal %d (%s)" % (-rc, signal.Signals(-rc).name)
            except ValueError:
                return "killed by signal %d" % -rc
        return "exited with status %d" % rc

    def stderr_tail(self, n=40):
        self.stderr.flush()
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read()[-8000:].decode(errors="replace").splitlines()[-n:]
        except OSError:
            return []

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()


def credentials_for(auth, cfg_credentials):
    if auth == "sigv4":
        return cfg_credentials or SIGV4_KEY
    return ("local", "local")


def create_setup_table(endpoint, signer, spec):
    defs = dict(spec["keys"])
    for _, keys in spec.get("gsi", []) + spec.get("lsi", []):
        defs.update(dict(keys))
    body = {"TableName": spec["name"], "KeySchema": key_schema(spec["keys"]), "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in defs.items()]}
    if spec.get("gsi"):
        body["GlobalSecondaryIndexes"] = [{"IndexName": n, "KeySchema": key_schema(k),
                                           "Projection": {"ProjectionType": "ALL"}} for n, k in spec["gsi"]]
    if spec.get("lsi"):
        body["LocalSecondaryIndexes"] = [{"IndexName": n, "KeySchema": key_schema(k),
                                          "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]}}
                                         for n, k in spec["lsi"]]
    if spec.get("stream"):
        body["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": spec["stream"]}
    status, doc = api_call(endpoint, signer, DYNAMO + "CreateTable", body)
    if status != 200:
        raise SystemExit("setup: CreateTable %s failed: %s" % (spec["name"], doc))
    rng = random.Random(spec["name"])
    for _ in range(3):
        requests = [{"PutRequest": {"Item": rand_item(rng, spec)}} for _ in range(20)]
        unique = {json.dumps({n: r["PutRequest"]["Item"][n] for n, _ in spec["keys"]}, sort_keys=True): r
                  for r in requests}
        api_call(endpoint, signer, DYNAMO + "BatchWriteItem", {"RequestItems": {spec["name"]: list(unique.values())}})
    return doc["TableDescription"]["TableArn"]


def setup(endpoint, signer):
    """Creates the tables mutated requests will hit (hash only, hash+range, GSI+LSI, stream,
    binary keys), with some items; returns the world description given to workers."""
    arn = None
    for spec in SETUP_TABLES:
        status, doc = api_call(endpoint, signer, DYNAMO + "DescribeTable", {"TableName": spec["name"]})
        if status == 200:
            arn = doc["Table"]["TableArn"]
        else:
            arn = create_setup_table(endpoint, signer, spec)
    return {"tables": SETUP_TABLES, "arn_prefix": arn.rsplit("/", 1)[0] + "/"}


def repair(endpoint, signer):
    """Puts back what mutated requests may legitimately have broken: setup tables deleted or their
    stream disabled, and too many stray tables from mutated CreateTable calls."""
    for spec in SETUP_TABLES:
        status, doc = api_call(endpoint, signer, DYNAMO + "DescribeTable", {"TableName": spec["name"]})
        if status != 200:
            create_setup_table(endpoint, signer, spec)
        elif spec.get("stream") and not doc["Table"].get("StreamSpecification", {}).get("StreamEnabled"):
            api_call(endpoint, signer, DYNAMO + "UpdateTable", {"TableName": spec["name"], "StreamSpecification": {
                "StreamEnabled": True, "StreamViewType": spec["stream"]}})
    names, start = [], None
    while True:
        body = {"ExclusiveStartTableName": start} if start else {}
        status, doc = api_call(endpoint, signer, DYNAMO + "ListTables", body)
        if status != 200:
            break
        names += doc.get("TableNames", [])
        start = doc.get("LastEvaluatedTableName")
        if not start:
            break
    keep = {s["name"] for s in SETUP_TABLES} | set(SCRATCH)
    for name in names:
        if name not in keep:
            api_call(endpoint, signer, DYNAMO + "UpdateTable", {"TableName": name, "DeletionProtectionEnabled": False})
            api_call(endpoint, signer, DYNAMO + "DeleteTable", {"TableName": name})


def health_ok(endpoint, timeout):
    try:
        conn = Conn(parse_endpoint(endpoint), timeout)
        conn.send(b"GET /_localddb/health HTTP/1.1\r\nHost: fuzz\r\n\r\n")
        answer = conn.read_answer(time.monotonic() + timeout)
        conn.close()
        return answer is not None and answer.status == 200 and json.loads(answer.body).get("status") == "ok"
    except (OSError, Hang, Malformed, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# Slowloris: a few connections sending their request one byte at a time (main-process threads)
# --------------------------------------------------------------------------------------------

class Slowloris(threading.Thread):
    def __init__(self, index, endpoint, signer, timeout, results, stop_at, stop_event):
        super().__init__(daemon=True)
        self.index, self.endpoint, self.signer, self.timeout = index, endpoint, signer, timeout
        self.results, self.stop_at, self.stop_event = results, stop_at, stop_event
        self.rng = random.Random(index)

    def run(self):
        addr = parse_endpoint(self.endpoint)
        while not self.stop_event.is_set() and time.time() < self.stop_at - 5:
            data = Spec(("%s:%d" % addr).encode(), DYNAMO + "ListTables", b"{}").render(self.signer)
            try:
                conn = Conn(addr, self.timeout)
                # A header byte about every second (faster after the first 60, so that a run of
                # a few minutes still completes some); the body in one go.
                head_end = data.index(b"\r\n\r\n") + 4
                for i in range(head_end):
                    if self.stop_event.is_set() or time.time() > self.stop_at - 2:
                        conn.close()
                        return
                    conn.send(data[i:i + 1])
                    time.sleep(self.rng.uniform(0.5, 1.5) if i < 60 else self.rng.uniform(0.05, 0.3))
                conn.send(data[head_end:])
                answer = conn.read_answer(time.monotonic() + self.timeout)
                conn.close()
                # The server cuts off a header that takes longer than --request-timeout (10 s) to
                # arrive: closing the connection is that defence working (nginx does the same).
                # An answer, if one comes, must be a proper one.
                verdict = judge(answer) if answer else None
                self.results.append((verdict, data))
            except Hang as e:
                self.results.append((("hang", "slowloris request: %s" % e), data))
            except Malformed as e:
                self.results.append((("bad", "slowloris request: %s" % e), data))
            except OSError:
                self.results.append((None, data))  # reset by the server: cut off, as above


# --------------------------------------------------------------------------------------------
# Crash triage and replay
# --------------------------------------------------------------------------------------------

def split_pipeline(entry):
    """The single requests of a pipelined entry, as entries labelled with their own mutation."""
    t, label, ops, data = entry
    marker = b"POST / HTTP/1.1\r\nHost: "
    parts = [marker + p for p in data.split(marker)[1:]]
    labels = label[len("pipeline["):-1].split(",")
    if len(labels) != len(parts):
        labels = ["pipeline-part"] * len(parts)
    return [(t - i * 1e-3, labels[i], "pipelined", p) for i, p in enumerate(parts)]


def resign(data, signer):
    """The request with X-Amz-Date set to now and signed again (a saved sigv4 reproducer is only
    accepted for 15 minutes otherwise). Requests that are not plain enough are left as they are."""
    head, sep, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    request_line = lines[0].split(b" ")
    if not sep or len(request_line) != 3 or not any(l.lower().startswith(b"x-amz-date:") for l in lines):
        return data
    headers = [tuple(x.strip() for x in l.split(b":", 1)) for l in lines[1:] if b":" in l]
    headers = [(n, v) for n, v in headers if n.lower() not in (b"authorization", b"x-amz-date")]
    date = amz_date_now().encode()
    signed = headers + [(b"X-Amz-Date", date)]
    length = dict((n.lower(), v) for n, v in headers).get(b"content-length")
    signed_body = body[:int(length)] if length and length.isdigit() else body
    auth = signer.authorization(request_line[0], request_line[1], signed, signed_body, date.decode())
    out = [lines[0]] + [n + b": " + v for n, v in signed] + [b"Authorization: " + auth]
    return b"\r\n".join(out) + b"\r\n\r\n" + body


def replay_one(endpoint, data, timeout):
    """Sends raw bytes on a fresh connection, half-closes, returns the answers' first lines."""
    out = []
    try:
        conn = Conn(parse_endpoint(endpoint), timeout)
        conn.send(data, half_close=True)
        deadline = time.monotonic() + timeout
        while True:
            answer = conn.read_answer(deadline)
            if answer is None:
                break
            out.append("%d %s" % (answer.status, answer.body[:300].decode("utf-8", "replace")))
        conn.close()
    except Hang:
        out.append("HANG: no answer or close within %ds" % timeout)
    except (OSError, Malformed) as e:
        out.append("connection error: %s" % e)
    return out


def triage(binary, auth, out_dir, entries, timeout):
    """Replays recent requests one at a time, in the given order, against fresh servers; returns
    the first entry that kills a server on its own, with the exit description."""
    server = None
    try:
        for entry in entries:
            if server is None or server.dead():
                if server:
                    server.stop()
                server = Server(binary, auth, out_dir, "triage")
                setup(server.endpoint, Signer(*credentials_for(auth, None)))
            replay_one(server.endpoint, entry[3], timeout)
            for _ in range(5):
                if server.dead():
                    break
                time.sleep(0.02)
            if server.dead():
                return entry, server.describe_exit()
        return None, None
    finally:
        if server:
            server.stop()


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

class Findings:
    """Distinct findings, each saved once as OUT/repro-<kind>-<n>.bin (+ .txt)."""

    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.by_sig = {}
        self.counter = collections.Counter()

    def add(self, kind, sig, label, op, data, detail, auth):
        if sig in self.by_sig:
            return
        self.counter[kind] += 1
        name = "repro-%s-%d" % (kind, self.counter[kind])
        path = os.path.join(self.out_dir, name + ".bin")
        with open(path, "wb") as f:
            f.write(data)
        with open(os.path.join(self.out_dir, name + ".txt"), "w") as f:
            f.write("kind: %s\nmutation: %s\noperation: %s\nserver auth: %s\ndetail: %s\nrequest bytes: %d\n" %
                    (kind, label, op, auth, detail, len(data)))
        self.by_sig[sig] = (path, kind, label, op, detail, auth)
        print("  NEW %s [%s %s, auth %s] %s -> %s" % (kind.upper(), label, op, auth, detail[:200], path), flush=True)


def run_generation(args, gen, servers, endpoints, findings, totals, deadline, budget, slow_results, totals_valid):
    """One run of the workers against the current servers; returns the dead Server, if any."""
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    q = ctx.Queue()
    counters = ctx.Array("q", args.workers * N_COUNTERS, lock=False)
    worlds = {}
    for auth, endpoint in endpoints.items():
        signer = Signer(*credentials_for(auth, args.credentials))
        worlds[auth] = setup(endpoint, signer)
    procs = []
    auths = list(endpoints)
    for i in range(args.workers):
        auth = auths[i % len(auths)]
        cfg = {"seed": args.seed, "generation": gen, "endpoint": endpoints[auth], "auth": auth,
               "credentials": credentials_for(auth, args.credentials), "world": worlds[auth],
               "timeout": args.timeout, "only": args.only, "skip": args.skip,
               "ring_path": os.path.join(args.out, "ring-g%d-w%%d.frames" % gen)}
        share = budget // args.workers + (1 if i < budget % args.workers else 0)
        p = ctx.Process(target=worker_main, args=(i, cfg, counters, q, stop, share, deadline), daemon=True)
        p.start()
        procs.append(p)
    slow_stop = threading.Event()
    slowloris = [Slowloris(i + gen * 100, endpoints[auths[i % len(auths)]],
                           Signer(*credentials_for(auths[i % len(auths)], args.credentials)), args.timeout,
                           slow_results, deadline, slow_stop) for i in range(args.slowloris)]
    for s in slowloris:
        s.start()
    dead = None
    done = set()
    last_health = last_repair = last_progress = time.time()
    next_health_count = args.health_every
    started = time.time()

    def total(slot):
        return sum(counters[i * N_COUNTERS + slot] for i in range(args.workers))

    def drain_queue():
        while True:
            try:
                msg = q.get_nowait()
            except queue.Empty:
                return
            if msg[0] == "done":
                done.add(msg[1])
            elif msg[0] == "stats":
                totals_valid.update(msg[1])
            else:
                findings.add(*msg[1:])

    try:
        while len(done) < args.workers:
            time.sleep(0.2)
            drain_queue()
            if not any(p.is_alive() for p in procs):
                drain_queue()
                break
            for s in servers.values():
                if s.dead():
                    dead = s
            if dead:
                break
            now = time.time()
            n = total(C_REQUESTS)
            if n >= next_health_count or now - last_health > 5:  # every few thousand requests
                next_health_count = n + args.health_every
                last_health = now
                for auth, endpoint in endpoints.items():
                    if not health_ok(endpoint, args.timeout):
                        if auth in servers and servers[auth].dead():
                            dead = servers[auth]
                        elif auth in servers:
                            totals["hangs"] += 1
                            print("  HANG: /_localddb/health did not answer 200 within %ds (auth %s)"
                                  % (args.timeout, auth), flush=True)
                        else:  # --endpoint: nothing to watch but the health check
                            dead = auth
                if dead:
                    break
            if now - last_repair > 10:
                last_repair = now
                for auth, endpoint in endpoints.items():
                    try:
                        repair(endpoint, Signer(*credentials_for(auth, args.credentials)))
                    except (OSError, Hang, Malformed, ValueError, KeyError):
                        pass
            if now - last_progress > 10:
                last_progress = now
                rate = (totals["requests"] + n) / max(1e-9, now - totals["t0"])
                print("  %5.0fs  %d requests (%.0f/s), %d hangs, %d bad answers, %d internal errors" % (
                    now - totals["t0"], totals["requests"] + n, rate, totals["hangs"] + total(C_HANGS),
                    totals["bad"] + total(C_BAD), totals["internal"] + total(C_INTERNAL)), flush=True)
            if time.time() > deadline + 3 * args.timeout + 10:
                print("  workers did not finish in time; stopping them (their stacks follow)", flush=True)
                for p in procs:
                    if p.is_alive():
                        os.kill(p.pid, signal.SIGUSR1)
                time.sleep(1)
                break
    except KeyboardInterrupt:
        print("  interrupted", flush=True)
        totals["interrupted"] = True
    finally:
        stop.set()
        slow_stop.set()
        for p in procs:
            p.join(20)
            if p.is_alive():
                p.terminate()
                p.join()
        drain_queue()
        totals["requests"] += total(C_REQUESTS)
        totals["hangs"] += total(C_HANGS)
        totals["bad"] += total(C_BAD)
        totals["internal"] += total(C_INTERNAL)
        totals["seconds"] += time.time() - started
    return dead


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--endpoint", help="fuzz a running server, e.g. http://127.0.0.1:8000")
    where.add_argument("--binary", help="start localddb from this binary (--in-memory --port 0) and watch it")
    ap.add_argument("--seconds", type=float, help="run this long (default 60 unless --requests is given)")
    ap.add_argument("--requests", type=int, help="stop after this many requests")
    ap.add_argument("--seed", default=str(int(time.time())), help="random seed (runs are reproducible per worker)")
    ap.add_argument("--workers", type=int, default=max(1, os.cpu_count() or 1), help="fuzzing processes")
    ap.add_argument("--auth", choices=["none", "sigv4", "both"], default=None,
                    help="server auth mode: with --binary 'both' (default) starts one server of each kind; "
                         "with --endpoint say what the server uses (default none)")
    ap.add_argument("--credentials", help="AKID:SECRET to sign with for --endpoint with --auth sigv4")
    ap.add_argument("--timeout", type=float, default=10, help="seconds an answer may take before it is a hang")
    ap.add_argument("--slowloris", type=int, default=2, help="concurrent slowloris connections")
    ap.add_argument("--health-every", type=int, default=3000, help="health check every this many requests")
    ap.add_argument("--out", default="protocol-fuzz-out", help="directory for reproducers and logs")
    ap.add_argument("--keep-going", action="store_true",
                    help="after a crash, triage it, restart the server and continue without the culprit's mutation family")
    ap.add_argument("--only", default="", help="comma-separated mutation families to use (e.g. deep_json,chunked)")
    ap.add_argument("--skip", default="", help="comma-separated mutation families to leave out")
    ap.add_argument("--replay", nargs="+", metavar="FILE", help="send these raw request files and report")
    args = ap.parse_args()
    args.only = [s for s in args.only.split(",") if s]
    args.skip = [s for s in args.skip.split(",") if s]
    if args.credentials:
        args.credentials = tuple(args.credentials.split(":", 1))
    if args.seconds is None and args.requests is None:
        args.seconds = 60
    os.makedirs(args.out, exist_ok=True)
    auth = args.auth or ("both" if args.binary else "none")
    modes = ["none", "sigv4"] if auth == "both" else [auth]
    if args.endpoint and len(modes) > 1:
        raise SystemExit("--auth both needs --binary")

    if args.replay:
        return replay_main(args, modes)

    print("protocol fuzz: seed %s, %d workers, auth %s, out %s" % (args.seed, args.workers, "+".join(modes),
                                                                   args.out), flush=True)
    totals = collections.Counter(t0=time.time())
    findings = Findings(args.out)
    crashes = []
    slow_results = []
    valid_stats = collections.Counter()
    deadline = time.time() + args.seconds if args.seconds else float("inf")
    budget_total = args.requests or (1 << 62)
    gen = 0
    while True:
        servers = {m: Server(args.binary, m, args.out, m) for m in modes} if args.binary else {}
        endpoints = {m: s.endpoint for m, s in servers.items()} if servers else {modes[0]: args.endpoint}
        dead = None
        try:
            dead = run_generation(args, gen, servers, endpoints, findings, totals, deadline,
                                  budget_total - totals["requests"], slow_results, valid_stats)
        finally:
            if isinstance(dead, Server):
                time.sleep(0.3)
                record_crash(args, gen, dead, crashes)
            elif dead:
                crashes.append({"exit": "endpoint %s stopped answering" % args.endpoint})
                print("  CRASH? the endpoint stopped answering", flush=True)
            for s in servers.values():
                s.stop()
        gen += 1
        if not dead or not args.keep_going or not args.binary or totals.get("interrupted"):
            break
        if time.time() >= deadline or totals["requests"] >= budget_total:
            break
        # Keep going past a known crash: leave its mutation family out, or it would crash every
        # restarted server within seconds and hide everything else.
        # The JSON families named in the culprit's label, else its transport family.
        families = crashes[-1].get("families", []) if crashes else []
        json_names = {f.__name__[4:] for f, _ in JSON_FAMILIES}
        quarantine = [f for f in families if f in json_names and f != "valid"] or \
            [f for f in families[:1] if f not in json_names]
        for family in quarantine:
            if family not in args.skip:
                print("  --keep-going: leaving out the '%s' family from now on" % family, flush=True)
                args.skip.append(family)

    for verdict, data in slow_results:
        if verdict:
            totals[{"hang": "hangs", "bad": "bad", "internal": "internal"}[verdict[0]]] += 1
            findings.add(verdict[0], "slowloris|" + verdict[1], "slowloris", "ListTables", data, verdict[1], "?")
    totals["requests"] += len(slow_results)

    print("\nunmutated requests per operation: share answered 200, and the most common errors")
    for op in OPERATIONS:
        answers = {k: n for (o, k), n in valid_stats.items() if o == op.name}
        total_n = sum(answers.values())
        if total_n:
            errors = sorted(((n, k) for k, n in answers.items() if k != "200"), reverse=True)[:3]
            print("  %-20s %6d  %3.0f%% ok  %s" % (op.name, total_n, 100.0 * answers.get("200", 0) / total_n,
                                                  ", ".join("%s %d" % (k, n) for n, k in errors)))
    elapsed = time.time() - totals["t0"]
    print("\n%d distinct findings:" % (len(findings.by_sig) + len(crashes)))
    for c in crashes:
        print("  CRASH %s: %s" % (c["exit"], c.get("repro", "not reproduced by a single request")))
    for sig, (path, kind, label, op, detail, auth_mode) in findings.by_sig.items():
        print("  %s [%s %s, auth %s] %s -> %s" % (kind, label, op, auth_mode, detail[:160], path))
    print("%.0f s, %.0f requests/s, %d slowloris requests" % (elapsed, totals["requests"] / max(elapsed, 1e-9),
                                                               len(slow_results)))
    print("%d requests, %d crashes, %d hangs, %d bad answers, %d internal errors" % (
        totals["requests"], len(crashes), totals["hangs"], totals["bad"], totals["internal"]))
    return 1 if (crashes or totals["hangs"] or totals["bad"] or totals["internal"]) else 0


def record_crash(args, gen, server, crashes):
    """Writes the last requests of every worker, finds the culprit by replay, saves it."""
    exit_desc = server.describe_exit()
    print("  CRASH: localddb (auth %s) %s" % (server.auth, exit_desc), flush=True)
    for line in server.stderr_tail(15):
        print("    | " + line)
    # Replay order: the request each worker had in flight when the server died (its last one)
    # first, then all the others, newest first.
    entries, in_flight = [], []
    for path in sorted(os.listdir(args.out)):
        if path.startswith("ring-g%d-" % gen):
            frames = read_frames(os.path.join(args.out, path))
            in_flight += frames[-1:]
            entries += frames[:-1]
    entries = sorted(in_flight, key=lambda e: -e[0]) + sorted(entries, key=lambda e: -e[0])
    n = len(crashes) + 1
    last_path = os.path.join(args.out, "crash-%d-last-requests.frames" % n)
    write_frames(last_path, sorted(entries, key=lambda e: e[0]))
    crash = {"exit": "%s (auth %s)" % (exit_desc, server.auth), "last_requests": last_path}
    print("  last %d requests written to %s; replaying them one by one..." % (len(entries), last_path), flush=True)
    culprit, culprit_exit = triage(args.binary, server.auth, args.out, entries, args.timeout)
    if culprit and culprit[1].startswith("pipeline["):  # narrow it down to one of the requests
        single = split_pipeline(culprit)
        print("  the culprit is a pipeline; replaying its %d requests one by one..." % len(single), flush=True)
        alone, alone_exit = triage(args.binary, server.auth, args.out, single, args.timeout)
        if alone:
            culprit, culprit_exit = alone, alone_exit
    if culprit:
        repro = os.path.join(args.out, "repro-crash-%d.bin" % n)
        with open(repro, "wb") as f:
            f.write(culprit[3])
        with open(repro[:-4] + ".txt", "w") as f:
            f.write("kind: crash\nmutation: %s\noperation: %s\nserver auth: %s\nexit: %s\nrequest bytes: %d\n" % (
                culprit[1], culprit[2], server.auth, culprit_exit, len(culprit[3])))
            f.write("stderr tail:\n" + "\n".join(server.stderr_tail(40)) + "\n")
        crash["repro"] = "%s [%s %s] %s" % (repro, culprit[1], culprit[2], culprit_exit)
        crash["families"] = label_families(culprit[1])
        print("  reproduced alone by a %s request (%s, %d bytes): %s" % (culprit[2], culprit[1], len(culprit[3]),
                                                                         repro), flush=True)
    else:
        print("  no single request reproduces it; see %s" % last_path, flush=True)
    crashes.append(crash)


def replay_main(args, modes):
    """--replay: sends each file's bytes to a server (started with --binary, one per auth mode)."""
    status = 0
    for mode in modes:
        server = Server(args.binary, mode, args.out, "replay") if args.binary else None
        endpoint = server.endpoint if server else args.endpoint
        if server:
            setup(endpoint, Signer(*credentials_for(mode, args.credentials)))
        for path in args.replay:
            with open(path, "rb") as f:
                data = resign(f.read(), Signer(*credentials_for(mode, args.credentials)))
            answers = replay_one(endpoint, data, args.timeout)
            time.sleep(0.3)
            died = server.describe_exit() if server and server.dead() else None
            print("[auth %s] %s: %s" % (mode, path, "; ".join(a[:200] for a in answers) or "(closed, no answer)"))
            if died:
                print("[auth %s] %s: SERVER %s" % (mode, path, died))
                status = 1
                server.stop()
                server = Server(args.binary, mode, args.out, "replay")
                endpoint = server.endpoint
                setup(endpoint, Signer(*credentials_for(mode, args.credentials)))
        if server:
            server.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
