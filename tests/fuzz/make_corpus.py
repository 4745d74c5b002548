#!/usr/bin/env python3
"""Writes the committed seed corpus, tests/fuzz/corpus/<target>/, from the requests below.

The requests are the shapes boto3 sends in the conformance suite (conformance/python/*.py): the
same operations, expressions, attribute values and headers. Re-run after editing; file names are
stable (seed-<name>), so unchanged seeds do not churn. Fuzzer-found inputs worth keeping can be
added beside them by hand (keep the whole corpus small: a few hundred KB at most).
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


# Regenerated from scratch: drop the previous seeds (hand-added files, not named seed-*, stay).
for _target in os.listdir(CORPUS) if os.path.isdir(CORPUS) else []:
    for _f in os.listdir(os.path.join(CORPUS, _target)):
        if _f.startswith("seed-"):
            os.remove(os.path.join(CORPUS, _target, _f))


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def j(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


# --- attribute values (json_codec) ------------------------------------------------------------
ITEMS = {
    "simple": {"pk": {"S": "a"}, "sk": {"N": "1"}},
    "all_types": {"pk": {"S": "user#1"}, "n": {"N": "-12.50e3"}, "b": {"B": "AAECAwQ="}, "t": {"BOOL": True},
                  "z": {"NULL": True}, "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["1", "2.5", "-3E-2"]},
                  "bs": {"BS": ["AA==", "AQ=="]}, "l": {"L": [{"S": "x"}, {"N": "2"}]},
                  "m": {"M": {"k": {"S": "v"}, "nested": {"M": {"d": {"N": "0.001"}}}}}},
    "cruddur_message": {"pk": {"S": "MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399"},
                        "sk": {"S": "2023-03-21T17:22:40.157587+00:00"},
                        "message_uuid": {"S": "ae3b0e0a-e5b0-4a44-a3c2-0b9e4d7e8c11"},
                        "message": {"S": "Hello \u00e9\u4e16\u754c \U0001F600"},
                        "user_uuid": {"S": "90f9a5d2"}, "user_display_name": {"S": "Andrew Brown"},
                        "user_handle": {"S": "andrewbrown"}},
    "numbers": {"a": {"N": "0"}, "b": {"N": "-0"}, "c": {"N": "1E+125"}, "d": {"N": "1E-130"},
                "e": {"N": "99999999999999999999999999999999999999"}, "f": {"N": "0.000100"},
                "g": {"N": "+5"}, "h": {"N": "1e2"}},
    "number_overflow": {"a": {"N": "1E+126"}},
    "number_precision": {"a": {"N": "123456789012345678901234567890123456789"}},
    "number_invalid": {"a": {"N": "12a"}},
    "number_empty": {"a": {"N": ""}},
    "empty_set": {"a": {"SS": []}},
    "dup_set": {"a": {"NS": ["1", "1.0"]}},
    "dup_bs": {"a": {"BS": ["AA==", "AA=="]}},
    "bad_base64": {"a": {"B": "A==="}},
    "two_types": {"a": {"S": "x", "N": "1"}},
    "no_type": {"a": {}},
    "null_member_ignored": {"a": {"S": None, "N": "1", "extra": 3}},
    "null_false": {"a": {"NULL": False}},
    "bool_string": {"a": {"BOOL": "true"}},
    "wrong_json_type": {"a": {"S": 5}},
    "empty_name": {"": {"S": "x"}},
    "empty_string": {"a": {"S": ""}, "b": {"B": ""}},
    "escapes": {"a\u0000b": {"S": "line\nbreak \"quoted\" \\ \u0001"}},
    "list_of_maps": {"l": {"L": [{"M": {"a": {"L": [{"NULL": True}, {"BOOL": False}]}}}, {"SS": ["x"]}]}},
}


def nested(depth, leaf=None):
    v = leaf or {"S": "leaf"}
    for i in range(depth - 1):
        v = {"M": {"k": v}} if i % 2 else {"L": [v]}
    return v


ITEMS["nest_32"] = {"a": nested(32)}
ITEMS["nest_33"] = {"a": nested(33)}

for i, (name, item) in enumerate(sorted(ITEMS.items())):
    write("json_codec", name, str(i % 3) + j(item))
write("json_codec", "single_value", "1" + j({"M": {"a": {"S": "x"}, "b": {"NS": ["3", "1"]}}}))
write("json_codec", "single_list", "2" + j({"L": [{"N": "1"}, {"B": "/w=="}]}))
write("json_codec", "duplicate_member", '0{"a":{"S":"x"},"a":{"N":"2"}}')
write("json_codec", "invalid_utf8", b'1{"a":{"S":"\xff\xfe"}}')
write("json_codec", "lone_surrogate", '1{"a":{"S":"\\ud800"}}')
write("json_codec", "deep_raw", "1" + "[" * 120 + "]" * 120)

# --- expressions ------------------------------------------------------------------------------
EXPRESSIONS = [
    # from the conformance suite
    ("C", "attribute_not_exists(pk)"), ("C", "attribute_exists(extra)"), ("C", "v = :old"), ("C", "a = a"),
    ("C", "g = :g"), ("C", "size(l) > :n AND NOT contains(ss, :s)"),
    ("C", "attribute_type(#a, :ty) OR begins_with(s, :h)"), ("C", "#a BETWEEN :n AND :ten"),
    ("C", "a IN (:n, :ten, :big) and (s <> :s or t = :t)"), ("C", "size(m.n) <= :ten AND l[2].x = :s"),
    ("C", "contains(l, :s) AND contains(#s, :h)"), ("C", "NOT (a < :n) AND NOT attribute_exists(#dot)"),
    ("F", "message_group_uuid = :s"), ("F", "pk = :v AND status = :v"), ("F", "size(#sp) = :n"),
    ("K", "pk = :p"), ("K", "pk = :p AND begins_with(sk, :h)"), ("K", "pk = :p AND sk > :ten"),
    ("K", "#pk = :p AND #sk BETWEEN :n AND :ten"), ("K", "pk = :p OR sk = :n"), ("K", "sk = :n"),
    ("K", "pk = :p AND sk <= :big"),
    ("P", "#m"), ("P", "a, a.b"), ("P", "a.b[1], d"), ("P", "l[0].x, l[0].y"), ("P", "l[3], l[1]"),
    ("P", "label, extra"), ("P", "m.n.d, l[2].x, #dot, #sp, ss"),
    ("U", "REMOVE g"), ("U", "SET a = :n"), ("U", "SET a = a + :n, l[5] = :s, m.k2 = :s, n = if_not_exists(n, :ten) "),
    ("U", "SET a = a - :n"), ("U", "SET c = list_append(if_not_exists(c, :e), :l)"),
    ("U", "SET m.k = :s, c = (a - :ten)"), ("U", "ADD ss :ss, ns :ns, a :n DELETE bs :bs"),
    ("U", "SET #new = list_append(:l, l) REMOVE l[0], m.n ADD #a :big"), ("U", "DELETE ss :ss SET t = :f"),
    ("U", "SET pk = :s"), ("U", "SET l[1] = :m, l[2].x = :s, m.n.d = m.n.d + :n"),
]
for i, (kind, text) in enumerate(EXPRESSIONS):
    write("expression", f"{kind}{i:02d}", kind + text)

REQUESTS = [
    ("C", "", {"Expected": {"a": {"Value": {"N": "1"}}, "b": {"Exists": False},
                            "s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "he"}]}},
               "ConditionalOperator": "OR"}),
    ("F", "", {"ScanFilter": {"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "0"}, {"N": "5"}]},
                              "ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "a"}]}}}),
    ("K", "", {"KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p1"}]},
                                 "sk": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "1"}]}}}),
    ("P", "", {"AttributesToGet": ["a", "s", "m"]}),
    ("U", "", {"AttributeUpdates": {"a": {"Action": "ADD", "Value": {"N": "5"}}, "s": {"Action": "DELETE"},
                                    "x": {"Action": "PUT", "Value": {"L": [{"S": "y"}]}}}}),
    ("U", "SET #x = :v", {"ExpressionAttributeNames": {"#x": "x"}, "ExpressionAttributeValues": {":v": {"S": "1"}},
                          "ConditionExpression": "attribute_exists(pk)"}),
    ("U", "SET a = :v", {"ExpressionAttributeValues": {":v": {"N": "1"}, ":unused": {"S": "x"}}}),
    ("C", "a = :v", {"ExpressionAttributeValues": {":v": {"NS": []}}}),
    ("U", "SET a = :v", {"Expected": {"a": {"Exists": True, "Value": {"N": "1"}}}}),
    ("U", "SET a.b.c.d.e.f.g = :deep", {"ExpressionAttributeValues": {":deep": nested(32)}}),
]
for i, (kind, text, req) in enumerate(REQUESTS):
    write("expression", f"req{i:02d}", kind + text + "\0" + j(req))

# --- key codec (FuzzedDataProvider layout: strings from the front, choices from the back) ------
rng = random.Random(20260101)


def kc(a, b, type_index, a_text=True, b_text=True):
    esc = lambda s: s.replace("\\", "\\\\") + "\\x"
    return (esc(a) + esc(b)).encode() + bytes([int(b_text), int(a_text), type_index])


KEY_SEEDS = [("n_basic", "12.5", "-3E-2", 1), ("n_zero", "0", "-0.000", 1), ("n_prefix", "0.12", "0.123", 1),
             ("n_neg_prefix", "-0.12", "-0.123", 1), ("n_extremes", "9.9999999999999999999999999999999999999E+125",
                                                       "-1E-130", 1),
             ("n_equal", "100", "1E2", 1), ("n_digits38", "12345678901234567890123456789012345678", "1", 1),
             ("n_carry", "99999999999999999999999999999999999999", "1", 1), ("n_invalid", "1e", "--1", 1),
             ("s_basic", "apple", "apples", 0), ("s_utf8", "\u00e9t\u00e9", "zzz", 0),
             ("b_bytes", "\u0000\u0001", "\u0000", 2)]
for name, a, b, t in KEY_SEEDS:
    write("key_codec", name, kc(a, b, t))
for i in range(6):
    write("key_codec", f"random{i}", bytes(rng.randrange(256) for _ in range(rng.randrange(8, 80))))

# --- SigV4 ------------------------------------------------------------------------------------
AUTH = ("AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
        "Signature=0b3c2f7a8d5e4f6a1b2c3d4e5f60718293a4b5c6d7e8f90123456789abcdef01")
BOTO_HEADERS = ["Host: localhost:8000", "Accept-Encoding: identity", "X-Amz-Target: DynamoDB_20120810.PutItem",
                "Content-Type: application/x-amz-json-1.0",
                "User-Agent: Boto3/1.26.27 Python/3.11.2 Linux/6.1.0 Botocore/1.29.27",
                "X-Amz-Date: 20260101T000000Z", "Content-Length: 40"]
PUT_BODY = j({"TableName": "t", "Item": {"pk": {"S": "a"}}})
SIG_SEEDS = {
    "boto_put": (AUTH, "POST /", BOTO_HEADERS, PUT_BODY),
    "query_string": (AUTH.replace("dynamodb", "iam"), "GET /?Action=ListUsers&Version=2010-05-08&b=%2F&a=x+y",
                     ["Host: iam.amazonaws.com", "Content-Type: application/x-www-form-urlencoded; charset=utf-8",
                      "X-Amz-Date: 20150830T123600Z"], ""),
    "presigned": ("", "GET /path%20with%2Fslash?X-Amz-Signature=abc&X-Amz-Credential=a%2Fb&empty=&%zz",
                  ["host: h", "X-Amz-Date: 20260101T000000Z"], ""),
    "spaces": (AUTH.replace(", ", ",   "), "POST /a/../b//c",
               ["My-Header:   a   b    c  ", "my-header: second", "X-Amz-Date: 20260101T001500Z"], "{}"),
    "missing_parts": ("AWS4-HMAC-SHA256 Credential=AKID/x/aws4_request, SignedHeaders=host, Signature=a",
                      "POST /", ["X-Amz-Date: 20250101T000000Z"], "{}"),
    "no_signature": ("AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20260101/us-east-1/dynamodb/aws4_request",
                     "POST /", [], ""),
    "basic": ("Basic dXNlcjpwYXNz", "PUT /x", ["Authorization: Basic x"], "body"),
    "bad_date": (AUTH.replace("local/", "AKIDFUZZ/"), "POST /", ["X-Amz-Date: 2026-01-01T00:00:00Z"], "{}"),
    "empty_signed": ("AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20260101/us-east-1/dynamodb/aws4_request, "
                     "SignedHeaders=, Signature=", "DELETE /", ["x-amz-date: 20260101T000000Z"], ""),
}
for name, (auth, line, headers, body) in SIG_SEEDS.items():
    write("sigv4", name, "\n".join([auth, line] + headers + [""]) + "\n" + body)

# --- HTTP requests ----------------------------------------------------------------------------
def http_request(op, body, method="POST", target="/", extra=(), service="DynamoDB_20120810", auth=True):
    body = body if isinstance(body, str) else j(body)
    lines = [f"{method} {target} HTTP/1.1", "Host: localhost:8000", "Accept-Encoding: identity"]
    if op:
        lines.append(f"X-Amz-Target: {service}.{op}")
        lines.append("Content-Type: application/x-amz-json-1.0")
    lines.append("X-Amz-Date: 20260101T000000Z")
    if auth:
        lines.append("Authorization: " + AUTH.replace("content-type;host;x-amz-date;x-amz-target",
                                                      "host;x-amz-date"))
    lines += list(extra)
    lines.append(f"Content-Length: {len(body.encode())}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


T = "fuzz"
CREATE = {"TableName": T, "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                                   {"AttributeName": "sk", "AttributeType": "N"},
                                                   {"AttributeName": "g", "AttributeType": "S"}],
          "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
          "GlobalSecondaryIndexes": [{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                      "Projection": {"ProjectionType": "ALL"}}],
          "BillingMode": "PAY_PER_REQUEST",
          "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}}
CREATE_SIMPLE = {"TableName": T, "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                 "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}
ITEM = {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "x"}, "v": {"N": "1"}, "l": {"L": [{"S": "x"}]},
        "m": {"M": {"k": {"S": "v"}}}, "ss": {"SS": ["a", "b"]}}
KEY = {"pk": {"S": "a"}, "sk": {"N": "1"}}

flows = {
    "crud": [("CreateTable", CREATE), ("PutItem", {"TableName": T, "Item": ITEM, "ReturnValues": "ALL_OLD"}),
             ("GetItem", {"TableName": T, "Key": KEY, "ConsistentRead": True, "ProjectionExpression": "v, l[0], m.k"}),
             ("UpdateItem", {"TableName": T, "Key": KEY, "UpdateExpression": "SET v = v + :one, l = list_append(l, :l) REMOVE m.k ADD ss :ss",
                             "ConditionExpression": "attribute_exists(pk)", "ReturnValues": "UPDATED_NEW",
                             "ExpressionAttributeValues": {":one": {"N": "1"}, ":l": {"L": [{"N": "2"}]}, ":ss": {"SS": ["c"]}}}),
             ("Query", {"TableName": T, "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
                        "FilterExpression": "v > :z", "ScanIndexForward": False, "Limit": 5,
                        "ExpressionAttributeValues": {":p": {"S": "a"}, ":a": {"N": "0"}, ":b": {"N": "9"}, ":z": {"N": "0"}}}),
             ("Query", {"TableName": T, "IndexName": "by_g", "KeyConditionExpression": "g = :g",
                        "ExpressionAttributeValues": {":g": {"S": "x"}}, "Select": "COUNT"}),
             ("Scan", {"TableName": T, "Segment": 0, "TotalSegments": 2, "ReturnConsumedCapacity": "TOTAL"}),
             ("DeleteItem", {"TableName": T, "Key": KEY, "ReturnValues": "ALL_OLD",
                             "ConditionExpression": "v = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}})],
    "batch": [("CreateTable", CREATE_SIMPLE),
              ("BatchWriteItem", {"RequestItems": {T: [{"PutRequest": {"Item": {"pk": {"S": str(i)}, "n": {"N": str(i)}}}}
                                                       for i in range(3)] + [{"DeleteRequest": {"Key": {"pk": {"S": "9"}}}}]}}),
              ("BatchGetItem", {"RequestItems": {T: {"Keys": [{"pk": {"S": "0"}}, {"pk": {"S": "2"}}],
                                                     "ProjectionExpression": "#n", "ExpressionAttributeNames": {"#n": "n"}}}}),
              ("Scan", {"TableName": T, "ScanFilter": {"n": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "1"}]}}})],
    "transact": [("CreateTable", CREATE_SIMPLE),
                 ("TransactWriteItems", {"TransactItems": [
                     {"Put": {"TableName": T, "Item": {"pk": {"S": "a"}, "n": {"N": "1"}}}},
                     {"Update": {"TableName": T, "Key": {"pk": {"S": "b"}}, "UpdateExpression": "SET n = :n",
                                 "ExpressionAttributeValues": {":n": {"N": "2"}}}},
                     {"ConditionCheck": {"TableName": T, "Key": {"pk": {"S": "c"}},
                                         "ConditionExpression": "attribute_not_exists(pk)"}}],
                     "ClientRequestToken": "token-1", "ReturnConsumedCapacity": "INDEXES"}),
                 ("TransactGetItems", {"TransactItems": [{"Get": {"TableName": T, "Key": {"pk": {"S": "a"}}}},
                                                         {"Get": {"TableName": T, "Key": {"pk": {"S": "b"}}}}]})],
    "tables": [("CreateTable", CREATE_SIMPLE), ("DescribeTable", {"TableName": T}), ("ListTables", {"Limit": 10}),
               ("UpdateTable", {"TableName": T, "BillingMode": "PAY_PER_REQUEST", "DeletionProtectionEnabled": True}),
               ("UpdateTimeToLive", {"TableName": T, "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"}}),
               ("DescribeTimeToLive", {"TableName": T}),
               ("TagResource", {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/" + T,
                                "Tags": [{"Key": "k", "Value": "v"}]}),
               ("ListTagsOfResource", {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/" + T}),
               ("DeleteTable", {"TableName": T})],
    "legacy": [("CreateTable", CREATE_SIMPLE),
               ("PutItem", {"TableName": T, "Item": {"pk": {"S": "a"}, "n": {"N": "1"}},
                            "Expected": {"pk": {"Exists": False}}}),
               ("UpdateItem", {"TableName": T, "Key": {"pk": {"S": "a"}},
                               "AttributeUpdates": {"n": {"Action": "ADD", "Value": {"N": "1"}}}}),
               ("Query", {"TableName": T, "KeyConditions": {"pk": {"ComparisonOperator": "EQ",
                                                                   "AttributeValueList": [{"S": "a"}]}},
                          "AttributesToGet": ["n"]})],
}
for name, steps in flows.items():
    write("http_request", "flow_" + name, b"".join(http_request(op, body) for op, body in steps))

STREAM_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/fuzz/stream/2026-01-01T00:00:00.000"
S = "DynamoDBStreams_20120810"
streams_flow = [http_request("CreateTable", CREATE), http_request("PutItem", {"TableName": T, "Item": ITEM}),
                http_request("UpdateItem", {"TableName": T, "Key": KEY, "UpdateExpression": "REMOVE l"}),
                http_request("DeleteItem", {"TableName": T, "Key": KEY}),
                http_request("ListStreams", {"TableName": T}, service=S),
                http_request("DescribeStream", {"StreamArn": STREAM_ARN, "Limit": 1}, service=S),
                # fuzz_http_request substitutes $SHARD_ID / $SHARD_ITERATOR from earlier replies
                http_request("GetShardIterator", {"StreamArn": STREAM_ARN, "ShardId": "$SHARD_ID",
                                                  "ShardIteratorType": "TRIM_HORIZON"}, service=S),
                http_request("GetRecords", {"ShardIterator": "$SHARD_ITERATOR", "Limit": 2}, service=S),
                http_request("GetRecords", {"ShardIterator": "$SHARD_ITERATOR"}, service=S),
                http_request("GetShardIterator", {"StreamArn": STREAM_ARN, "ShardId": "$SHARD_ID",
                                                  "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                                                  "SequenceNumber": "000000000000000000001"}, service=S),
                http_request("GetRecords", {"ShardIterator": "$SHARD_ITERATOR"}, service=S)]
write("http_request", "flow_streams", b"".join(streams_flow))

singles = {
    "list_tables": http_request("ListTables", {}),
    "describe_endpoints": http_request("DescribeEndpoints", {}),
    "describe_limits": http_request("DescribeLimits", {}),
    "missing_table": http_request("GetItem", {"TableName": "nope", "Key": {"pk": {"S": "a"}}}),
    "unknown_op": http_request("NoSuchOperation", {}),
    "no_auth": http_request("ListTables", {}, auth=False),
    "presigned_query": http_request("ListTables", {}, target="/?X-Amz-Signature=abc", auth=False),
    "bad_json": http_request("PutItem", '{"TableName": "t", "Item": {'),
    "invalid_utf8": http_request("PutItem", b'{"TableName":"t","Item":{"a":{"S":"\xc3\x28"}}}'.decode("latin-1")),
    "deep_json": http_request("PutItem", "[" * 150 + "]" * 150),
    "wrong_types": http_request("Query", {"TableName": 5, "Limit": "x", "ExclusiveStartKey": [], "Select": None}),
    "get_health": b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n",
    "admin_health": b"GET /_localddb/health HTTP/1.1\r\nHost: localhost:8000\r\n\r\n",
    "admin_unknown": b"GET /_localddb/nothing?x=1 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
    "admin_origin": b"DELETE /_localddb/stream-hooks HTTP/1.1\r\nHost: [::1]:8000\r\nOrigin: http://evil.example\r\n\r\n",
    "admin_bearer": b"GET /_localddb/stream-hooks HTTP/1.1\r\nHost: example.com\r\nAuthorization: Bearer abc\r\n\r\n",
    "admin_hooks": http_request("", {"table": "fuzz", "url": "http://127.0.0.1:9/hook"}, target="/_localddb/stream-hooks",
                                extra=["Content-Type: application/json"], auth=False),
    "chunked": (b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n"
                b"Authorization: AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request, SignedHeaders=host, Signature=x\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"),
    "keepalive_close": http_request("ListTables", {"Limit": 1}, extra=["Connection: close"]) + b"GET / HTTP/1.1\r\n\r\n",
    "http10": b"POST / HTTP/1.0\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nAuthorization: x\r\nContent-Length: 2\r\n\r\n{}",
}
for name, data in singles.items():
    write("http_request", name, data)

# --- admin JSON -------------------------------------------------------------------------------
ADMIN = {
    "add": {"table": "fuzz", "url": "http://127.0.0.1:9001/2015-03-31/functions/function/invocations"},
    "https": {"table": "fuzz", "url": "https://example.com/"},
    "missing_url": {"table": "fuzz"},
    "wrong_type": {"table": 1, "url": ["http://x"]},
    "extra_members": {"table": "t", "url": "http://h:1/", "batch_size": 10, "nested": {"a": [1, 2, {"b": None}]}},
    "unicode": {"table": "t\u00e9\u4e16", "url": "http://h/\u0000path?q=\u00e9"},
}
for name, body in ADMIN.items():
    write("admin_json", name, j(body))
write("admin_json", "not_object", "[1,2,3]")
write("admin_json", "truncated", '{"table": "t", "url": "http://')
write("admin_json", "deep", "[" * 120 + "]" * 120)
write("admin_json", "invalid_utf8", b'{"table":"\xff","url":"http://x/"}')
write("admin_json", "duplicate_keys", '{"table":"a","table":"b","url":"http://x/","url":"http://y/"}')

if __name__ == "__main__":
    total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(CORPUS) for f in fs)
    print(f"corpus: {total} bytes")
