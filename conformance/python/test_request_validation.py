"""Request validation as DynamoDB does it, checked with raw JSON (boto3 would refuse most of these
requests itself before sending them).

- Model constraints (lengths, ranges, enums of each operation's members) are checked before any
  table, backup or stream is looked up, and printed the way DynamoDB's validation framework prints
  them: the value quoted ('0', '[]', 'abc') at the lower-camel member path.
- ConditionalOperator needs a legacy Expected/QueryFilter/ScanFilter of two or more conditions.
- Table ARNs are accepted wherever the data plane takes a TableName.
- Transactions word expression errors bare and let names/values stand beside no expression.
"""
import json

import pytest

from test_protocol import raw

ARN_PREFIX = "arn:aws:dynamodb:us-east-1:000000000000:table/"


def call(endpoint, operation, body, service="DynamoDB_20120810"):
    status, _, parsed, _ = raw(endpoint, json.dumps(body), target=f"{service}.{operation}")
    return status, parsed


def error(endpoint, operation, body, service="DynamoDB_20120810"):
    status, parsed = call(endpoint, operation, body, service)
    assert status == 400, parsed
    return parsed["__type"].split("#")[-1], parsed.get("message", parsed.get("Message"))


def violation(value, path, constraint):
    return f"Value {value} at '{path}' failed to satisfy constraint: {constraint}"


MISSING = "nonexistent_table_for_validation"

# (operation, body, the violation the message must contain). The table named does not exist: the
# constraint must still win over the lookup.
CONSTRAINTS = [
    ("ListBackups", {"Limit": 0}, violation("'0'", "limit", "Member must have value greater than or equal to 1")),
    ("ListBackups", {"Limit": 101}, violation("'101'", "limit", "Member must have value less than or equal to 100")),
    ("ListBackups", {"ExclusiveStartBackupArn": "short"},
     violation("'short'", "exclusiveStartBackupArn", "Member must have length greater than or equal to 37")),
    ("ListGlobalTables", {"Limit": 0}, violation("'0'", "limit", "Member must have value greater than or equal to 1")),
    ("ListGlobalTables", {"ExclusiveStartGlobalTableName": "a!"},
     violation("'a!'", "exclusiveStartGlobalTableName", "Member must have length greater than or equal to 3")),
    ("ListExports", {"MaxResults": 26},
     violation("'26'", "maxResults", "Member must have value less than or equal to 25")),
    ("ListImports", {"PageSize": 0}, violation("'0'", "pageSize", "Member must have value greater than or equal to 1")),
    ("ListContributorInsights", {"MaxResults": 101},
     violation("'101'", "maxResults", "Member must have value less than or equal to 100")),
    ("ExecuteStatement", {"Statement": "SELECT * FROM t", "Limit": 0},
     violation("'0'", "limit", "Member must have value greater than or equal to 1")),
    ("BatchExecuteStatement", {"Statements": []},
     violation("'[]'", "statements", "Member must have length greater than or equal to 1")),
    ("ExecuteTransaction", {"TransactStatements": []},
     violation("'[]'", "transactStatements", "Member must have length greater than or equal to 1")),
    ("UpdateTable", {"TableName": MISSING, "BillingMode": "BOGUS"},
     violation("'BOGUS'", "billingMode", "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")),
    ("UpdateTable", {"TableName": MISSING, "ReplicaUpdates": []},
     violation("'[]'", "replicaUpdates", "Member must have length greater than or equal to 1")),
    ("UpdateContributorInsights", {"TableName": MISSING, "ContributorInsightsAction": "BOGUS"},
     violation("'BOGUS'", "contributorInsightsAction", "Member must satisfy enum value set: [ENABLE, DISABLE]")),
    ("DescribeContributorInsights", {"TableName": MISSING, "IndexName": "a!"},
     violation("'a!'", "indexName", "Member must have length greater than or equal to 3")),
    ("EnableKinesisStreamingDestination", {"TableName": MISSING, "StreamArn": "arn:short"},
     violation("'arn:short'", "streamArn", "Member must have length greater than or equal to 37")),
    ("UpdateContinuousBackups", {"TableName": MISSING},
     "Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null"),
    ("RestoreTableFromBackup", {"TargetTableName": "target", "BackupArn": "short"},
     violation("'short'", "backupArn", "Member must have length greater than or equal to 37")),
    ("RestoreTableToPointInTime", {"TargetTableName": "target", "SourceTableName": MISSING,
                                   "BillingModeOverride": "BOGUS"},
     violation("'BOGUS'", "billingModeOverride", "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")),
    ("TransactWriteItems", {"TransactItems": [{"ConditionCheck": {"TableName": MISSING, "Key": {"k": {"S": "x"}},
                                                                  "ConditionExpression": "attribute_exists(k)"}}],
                            "ReturnItemCollectionMetrics": "BOGUS"},
     violation("'BOGUS'", "returnItemCollectionMetrics", "Member must satisfy enum value set: [SIZE, NONE]")),
    ("TagResource", {"ResourceArn": "a" * 1284, "Tags": [{"Key": "k", "Value": "v"}]},
     violation("'" + "a" * 1284 + "'", "resourceArn", "Member must have length less than or equal to 1283")),
    ("ExportTableToPointInTime", {"TableArn": ARN_PREFIX + MISSING, "S3Bucket": "bucket", "S3BucketOwner": "12"},
     violation("'12'", "s3BucketOwner", "Member must satisfy regular expression pattern: [0-9]{12}")),
]


@pytest.mark.parametrize("operation,body,expected", CONSTRAINTS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CONSTRAINTS)])
def test_model_constraints_are_checked_first(endpoint, operation, body, expected):
    kind, message = error(endpoint, operation, body)
    assert kind == "ValidationException"
    assert message.endswith("detected: " + expected) or "; " + expected in message or \
        "detected: " + expected + ";" in message, message


STREAM_CONSTRAINTS = [
    ("DescribeStream", {"StreamArn": "arn:nope"},
     violation("'arn:nope'", "streamArn", "Member must have length greater than or equal to 37")),
    ("GetShardIterator", {"StreamArn": "arn:nope", "ShardId": "shardId-00000000000000000000-00000000",
                          "ShardIteratorType": "LATEST"},
     violation("'arn:nope'", "streamArn", "Member must have length greater than or equal to 37")),
    ("GetRecords", {"ShardIterator": "x" * 2049}, "Member must have length less than or equal to 2048"),
    ("ListStreams", {"ExclusiveStartStreamArn": "short"},
     violation("'short'", "exclusiveStartStreamArn", "Member must have length greater than or equal to 37")),
]


@pytest.mark.parametrize("operation,body,expected", STREAM_CONSTRAINTS, ids=[c[0] for c in STREAM_CONSTRAINTS])
def test_streams_model_constraints(endpoint, operation, body, expected):
    kind, message = error(endpoint, operation, body, service="DynamoDBStreams_20120810")
    assert kind == "ValidationException"
    assert expected in message


WITHOUT = "ConditionalOperator cannot be used without Filter or Expected"
TWO_OR_MORE = "ConditionalOperator can only be used when Filter or Expected has two or more elements"


def mixing(legacy, modern):
    return ("Can not use both expression and non-expression parameters in the same request: "
            f"Non-expression parameters: {{{legacy}}} Expression parameters: {{{modern}}}")


def cond(value="x"):
    return {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": value}]}


def conditional_operator_cases(t):
    key = {"pk": {"S": "k1"}}
    return [
        ("Scan", {"TableName": t, "ConditionalOperator": "AND"}, WITHOUT),
        ("Scan", {"TableName": t, "ConditionalOperator": "AND", "ScanFilter": {}}, WITHOUT),
        ("Scan", {"TableName": t, "ConditionalOperator": "OR", "ScanFilter": {"a": cond()}}, TWO_OR_MORE),
        ("Scan", {"TableName": t, "ConditionalOperator": "AND", "AttributesToGet": ["a"]}, WITHOUT),
        ("Query", {"TableName": t, "ConditionalOperator": "AND"}, WITHOUT),
        ("Query", {"TableName": t, "ConditionalOperator": "AND", "KeyConditions": {"pk": cond("k1")}}, WITHOUT),
        ("PutItem", {"TableName": t, "Item": key, "ConditionalOperator": "AND"}, WITHOUT),
        ("PutItem", {"TableName": t, "Item": key, "ConditionalOperator": "AND", "Expected": {"a": cond()}},
         TWO_OR_MORE),
        ("DeleteItem", {"TableName": t, "Key": key, "ConditionalOperator": "AND"}, WITHOUT),
        ("UpdateItem", {"TableName": t, "Key": key, "ConditionalOperator": "AND"}, WITHOUT),
        ("Query", {"TableName": t, "KeyConditions": {"pk": cond("k1")}, "QueryFilter": {"a": cond()},
                   "ConditionalOperator": "AND", "KeyConditionExpression": "pk = :p", "FilterExpression": "a = :v",
                   "ProjectionExpression": "b", "ExpressionAttributeValues": {":p": {"S": "k1"}, ":v": {"S": "x"}}},
         mixing("QueryFilter, ConditionalOperator, KeyConditions",
                "ProjectionExpression, FilterExpression, KeyConditionExpression")),
        ("UpdateItem", {"TableName": t, "Key": key, "AttributeUpdates": {"a": {"Value": {"S": "v"}, "Action": "PUT"}},
                        "Expected": {"a": cond()}, "ConditionalOperator": "AND", "UpdateExpression": "SET a = :v",
                        "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":v": {"S": "x"}}},
         mixing("AttributeUpdates, Expected, ConditionalOperator", "UpdateExpression, ConditionExpression")),
    ]


def test_conditional_operator_needs_two_legacy_conditions(endpoint, ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "k1"}, "a": {"S": "x"}})
    for operation, body, expected in conditional_operator_cases(t):
        assert error(endpoint, operation, body) == ("ValidationException", expected), (operation, body)
    # Nothing was written by the refused requests, and the legal forms still work.
    assert ddb.get_item(TableName=t, Key={"pk": {"S": "k1"}})["Item"] == {"pk": {"S": "k1"}, "a": {"S": "x"}}
    status, out = call(endpoint, "Scan", {"TableName": t, "ConditionalOperator": "OR",
                                          "ScanFilter": {"a": cond("x"), "b": cond("y")}})
    assert status == 200 and out["Count"] == 1
    # Legacy KeyConditions beside FilterExpression is no mix.
    status, out = call(endpoint, "Query", {"TableName": t, "KeyConditions": {"pk": cond("k1")},
                                           "FilterExpression": "a = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}})
    assert status == 200 and out["Count"] == 1, out


def test_a_table_arn_works_as_table_name(endpoint, ddb, make_table):
    t = make_table(range_key=("sk", "S"))
    arn = ddb.describe_table(TableName=t)["Table"]["TableArn"]
    item = {"pk": {"S": "a"}, "sk": {"S": "1"}, "v": {"S": "x"}}
    assert call(endpoint, "PutItem", {"TableName": arn, "Item": item})[0] == 200
    status, out = call(endpoint, "GetItem", {"TableName": arn, "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}},
                                             "ReturnConsumedCapacity": "TOTAL"})
    assert status == 200 and out["Item"] == item
    status, out = call(endpoint, "Query", {"TableName": arn, "KeyConditionExpression": "pk = :p",
                                           "ExpressionAttributeValues": {":p": {"S": "a"}}})
    assert status == 200 and out["Count"] == 1
    assert call(endpoint, "Scan", {"TableName": arn})[1]["Count"] == 1
    status, out = call(endpoint, "BatchGetItem", {"RequestItems": {arn: {"Keys": [{"pk": {"S": "a"},
                                                                                   "sk": {"S": "1"}}]}}})
    assert status == 200 and out["Responses"] == {arn: [item]}, out
    status, _ = call(endpoint, "BatchWriteItem", {"RequestItems": {arn: [
        {"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"S": "2"}}}}]}})
    assert status == 200
    status, _ = call(endpoint, "TransactWriteItems", {"TransactItems": [
        {"Update": {"TableName": arn, "Key": {"pk": {"S": "b"}, "sk": {"S": "2"}}, "UpdateExpression": "SET n = :n",
                    "ExpressionAttributeValues": {":n": {"N": "5"}}}}]})
    assert status == 200
    status, out = call(endpoint, "TransactGetItems", {"TransactItems": [
        {"Get": {"TableName": arn, "Key": {"pk": {"S": "b"}, "sk": {"S": "2"}}}}]})
    assert status == 200 and out["Responses"][0]["Item"]["n"] == {"N": "5"}
    assert call(endpoint, "DeleteItem", {"TableName": arn, "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}}})[0] == 200
    assert "Item" not in ddb.get_item(TableName=t, Key={"pk": {"S": "a"}, "sk": {"S": "1"}})
    # An index's ARN names no table.
    kind, _ = error(endpoint, "GetItem", {"TableName": arn + "/index/x", "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}}})
    assert kind == "ValidationException"
    kind, _ = error(endpoint, "GetItem", {"TableName": ARN_PREFIX + MISSING, "Key": {"pk": {"S": "a"}}})
    assert kind == "ResourceNotFoundException"


def test_transactions_name_their_units_and_leave_out_emptied_items(endpoint, ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "a"}, "v": {"S": "x"}})
    status, out = call(endpoint, "TransactGetItems", {"ReturnConsumedCapacity": "TOTAL", "TransactItems": [
        {"Get": {"TableName": t, "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "nothing_here"}},
        {"Get": {"TableName": t, "Key": {"pk": {"S": "missing"}}}}]})
    assert status == 200
    assert out["Responses"] == [{}, {}]
    assert out["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 4.0, "ReadCapacityUnits": 4.0}]
    status, out = call(endpoint, "TransactWriteItems", {"ReturnConsumedCapacity": "INDEXES", "TransactItems": [
        {"Put": {"TableName": t, "Item": {"pk": {"S": "b"}}}}]})
    assert status == 200
    assert out["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0,
                                        "Table": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}}]


def test_transactions_word_expression_errors_bare(endpoint, ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "k1"}})
    # Names and values beside no expression are accepted in a transaction.
    status, _ = call(endpoint, "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": t, "Item": {"pk": {"S": "p"}}, "ExpressionAttributeNames": {"#n": "foo"}}}]})
    assert status == 200
    assert "Item" in ddb.get_item(TableName=t, Key={"pk": {"S": "p"}})
    cases = [
        ({"Put": {"TableName": t, "Item": {"pk": {"S": "q"}}, "ConditionExpression": "attribute_not_exists(pk)",
                  "ExpressionAttributeNames": {"#n": "foo"}}},
         "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"),
        ({"ConditionCheck": {"TableName": t, "Key": {"pk": {"S": "k1"}}, "ConditionExpression": "status > :v",
                             "ExpressionAttributeValues": {":v": {"N": "0"}}}},
         "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"),
    ]
    for item, message in cases:
        assert error(endpoint, "TransactWriteItems", {"TransactItems": [item]}) == ("ValidationException", message)
    assert "Item" not in ddb.get_item(TableName=t, Key={"pk": {"S": "q"}})


def test_value_and_expression_rules(endpoint, make_table):
    t = make_table(range_key=("sk", "S"))
    # A null member of a string set.
    kind, message = error(endpoint, "PutItem", {"TableName": t, "Item": {
        "pk": {"S": "a"}, "sk": {"S": "b"}, "s": {"SS": ["x", None]}}})
    assert kind == "ValidationException"
    assert "One or more parameter values were invalid: An string set may not have a null string as a member" in message
    # Keys are top-level attributes.
    for condition in ["pk.foo = :v", "pk = :v AND sk[0] = :v", "pk = :v AND begins_with(sk.x, :v)"]:
        assert error(endpoint, "Query", {"TableName": t, "KeyConditionExpression": condition,
                                         "ExpressionAttributeValues": {":v": {"S": "a"}}}) == (
            "ValidationException",
            "Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes")
    # Placeholder keys are checked before they are looked up.
    assert error(endpoint, "GetItem", {"TableName": t, "Key": {"pk": {"S": "a"}, "sk": {"S": "b"}},
                                       "ProjectionExpression": "#a", "ExpressionAttributeNames": {"#a-b": "x"}}) == (
        "ValidationException", 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"')
    long_key = "#" + "a" * 255
    assert error(endpoint, "GetItem", {"TableName": t, "Key": {"pk": {"S": "a"}, "sk": {"S": "b"}},
                                       "ProjectionExpression": "#a", "ExpressionAttributeNames": {long_key: "x"}}) == (
        "ValidationException", "ExpressionAttributeNames contains invalid key: The expression attribute map contains "
                               "a key that is too long; size of key: 256")
    # COUNT has its own wording.
    assert error(endpoint, "Scan", {"TableName": t, "Select": "COUNT", "ProjectionExpression": "pk"}) == (
        "ValidationException", "Cannot specify the ProjectionExpression when choosing to get only the Count")


def test_restores_say_they_are_in_progress_and_need_gsi_capacity(endpoint, ddb, make_table):
    t = make_table(extra_attributes=[("g", "S")], GlobalSecondaryIndexes=[
        {"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
         "Projection": {"ProjectionType": "ALL"}}])
    backup = ddb.create_backup(TableName=t, BackupName="bk1")["BackupDetails"]["BackupArn"]
    target = t + "-restored"
    kind, message = error(endpoint, "RestoreTableFromBackup", {
        "TargetTableName": target, "BackupArn": backup, "BillingModeOverride": "PROVISIONED",
        "ProvisionedThroughputOverride": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}})
    assert (kind, message) == ("ValidationException", "One or more parameter values were invalid: "
                               "GlobalSecondaryIndexOverride must be specified for index: by_g when "
                               "BillingModeOverride is PROVISIONED")
    assert target not in ddb.list_tables()["TableNames"]
    status, out = call(endpoint, "RestoreTableFromBackup", {"TargetTableName": target, "BackupArn": backup})
    try:
        assert status == 200
        assert out["TableDescription"]["RestoreSummary"]["RestoreInProgress"] is True
        ddb.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1})
        assert ddb.describe_table(TableName=target)["Table"]["RestoreSummary"]["RestoreInProgress"] is False
    finally:
        ddb.delete_table(TableName=target)
        ddb.delete_backup(BackupArn=backup)


def deep_map(levels):
    value = {"S": "leaf"}
    for _ in range(levels):
        value = {"M": {"a": value}}
    return value


def test_deep_values_only_count_where_they_are_stored(endpoint, ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "a"}})
    # In a condition, a value deeper than an item may be is fine...
    status, out = call(endpoint, "PutItem", {"TableName": t, "Item": {"pk": {"S": "b"}},
                                             "ConditionExpression": "attribute_not_exists(pk) OR :d = :d",
                                             "ExpressionAttributeValues": {":d": deep_map(33)}})
    assert status == 200, out
    # ...but stored, it is refused.
    kind, message = error(endpoint, "UpdateItem", {"TableName": t, "Key": {"pk": {"S": "a"}},
                                                   "UpdateExpression": "SET d = :d",
                                                   "ExpressionAttributeValues": {":d": deep_map(33)}})
    assert kind == "ValidationException" and "Nesting Levels have exceeded supported limits" in message
    assert ddb.get_item(TableName=t, Key={"pk": {"S": "a"}})["Item"] == {"pk": {"S": "a"}}


def test_between_bounds_and_arithmetic_overflow(endpoint, ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "a"}, "v": {"N": "50"}})
    kind, message = error(endpoint, "DeleteItem", {"TableName": t, "Key": {"pk": {"S": "a"}},
                                                   "ConditionExpression": "v BETWEEN :lo AND :hi",
                                                   "ExpressionAttributeValues": {":lo": {"N": "1"},
                                                                                 ":hi": {"S": "100"}}})
    assert kind == "ValidationException"
    assert message.endswith(
        "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; "
        "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:100}")
    assert error(endpoint, "Scan", {"TableName": t, "FilterExpression": "v BETWEEN :lo AND :hi",
                                    "ExpressionAttributeValues": {":lo": {"N": "9"}, ":hi": {"N": "1"}}}) == (
        "ValidationException",
        "Invalid FilterExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower "
        "bound; lower bound operand: AttributeValue: {N:9}, upper bound operand: AttributeValue: {N:1}")
    biggest = "9" * 38 + "E+88"
    ddb.put_item(TableName=t, Item={"pk": {"S": "big"}, "v": {"N": biggest}})
    for expression in ["SET v = v + :x", "ADD v :x"]:
        kind, message = error(endpoint, "UpdateItem", {"TableName": t, "Key": {"pk": {"S": "big"}},
                                                       "UpdateExpression": expression,
                                                       "ExpressionAttributeValues": {":x": {"N": biggest}}})
        assert kind == "ValidationException" and "Number overflow" in message, message


def test_transact_get_items_reads_one_moment(endpoint, ddb, make_table):
    """A reader must never see half of a TransactWriteItems: both items always carry one version."""
    import threading
    import time
    t = make_table()
    keys = [{"pk": {"S": "x"}}, {"pk": {"S": "y"}}]
    for k in keys:
        ddb.put_item(TableName=t, Item={**k, "ver": {"N": "0"}})
    stop = time.time() + 2.0
    writes = [0]

    def writer():
        n = 0
        while time.time() < stop:
            n += 1
            ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": t, "Item": {**k, "ver": {"N": str(n)}}}} for k in keys])
        writes[0] = n

    thread = threading.Thread(target=writer)
    thread.start()
    torn = reads = 0
    while time.time() < stop:
        out = ddb.transact_get_items(TransactItems=[{"Get": {"TableName": t, "Key": k}} for k in keys])
        versions = {r["Item"]["ver"]["N"] for r in out["Responses"]}
        reads += 1
        torn += len(versions) != 1
    thread.join()
    assert writes[0] > 10 and reads > 10
    assert torn == 0, f"{torn} of {reads} reads saw two versions"


def test_transactions_check_every_action_before_any_table(endpoint, make_table):
    t = make_table()
    missing = "no_such_table_for_this_test"
    # A malformed later action is reported ahead of an earlier action's missing table...
    assert error(endpoint, "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": missing, "Item": {"pk": {"S": "a"}}}},
        {"ConditionCheck": {"TableName": t, "Key": {"pk": {"S": "b"}}, "ConditionExpression": "attribute_exists("}},
    ]}) == ("ValidationException", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("')
    # ...and an item too large to put is refused outright, not as a cancellation.
    kind, message = error(endpoint, "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": t, "Item": {"pk": {"S": "big"}, "blob": {"S": "x" * 409601}}}}]})
    assert (kind, message) == ("ValidationException", "Item size has exceeded the maximum allowed size")
