"""The control-plane calls localddb stores and describes without acting on them (resource
policies, Contributor Insights, Kinesis streaming destinations) and the global-table calls as
DynamoDB answers them for a table without replicas."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import AGAINST_LOCAL, error_of, unique_name

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": "dynamodb:GetItem", "Resource": "*"}]})


def arn_of(ddb, table):
    return ddb.describe_table(TableName=table)["Table"]["TableArn"]


def call(endpoint, operation, **body):
    """Operations newer than Debian's botocore, sent signed as an SDK would: (status, body)."""
    from test_protocol import raw
    status, _, parsed, _ = raw(endpoint, json.dumps(body), target="DynamoDB_20120810." + operation)
    return status, parsed


def test_resource_policy_put_get_delete(endpoint, ddb, make_table):
    arn = arn_of(ddb, make_table())
    status, out = call(endpoint, "GetResourcePolicy", ResourceArn=arn)
    assert status == 400 and out["__type"].endswith("#PolicyNotFoundException")
    status, out = call(endpoint, "PutResourcePolicy", ResourceArn=arn, Policy=POLICY)
    assert status == 200, out
    rev = out["RevisionId"]
    assert call(endpoint, "PutResourcePolicy", ResourceArn=arn, Policy=POLICY)[1]["RevisionId"] == rev  # idempotent
    status, got = call(endpoint, "GetResourcePolicy", ResourceArn=arn)
    assert json.loads(got["Policy"]) == json.loads(POLICY) and got["RevisionId"] == rev
    status, out = call(endpoint, "PutResourcePolicy", ResourceArn=arn, Policy=POLICY.replace("GetItem", "Query"),
                       ExpectedRevisionId="1")  # a stale expected revision
    assert status == 400 and out["__type"].endswith("#PolicyNotFoundException")
    status, out = call(endpoint, "PutResourcePolicy", ResourceArn=arn, Policy="not json")
    assert status == 400 and out["__type"].endswith("#ValidationException")
    assert call(endpoint, "DeleteResourcePolicy", ResourceArn=arn)[1]["RevisionId"] == rev
    status, out = call(endpoint, "DeleteResourcePolicy", ResourceArn=arn)
    assert status == 400 and out["__type"].endswith("#PolicyNotFoundException")


def test_contributor_insights(ddb, make_table):
    table = make_table()
    assert ddb.describe_contributor_insights(TableName=table)["ContributorInsightsStatus"] == "DISABLED"
    out = ddb.update_contributor_insights(TableName=table, ContributorInsightsAction="ENABLE")
    assert out["TableName"] == table and out["ContributorInsightsStatus"] in ("ENABLING", "ENABLED")
    if AGAINST_LOCAL:
        assert ddb.describe_contributor_insights(TableName=table)["ContributorInsightsStatus"] == "ENABLED"
        summaries = ddb.list_contributor_insights(TableName=table)["ContributorInsightsSummaries"]
        assert summaries == [{"TableName": table, "ContributorInsightsStatus": "ENABLED"}]
    with pytest.raises(ClientError) as e:
        ddb.describe_contributor_insights(TableName=unique_name("missing"))
    assert error_of(e)[0] == "ResourceNotFoundException"


def test_kinesis_destination_is_kept_and_described(ddb, make_table):
    table = make_table()
    stream = "arn:aws:kinesis:us-east-1:000000000000:stream/local-changes"
    assert ddb.describe_kinesis_streaming_destination(TableName=table)["KinesisDataStreamDestinations"] == []
    if not AGAINST_LOCAL:
        pytest.skip("needs a real Kinesis stream")
    out = ddb.enable_kinesis_streaming_destination(TableName=table, StreamArn=stream)
    assert out["DestinationStatus"] == "ENABLING"
    dests = ddb.describe_kinesis_streaming_destination(TableName=table)["KinesisDataStreamDestinations"]
    assert [(d["StreamArn"], d["DestinationStatus"]) for d in dests] == [(stream, "ACTIVE")]
    assert ddb.disable_kinesis_streaming_destination(TableName=table, StreamArn=stream)["DestinationStatus"] == \
        "DISABLING"
    with pytest.raises(ClientError) as e:
        ddb.disable_kinesis_streaming_destination(TableName=table, StreamArn=stream)
    assert error_of(e)[0] == "ValidationException"


def test_global_tables_without_replicas(ddb, make_table):
    table = make_table()
    with pytest.raises(ClientError) as e:
        ddb.describe_global_table(GlobalTableName=table)
    assert error_of(e)[0] == "GlobalTableNotFoundException"
    assert "GlobalTables" in ddb.list_global_tables()
    scaling = ddb.describe_table_replica_auto_scaling(TableName=table)["TableAutoScalingDescription"]
    assert scaling["TableName"] == table and scaling.get("Replicas", []) == []
