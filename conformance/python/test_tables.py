"""CreateTable, DescribeTable, ListTables, DeleteTable against DynamoDB's documented behaviour."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique_name


def test_create_describe_list_delete(ddb):
    name = unique_name()
    out = ddb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    desc = out["TableDescription"]
    assert desc["TableName"] == name
    assert desc["TableStatus"] in ("CREATING", "ACTIVE")
    assert desc["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                 {"AttributeName": "sk", "KeyType": "RANGE"}]
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["ItemCount"] == 0
    assert table["TableSizeBytes"] == 0
    assert table["TableArn"].endswith(":table/" + name)
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert name in ddb.list_tables()["TableNames"]
    deleted = ddb.delete_table(TableName=name)["TableDescription"]
    assert deleted["TableStatus"] == "DELETING"
    ddb.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    assert name not in ddb.list_tables()["TableNames"]


def test_cruddur_table_with_gsi_and_stream(ddb):
    name = unique_name("cruddur-messages")
    ddb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"},
                              {"AttributeName": "message_group_uuid", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        GlobalSecondaryIndexes=[{
            "IndexName": "message-group-sk-index",
            "KeySchema": [{"AttributeName": "message_group_uuid", "KeyType": "HASH"},
                          {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    table = ddb.describe_table(TableName=name)["Table"]
    gsi = table["GlobalSecondaryIndexes"][0]
    assert gsi["IndexName"] == "message-group-sk-index"
    assert gsi["IndexStatus"] == "ACTIVE"
    assert gsi["Projection"] == {"ProjectionType": "ALL"}
    assert table["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert table["LatestStreamArn"] == table["TableArn"] + "/stream/" + table["LatestStreamLabel"]
    ddb.delete_table(TableName=name)


def test_create_existing_table_is_resource_in_use(ddb, make_table):
    name = make_table()
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName=name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    assert error_of(e) == ("ResourceInUseException", f"Table already exists: {name}", 400)


@pytest.mark.parametrize("params,message", [
    (dict(AttributeDefinitions=[{"AttributeName": "a", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]),
     "One or more parameter values were invalid: Some index key attributes are not defined in "
     "AttributeDefinitions. Keys: [pk], AttributeDefinitions: [a]"),
    (dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                {"AttributeName": "x", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}]),
     "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
     "number of attributes defined in AttributeDefinitions"),
    (dict(AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
          KeySchema=[{"AttributeName": "pk", "KeyType": "RANGE"}]),
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
])
def test_create_table_validation(ddb, params, message):
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName=unique_name(), BillingMode="PAY_PER_REQUEST", **params)
    assert error_of(e) == ("ValidationException", message, 400)


def test_provisioned_without_throughput(ddb):
    with pytest.raises(ClientError) as e:
        ddb.create_table(TableName=unique_name(), AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    assert error_of(e) == ("ValidationException",
                           "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
                           "must both be specified when BillingMode is PROVISIONED", 400)


def test_table_name_constraints(ddb):
    with pytest.raises(ClientError) as e:
        ddb.describe_table(TableName="abc$def")
    code, message, status = error_of(e)
    assert code == "ValidationException" and status == 400
    assert message == ("1 validation error detected: Value 'abc$def' at 'tableName' failed to satisfy constraint: "
                       "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")


def test_describe_and_delete_missing_table(ddb):
    for call in (ddb.describe_table, ddb.delete_table):
        with pytest.raises(ClientError) as e:
            call(TableName="no-such-table-here")
        assert error_of(e) == ("ResourceNotFoundException",
                               "Requested resource not found: Table: no-such-table-here not found", 400)


def test_list_tables_paging(ddb, make_table):
    names = sorted(make_table() for _ in range(3))
    seen, start = [], None
    while True:
        kwargs = {"Limit": 1}
        if start:
            kwargs["ExclusiveStartTableName"] = start
        page = ddb.list_tables(**kwargs)
        assert len(page["TableNames"]) <= 1
        seen += page["TableNames"]
        start = page.get("LastEvaluatedTableName")
        if not start:
            break
    assert [n for n in seen if n in names] == names
    assert seen == sorted(seen)


def test_update_table_stream_throughput_and_gsi_backfill(ddb, make_table):
    name = make_table(range_key=("sk", "S"), BillingMode="PROVISIONED",
                      ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    for i in range(5):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"p{i}"}, "sk": {"S": "s"}, "g": {"S": "x" if i % 2 else "y"}})
    out = ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
                           ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 8})
    desc = out["TableDescription"]
    assert desc["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    assert desc["LatestStreamLabel"]
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    ddb.update_table(TableName=name, AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
                     GlobalSecondaryIndexUpdates=[{"Create": {
                         "IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                         "Projection": {"ProjectionType": "KEYS_ONLY"},
                         "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}}])
    got = ddb.query(TableName=name, IndexName="by-g", KeyConditionExpression="g = :x",
                    ExpressionAttributeValues={":x": {"S": "x"}})
    assert sorted(i["pk"]["S"] for i in got["Items"]) == ["p1", "p3"]
    assert set(got["Items"][0]) == {"pk", "sk", "g"}
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["GlobalSecondaryIndexes"][0]["ItemCount"] == 5
    ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-g"}}])
    assert "GlobalSecondaryIndexes" not in ddb.describe_table(TableName=name)["Table"]


def test_deletion_protection(endpoint, ddb, make_table):
    # Debian's botocore predates DeletionProtectionEnabled: send it raw.
    import json
    from test_protocol import raw
    name = make_table()
    status, _, body, _ = raw(endpoint, json.dumps({"TableName": name, "DeletionProtectionEnabled": True}),
                             target="DynamoDB_20120810.UpdateTable")
    assert status == 200 and body["TableDescription"]["DeletionProtectionEnabled"] is True
    with pytest.raises(ClientError) as e:
        ddb.delete_table(TableName=name)
    assert error_of(e)[0] == "ValidationException"
    raw(endpoint, json.dumps({"TableName": name, "DeletionProtectionEnabled": False}), target="DynamoDB_20120810.UpdateTable")


def test_tags(ddb, make_table):
    name = make_table()
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "a"}])
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "b"}])
    tags = {t["Key"]: t["Value"] for t in ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]}
    assert tags == {"env": "dev", "team": "b"}
    ddb.untag_resource(ResourceArn=arn, TagKeys=["env"])
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "b"}]
    with pytest.raises(ClientError) as e:
        ddb.list_tags_of_resource(ResourceArn=arn + "-missing")
    # DynamoDB answers ListTagsOfResource on a table that does not exist as IAM would.
    assert error_of(e)[0] == "AccessDeniedException"


def test_time_to_live_setting(ddb, make_table):
    name = make_table()
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]["TimeToLiveStatus"] == "DISABLED"
    out = ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    assert out["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    desc = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert desc == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}
    with pytest.raises(ClientError) as e:
        ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    assert error_of(e) == ("ValidationException", "TimeToLive is already enabled", 400)


def test_update_table_refuses_unchanged_throughput(ddb, make_table):
    name = make_table(BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    with pytest.raises(ClientError) as e:
        ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    code, message, status = error_of(e)
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith("The provisioned throughput for the table will not change.")
    ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    assert ddb.describe_table(TableName=name)["Table"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_on_demand_throughput_round_trips(endpoint, ddb):
    # Debian's botocore predates OnDemandThroughput: send it raw.
    import json
    from test_protocol import raw
    name = unique_name()
    status, _, body, _ = raw(endpoint, json.dumps({
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "OnDemandThroughput": {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5}}), target="DynamoDB_20120810.CreateTable")
    assert status == 200
    status, _, body, _ = raw(endpoint, json.dumps({"TableName": name}), target="DynamoDB_20120810.DescribeTable")
    assert body["Table"]["OnDemandThroughput"] == {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5}
    ddb.delete_table(TableName=name)
