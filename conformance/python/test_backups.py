"""Backups and point-in-time recovery with boto3: a backup is a consistent copy that later writes
do not change, restores rebuild the indexes, PITR restores the table as it was at a moment, and
the errors for what does not exist."""
import json
import urllib.request

import pytest
from botocore.exceptions import ClientError

from conftest import AGAINST_LOCAL, Server, error_of, make_client, unique_name


def fill(ddb, table, n):
    for i in range(n):
        ddb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}, "g": {"S": "x"}, "v": {"N": str(i)}})


def gsi_table(make_table):
    return make_table(extra_attributes=[("g", "S")], GlobalSecondaryIndexes=[{
        "IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"}}])


def test_backup_describe_list_restore_delete(ddb, make_table):
    table = gsi_table(make_table)
    fill(ddb, table, 5)
    details = ddb.create_backup(TableName=table, BackupName="before-change")["BackupDetails"]
    assert details["BackupStatus"] in ("CREATING", "AVAILABLE") and details["BackupType"] == "USER"
    assert details["BackupArn"].startswith(ddb.describe_table(TableName=table)["Table"]["TableArn"] + "/backup/")
    ddb.put_item(TableName=table, Item={"pk": {"S": "later"}, "g": {"S": "x"}})  # not in the backup

    described = ddb.describe_backup(BackupArn=details["BackupArn"])["BackupDescription"]
    assert described["SourceTableDetails"]["TableName"] == table
    assert described["SourceTableDetails"]["ItemCount"] == 5
    assert described["SourceTableFeatureDetails"]["GlobalSecondaryIndexes"][0]["IndexName"] == "by-g"
    listed = ddb.list_backups(TableName=table)["BackupSummaries"]
    assert [b["BackupArn"] for b in listed] == [details["BackupArn"]]

    target = unique_name("restored")
    out = ddb.restore_table_from_backup(TargetTableName=target, BackupArn=details["BackupArn"])
    assert out["TableDescription"]["TableName"] == target
    assert out["TableDescription"]["RestoreSummary"]["SourceBackupArn"] == details["BackupArn"]
    try:
        ddb.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1})
        assert ddb.scan(TableName=target)["Count"] == 5
        # DescribeTable keeps saying where the table came from.
        summary = ddb.describe_table(TableName=target)["Table"]["RestoreSummary"]
        assert summary["SourceBackupArn"] == details["BackupArn"]
        assert summary["SourceTableArn"] == described["SourceTableDetails"]["TableArn"]
        assert summary["RestoreInProgress"] is False
        assert summary["RestoreDateTime"] == described["BackupDetails"]["BackupCreationDateTime"]
        assert "RestoreSummary" not in ddb.describe_table(TableName=table)["Table"]
        by_index = ddb.query(TableName=target, IndexName="by-g", KeyConditionExpression="g = :g",
                             ExpressionAttributeValues={":g": {"S": "x"}})
        assert by_index["Count"] == 5
        with pytest.raises(ClientError) as e:  # the target exists now
            ddb.restore_table_from_backup(TargetTableName=target, BackupArn=details["BackupArn"])
        assert error_of(e)[0] == "TableAlreadyExistsException"
    finally:
        ddb.delete_table(TableName=target)

    deleted = ddb.delete_backup(BackupArn=details["BackupArn"])["BackupDescription"]
    assert deleted["BackupDetails"]["BackupStatus"] == "DELETED"
    with pytest.raises(ClientError) as e:
        ddb.describe_backup(BackupArn=details["BackupArn"])
    assert error_of(e)[0] == "BackupNotFoundException"


def test_list_backups_pages_and_filters(ddb, make_table):
    table = make_table()
    arns = [ddb.create_backup(TableName=table, BackupName=f"b-{i}")["BackupDetails"]["BackupArn"] for i in range(3)]
    try:
        seen, start = [], None
        while True:
            kwargs = {"TableName": table, "Limit": 1}
            if start:
                kwargs["ExclusiveStartBackupArn"] = start
            page = ddb.list_backups(**kwargs)
            seen += [b["BackupArn"] for b in page["BackupSummaries"]]
            start = page.get("LastEvaluatedBackupArn")
            if not start:
                break
        assert sorted(seen) == sorted(arns)
        assert ddb.list_backups(TableName=table, BackupType="SYSTEM")["BackupSummaries"] == []
    finally:
        for arn in arns:
            ddb.delete_backup(BackupArn=arn)


def test_backup_of_a_missing_table(ddb):
    with pytest.raises(ClientError) as e:
        ddb.create_backup(TableName=unique_name("missing"), BackupName="nope")
    assert error_of(e)[0] == "TableNotFoundException"


def test_point_in_time_recovery_settings_and_latest_restore(ddb, make_table):
    table = make_table()
    off = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert off["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    with pytest.raises(ClientError) as e:
        ddb.restore_table_to_point_in_time(SourceTableName=table, TargetTableName=unique_name("pitr"),
                                           UseLatestRestorableTime=True)
    assert error_of(e)[0] == "PointInTimeRecoveryUnavailableException"
    on = ddb.update_continuous_backups(TableName=table, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": True})["ContinuousBackupsDescription"]
    assert on["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    with pytest.raises(ClientError) as e:
        ddb.describe_continuous_backups(TableName=unique_name("missing"))
    assert error_of(e)[0] == "TableNotFoundException"


@pytest.mark.skipif(not AGAINST_LOCAL, reason="moves localddb's manual clock")
def test_restore_to_a_point_in_time_undoes_every_later_change():
    server = Server("--in-memory", "--clock", "manual", "--clock-start", "2026-01-01T00:00:00Z")

    def advance(seconds):
        req = urllib.request.Request(server.endpoint + "/_localddb/clock", method="POST",
                                     data=json.dumps({"advanceSeconds": seconds}).encode(),
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req).read()

    try:
        ddb = make_client(server.endpoint)
        ddb.create_table(TableName="orders", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
        ddb.update_continuous_backups(TableName="orders", PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
        fill(ddb, "orders", 3)
        advance(60)
        moment = ddb.describe_continuous_backups(TableName="orders")["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"]["LatestRestorableDateTime"]
        advance(60)
        ddb.delete_item(TableName="orders", Key={"pk": {"S": "k0"}})
        ddb.put_item(TableName="orders", Item={"pk": {"S": "k1"}, "v": {"N": "100"}})
        ddb.put_item(TableName="orders", Item={"pk": {"S": "added"}})
        ddb.restore_table_to_point_in_time(SourceTableName="orders", TargetTableName="orders-then",
                                           RestoreDateTime=moment)
        then = {i["pk"]["S"]: i.get("v", {}).get("N") for i in ddb.scan(TableName="orders-then")["Items"]}
        assert then == {"k0": "0", "k1": "1", "k2": "2"}
        ddb.restore_table_to_point_in_time(SourceTableName="orders", TargetTableName="orders-now",
                                           UseLatestRestorableTime=True)
        now = {i["pk"]["S"] for i in ddb.scan(TableName="orders-now")["Items"]}
        assert now == {"k1", "k2", "added"}
        with pytest.raises(ClientError) as e:  # before PITR was on
            ddb.restore_table_to_point_in_time(SourceTableName="orders", TargetTableName="orders-x",
                                               RestoreDateTime=moment.replace(year=2025))
        assert error_of(e)[0] == "InvalidRestoreTimeException"
    finally:
        server.stop()


def test_backup_and_restore_of_more_items_than_one_copy_chunk(ddb, make_table):
    """Backups and restores copy a table a chunk at a time: every item survives the boundaries."""
    table = gsi_table(make_table)
    with_batch = [{"PutRequest": {"Item": {"pk": {"S": f"k{i:05d}"}, "g": {"S": f"g{i % 7}"}}}} for i in range(2500)]
    for i in range(0, len(with_batch), 25):
        ddb.batch_write_item(RequestItems={table: with_batch[i:i + 25]})
    arn = ddb.create_backup(TableName=table, BackupName="big-one")["BackupDetails"]["BackupArn"]
    target = unique_name("big-restored")
    try:
        ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
        ddb.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1})
        pages = ddb.get_paginator("scan").paginate(TableName=target, Select="COUNT")
        assert sum(p["Count"] for p in pages) == 2500
        by_index = ddb.get_paginator("query").paginate(TableName=target, IndexName="by-g", Select="COUNT",
                                                       KeyConditionExpression="g = :g",
                                                       ExpressionAttributeValues={":g": {"S": "g3"}})
        assert sum(p["Count"] for p in by_index) == len([i for i in range(2500) if i % 7 == 3])
    finally:
        ddb.delete_table(TableName=target)
        ddb.delete_backup(BackupArn=arn)


def test_deleting_a_table_with_point_in_time_recovery_keeps_a_system_backup(ddb, make_table):
    table = make_table()
    plain = make_table()
    ddb.update_continuous_backups(TableName=table,
                                  PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    items = [{"pk": {"S": f"k{i}"}, "v": {"N": str(i)}} for i in range(5)]
    for item in items:
        ddb.put_item(TableName=table, Item=item)
        ddb.put_item(TableName=plain, Item=item)
    ddb.delete_table(TableName=table)
    ddb.delete_table(TableName=plain)

    # Listed only when SYSTEM (or ALL) backups are asked for; the table without PITR left none.
    assert ddb.list_backups(TableName=table)["BackupSummaries"] == []
    assert ddb.list_backups(TableName=plain, BackupType="ALL")["BackupSummaries"] == []
    [summary] = ddb.list_backups(TableName=table, BackupType="SYSTEM")["BackupSummaries"]
    assert summary["BackupName"] == table + "$DeletedTableBackup"
    assert summary["BackupType"] == "SYSTEM"
    expiry = summary["BackupExpiryDateTime"] - summary["BackupCreationDateTime"]
    assert abs(expiry.total_seconds() - 35 * 86400) < 1
    assert [b["BackupArn"] for b in ddb.list_backups(TableName=table, BackupType="ALL")["BackupSummaries"]] == [
        summary["BackupArn"]]
    details = ddb.describe_backup(BackupArn=summary["BackupArn"])["BackupDescription"]["BackupDetails"]
    assert details["BackupType"] == "SYSTEM"

    # It restores the table as it was when it was deleted.
    target = unique_name("undeleted")
    ddb.restore_table_from_backup(TargetTableName=target, BackupArn=summary["BackupArn"])
    try:
        ddb.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1})
        restored = ddb.scan(TableName=target, ConsistentRead=True)["Items"]
        assert sorted(restored, key=lambda i: i["pk"]["S"]) == items
    finally:
        ddb.delete_table(TableName=target)
        ddb.delete_backup(BackupArn=summary["BackupArn"])
