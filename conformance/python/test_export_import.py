"""Table exports and imports with boto3: ExportTableToPointInTime writes DynamoDB's export layout
(manifests, gzipped DynamoDB JSON) into the bucket, ImportTable reads it (or CSV) back into a new
table with its indexes, an export at a past ExportTime holds the items of that moment, the errors,
Describe/List paging, and jobs that survive a restart.

Against localddb a bucket is a directory below --s3-dir; tests that read or write the bucket's
files directly are localddb-only. Against real DynamoDB (LOCALDDB_ENDPOINT) set
LOCALDDB_S3_BUCKET to a bucket the credentials may write; the tests that need it skip otherwise.
"""
import base64
import datetime
import gzip
import hashlib
import json
import os
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError

from conftest import AGAINST_LOCAL, Server, error_of, make_client, unique_name

local_only = pytest.mark.skipif(not AGAINST_LOCAL, reason="reads the bucket's files below localddb's --s3-dir")


@pytest.fixture(scope="module")
def s3_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("s3"))


@pytest.fixture(scope="module")
def server(s3_dir):
    if not AGAINST_LOCAL:
        yield None
        return
    s = Server("--in-memory", "--s3-dir", s3_dir)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def client(server, ddb):
    return make_client(server.endpoint) if server else ddb


@pytest.fixture(scope="module")
def bucket(s3_dir):
    if not AGAINST_LOCAL:
        name = os.environ.get("LOCALDDB_S3_BUCKET")
        if not name:
            pytest.skip("set LOCALDDB_S3_BUCKET to run exports against real DynamoDB")
        return name
    os.makedirs(os.path.join(s3_dir, "bucket-one"), exist_ok=True)
    return "bucket-one"


def create(client, name, gsi=False, pitr=True, range_key=False):
    defs = [{"AttributeName": "pk", "AttributeType": "S"}]
    schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
    if range_key:
        defs.append({"AttributeName": "sk", "AttributeType": "N"})
        schema.append({"AttributeName": "sk", "KeyType": "RANGE"})
    params = dict(TableName=name, KeySchema=schema, AttributeDefinitions=defs, BillingMode="PAY_PER_REQUEST")
    if gsi:
        defs.append({"AttributeName": "g", "AttributeType": "S"})
        params["GlobalSecondaryIndexes"] = [{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                             "Projection": {"ProjectionType": "ALL"}}]
    client.create_table(**params)
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    if pitr:
        client.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
    return client.describe_table(TableName=name)["Table"]["TableArn"]


ITEMS = [
    {"pk": {"S": "a"}, "g": {"S": "x"}, "n": {"N": "1.50"}, "b": {"B": b"bar"}},
    {"pk": {"S": "b"}, "g": {"S": "x"}, "ss": {"SS": ["p", "q"]}, "m": {"M": {"l": {"L": [{"BOOL": True}, {"NULL": True}]}}}},
    {"pk": {"S": "c"}, "g": {"S": "y"}, "ns": {"NS": ["3", "1"]}, "bs": {"BS": [b"\x00\x01"]}},
]


def fill(client, table, items=ITEMS):
    for item in items:
        client.put_item(TableName=table, Item=item)


def scan_all(client, table):
    items, start = [], None
    while True:
        kwargs = {"TableName": table, "ExclusiveStartKey": start} if start else {"TableName": table}
        page = client.scan(**kwargs)
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            return sorted(items, key=lambda i: json.dumps(i, sort_keys=True, default=str))


def wait_export(client, arn):
    deadline = time.time() + 600
    while True:
        d = client.describe_export(ExportArn=arn)["ExportDescription"]
        if d["ExportStatus"] != "IN_PROGRESS" or time.time() > deadline:
            return d
        time.sleep(0.1 if AGAINST_LOCAL else 10)


def wait_import(client, arn):
    deadline = time.time() + 1200
    while True:
        d = client.describe_import(ImportArn=arn)["ImportTableDescription"]
        if d["ImportStatus"] != "IN_PROGRESS" or time.time() > deadline:
            return d
        time.sleep(0.1 if AGAINST_LOCAL else 10)


def creation(name, gsi=False):
    params = {"TableName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
              "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}
    if gsi:
        params["AttributeDefinitions"].append({"AttributeName": "g", "AttributeType": "S"})
        params["GlobalSecondaryIndexes"] = [{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                             "Projection": {"ProjectionType": "ALL"}}]
    return params


def export_dir(s3_dir, bucket, export_arn, prefix):
    return os.path.join(s3_dir, bucket, prefix, "AWSDynamoDB", export_arn.rsplit("/", 1)[1])


# --- exports --------------------------------------------------------------------------------------

@local_only
def test_export_writes_dynamodb_export_layout(client, bucket, s3_dir):
    table = unique_name("exp")
    table_arn = create(client, table)
    fill(client, table)
    first = client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket=bucket, S3Prefix="layout",
                                                 ExportFormat="DYNAMODB_JSON")["ExportDescription"]
    assert first["ExportStatus"] == "IN_PROGRESS"  # as DynamoDB's first answer
    assert first["ExportArn"].startswith(table_arn + "/export/")
    assert "ItemCount" not in first and "EndTime" not in first
    done = wait_export(client, first["ExportArn"])
    assert done["ExportStatus"] == "COMPLETED"
    assert done["ItemCount"] == 3 and done["BilledSizeBytes"] > 0
    assert done["TableArn"] == table_arn and done["S3Bucket"] == bucket and done["S3Prefix"] == "layout"
    assert done["ExportFormat"] == "DYNAMODB_JSON" and done["StartTime"] <= done["EndTime"]

    base = export_dir(s3_dir, bucket, first["ExportArn"], "layout")
    assert os.path.getsize(os.path.join(base, "_started")) == 0
    assert done["ExportManifest"] == "layout/AWSDynamoDB/%s/manifest-summary.json" % first["ExportArn"].rsplit("/", 1)[1]
    with open(os.path.join(s3_dir, bucket, done["ExportManifest"])) as f:
        summary = json.load(f)
    assert summary["version"] == "2020-06-30" and summary["exportArn"] == first["ExportArn"]
    assert summary["tableArn"] == table_arn and summary["itemCount"] == 3 and summary["outputFormat"] == "DYNAMODB_JSON"
    assert summary["s3Bucket"] == bucket and summary["s3Prefix"] == "layout"
    with open(os.path.join(s3_dir, bucket, done["ExportManifest"]), "rb") as f:
        summary_md5 = hashlib.md5(f.read()).hexdigest()
    with open(os.path.join(base, "manifest-summary.md5")) as f:
        assert f.read().strip() == summary_md5
    with open(os.path.join(s3_dir, bucket, summary["manifestFilesS3Key"])) as f:
        files = [json.loads(line) for line in f if line.strip()]
    assert len(files) == 1 and files[0]["itemCount"] == 3
    data_path = os.path.join(s3_dir, bucket, files[0]["dataFileS3Key"])
    assert files[0]["dataFileS3Key"].endswith(".json.gz") and "/data/" in files[0]["dataFileS3Key"]
    with open(data_path, "rb") as f:
        raw = f.read()
    assert files[0]["md5Checksum"] == base64.b64encode(hashlib.md5(raw).digest()).decode()
    assert files[0]["etag"] == hashlib.md5(raw).hexdigest()
    lines = [json.loads(line) for line in gzip.decompress(raw).decode().splitlines()]
    assert all(list(line) == ["Item"] for line in lines)
    exported = {line["Item"]["pk"]["S"]: line["Item"] for line in lines}
    assert exported["a"]["b"] == {"B": base64.b64encode(b"bar").decode()}
    assert exported["a"]["n"] == {"N": "1.5"}
    assert sorted(exported["c"]["ns"]["NS"]) == ["1", "3"]
    assert exported["b"]["m"] == {"M": {"l": {"L": [{"BOOL": True}, {"NULL": True}]}}}


@local_only
def test_export_of_an_empty_table_writes_one_empty_data_file(client, bucket, s3_dir):
    table = unique_name("empty")
    table_arn = create(client, table)
    arn = client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket=bucket)["ExportDescription"]["ExportArn"]
    done = wait_export(client, arn)
    assert done["ExportStatus"] == "COMPLETED" and done["ItemCount"] == 0 and done["BilledSizeBytes"] == 0
    data = os.path.join(s3_dir, bucket, "AWSDynamoDB", arn.rsplit("/", 1)[1], "data")
    (name,) = os.listdir(data)
    with open(os.path.join(data, name), "rb") as f:
        assert gzip.decompress(f.read()) == b""


def test_round_trip_export_then_import_into_a_table_with_a_gsi(client, bucket):
    table = unique_name("src")
    table_arn = create(client, table, gsi=True)
    fill(client, table)
    prefix = unique_name("round")
    arn = client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket=bucket, S3Prefix=prefix)[
        "ExportDescription"]["ExportArn"]
    assert wait_export(client, arn)["ExportStatus"] == "COMPLETED"
    target = unique_name("copy")
    started = client.import_table(
        S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": f"{prefix}/AWSDynamoDB/{arn.rsplit('/', 1)[1]}/data/"},
        InputFormat="DYNAMODB_JSON", InputCompressionType="GZIP",
        TableCreationParameters=creation(target, gsi=True))["ImportTableDescription"]
    assert started["ImportStatus"] == "IN_PROGRESS"
    assert started["ImportArn"].startswith(started["TableArn"] + "/import/")
    assert started["TableArn"].endswith(":table/" + target)
    try:
        done = wait_import(client, started["ImportArn"])
        assert done["ImportStatus"] == "COMPLETED", done
        assert done["ProcessedItemCount"] == 3 and done["ImportedItemCount"] == 3 and done["ErrorCount"] == 0
        assert done["ProcessedSizeBytes"] > 0
        assert done["TableCreationParameters"]["TableName"] == target
        client.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1})
        assert scan_all(client, target) == scan_all(client, table)
        by_g = client.query(TableName=target, IndexName="by-g", KeyConditionExpression="g = :g",
                            ExpressionAttributeValues={":g": {"S": "x"}})
        assert sorted(i["pk"]["S"] for i in by_g["Items"]) == ["a", "b"]
        described = client.describe_table(TableName=target)["Table"]
        assert described["GlobalSecondaryIndexes"][0]["IndexName"] == "by-g"
        assert "StreamSpecification" not in described  # an import's table has no stream
    finally:
        client.delete_table(TableName=target)


@pytest.mark.skipif(not AGAINST_LOCAL, reason="moves localddb's manual clock")
def test_export_at_a_past_export_time_holds_the_items_of_that_moment(tmp_path):
    s3 = tmp_path / "s3"
    (s3 / "b1").mkdir(parents=True)
    server = Server("--in-memory", "--s3-dir", str(s3), "--clock", "manual", "--clock-start", "2026-01-01T00:00:00Z")

    def advance(seconds):
        req = urllib.request.Request(server.endpoint + "/_localddb/clock", method="POST",
                                     data=json.dumps({"advanceSeconds": seconds}).encode(),
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req).read()

    try:
        c = make_client(server.endpoint)
        table_arn = create(c, "orders")
        fill(c, "orders")
        advance(60)
        moment = datetime.datetime(2026, 1, 1, 0, 1, tzinfo=datetime.timezone.utc)
        advance(60)
        c.delete_item(TableName="orders", Key={"pk": {"S": "a"}})
        c.put_item(TableName="orders", Item={"pk": {"S": "b"}, "changed": {"BOOL": True}})
        c.put_item(TableName="orders", Item={"pk": {"S": "later"}})
        then = c.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="b1", ExportTime=moment)[
            "ExportDescription"]
        assert then["ExportTime"] == moment
        done = wait_export(c, then["ExportArn"])
        assert done["ExportStatus"] == "COMPLETED" and done["ItemCount"] == 3
        with open(s3 / "b1" / done["ExportManifest"].replace("manifest-summary.json", "manifest-files.json")) as f:
            key = json.loads(f.readline())["dataFileS3Key"]
        with open(s3 / "b1" / key, "rb") as f:
            items = {json.loads(line)["Item"]["pk"]["S"]: json.loads(line)["Item"]
                     for line in gzip.decompress(f.read()).decode().splitlines()}
        assert set(items) == {"a", "b", "c"} and "changed" not in items["b"]
        now = wait_export(c, c.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="b1")["ExportDescription"][
            "ExportArn"])
        assert now["ItemCount"] == 3  # b, c, later
        with pytest.raises(ClientError) as e:  # before PITR was enabled
            c.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="b1",
                                            ExportTime=datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc))
        assert error_of(e)[0] == "InvalidExportTimeException"
        with pytest.raises(ClientError) as e:  # in the future
            c.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="b1",
                                            ExportTime=datetime.datetime(2027, 1, 1, tzinfo=datetime.timezone.utc))
        assert error_of(e)[0] == "InvalidExportTimeException"
    finally:
        server.stop()


# --- export errors --------------------------------------------------------------------------------

def test_export_needs_point_in_time_recovery(client, bucket):
    table = unique_name("nopitr")
    table_arn = create(client, table, pitr=False)
    with pytest.raises(ClientError) as e:
        client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket=bucket)
    assert error_of(e) == ("PointInTimeRecoveryUnavailableException",
                           f"Point in time recovery is not enabled for table '{table}'", 400)


def test_export_of_a_missing_table(client, bucket):
    arn = create(client, unique_name("arnof"), pitr=False).rsplit("/", 1)[0] + "/" + unique_name("missing")
    with pytest.raises(ClientError) as e:
        client.export_table_to_point_in_time(TableArn=arn, S3Bucket=bucket)
    assert error_of(e) == ("TableNotFoundException", f"Table not found: {arn}", 400)


def test_export_with_a_bad_format_or_bucket_name(client, bucket):
    table_arn = create(client, unique_name("fmt"))
    with pytest.raises(ClientError) as e:
        client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket=bucket, ExportFormat="CSV")
    assert error_of(e) == ("ValidationException",
                           "1 validation error detected: Value 'CSV' at 'exportFormat' failed to satisfy constraint: "
                           "Member must satisfy enum value set: [DYNAMODB_JSON, ION]", 400)
    with pytest.raises(ClientError) as e:
        client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="-bad-")
    assert error_of(e)[0] == "ValidationException"
    assert "at 's3Bucket' failed to satisfy constraint: Member must satisfy regular expression pattern" in error_of(e)[1]


@local_only
def test_export_and_import_with_a_missing_bucket_directory_fail_later(client):
    table = unique_name("nobucket")
    table_arn = create(client, table)
    first = client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="no-such-bucket")["ExportDescription"]
    assert first["ExportStatus"] == "IN_PROGRESS"
    done = wait_export(client, first["ExportArn"])
    assert done["ExportStatus"] == "FAILED" and done["FailureCode"] == "S3NoSuchBucket"
    assert "The specified bucket does not exist" in done["FailureMessage"]

    target = unique_name("noimport")
    started = client.import_table(S3BucketSource={"S3Bucket": "no-such-bucket"}, InputFormat="DYNAMODB_JSON",
                                  TableCreationParameters=creation(target))["ImportTableDescription"]
    done = wait_import(client, started["ImportArn"])
    assert done["ImportStatus"] == "FAILED" and done["FailureCode"] == "S3NoSuchBucket"
    assert "The specified bucket does not exist" in done["FailureMessage"]
    assert target not in client.list_tables()["TableNames"]


@local_only
def test_export_with_a_client_token_is_idempotent(client, bucket):
    table_arn = create(client, unique_name("token"))
    a = client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket=bucket, ClientToken="tok-1")
    b = client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket=bucket, ClientToken="tok-1")
    assert a["ExportDescription"]["ExportArn"] == b["ExportDescription"]["ExportArn"]
    assert b["ExportDescription"]["ClientToken"] == "tok-1"
    with pytest.raises(ClientError) as e:
        client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket=bucket, S3Prefix="other", ClientToken="tok-1")
    assert error_of(e)[0] == "ExportConflictException"


def test_describe_a_missing_export_or_import(client):
    with pytest.raises(ClientError) as e:
        client.describe_export(ExportArn="arn:aws:dynamodb:us-east-1:000000000000:table/nope/export/01234567890123-abcdef01")
    assert error_of(e)[0] == "ExportNotFoundException"
    with pytest.raises(ClientError) as e:
        client.describe_import(ImportArn="arn:aws:dynamodb:us-east-1:000000000000:table/nope/import/01234567890123-abcdef01")
    assert error_of(e)[0] == "ImportNotFoundException"


@pytest.mark.skipif(not AGAINST_LOCAL, reason="localddb's own refusal")
def test_an_in_memory_server_without_s3_dir_refuses_exports_naming_the_flag(ddb):
    table = unique_name("noflag")
    table_arn = create(ddb, table)
    try:
        with pytest.raises(ClientError) as e:
            ddb.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="anything")
        code, message, status = error_of(e)
        assert (code, status) == ("ValidationException", 400) and "--s3-dir" in message
    finally:
        ddb.delete_table(TableName=table)


# --- imports --------------------------------------------------------------------------------------

def put_object(s3_dir, bucket, key, body):
    path = os.path.join(s3_dir, bucket, key)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(body)


@local_only
def test_import_counts_bad_lines_and_keeps_the_good_ones(client, bucket, s3_dir):
    prefix = unique_name("bad") + "/"
    good = [{"Item": {"pk": {"S": f"ok{i}"}, "v": {"N": str(i)}}} for i in range(2)]
    body = "\n".join([json.dumps(good[0]), "{not json", json.dumps({"pk": {"S": "unwrapped"}}),
                      json.dumps({"Item": {"nokey": {"S": "x"}}}), "", json.dumps(good[1])])
    put_object(s3_dir, bucket, prefix + "part-1.json", body.encode())
    # Two values on one line (DynamoDB reads concatenated JSON values too)
    put_object(s3_dir, bucket, prefix + "part-2", (json.dumps({"Item": {"pk": {"S": "p2a"}}}) +
                                                   json.dumps({"Item": {"pk": {"S": "p2b"}}})).encode())
    target = unique_name("partial")
    started = client.import_table(S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": prefix}, InputFormat="DYNAMODB_JSON",
                                  TableCreationParameters=creation(target))["ImportTableDescription"]
    try:
        done = wait_import(client, started["ImportArn"])
        # As DynamoDB (moto's tests, verified against it): the bad items are counted, the good ones
        # imported, and the import ends FAILED.
        assert done["ErrorCount"] == 3
        assert done["ProcessedItemCount"] == 7 and done["ImportedItemCount"] == 4
        assert done["ImportStatus"] == "FAILED" and done["FailureCode"] == "ItemValidationError"
        assert sorted(i["pk"]["S"] for i in client.scan(TableName=target)["Items"]) == ["ok0", "ok1", "p2a", "p2b"]
    finally:
        client.delete_table(TableName=target)


@local_only
def test_import_of_csv_with_header_line_or_header_list(client, bucket, s3_dir):
    prefix = unique_name("csv") + "/"
    put_object(s3_dir, bucket, prefix + "with-header.csv", b'pk,sk,name,note\nu1,1,Ann,"says ""hi"", twice"\nu1,2,Bob,\n')
    put_object(s3_dir, bucket, prefix + "more.csv.gz", gzip.compress(b"u2;10;Cy\n"))
    target = unique_name("csvt")
    params = creation(target)
    params["KeySchema"].append({"AttributeName": "sk", "KeyType": "RANGE"})
    params["AttributeDefinitions"].append({"AttributeName": "sk", "AttributeType": "N"})
    started = client.import_table(S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": prefix + "with-header"},
                                  InputFormat="CSV", TableCreationParameters=params)["ImportTableDescription"]
    try:
        done = wait_import(client, started["ImportArn"])
        assert done["ImportStatus"] == "COMPLETED", done
        assert done["ImportedItemCount"] == 2
        items = {int(i["sk"]["N"]): i for i in client.scan(TableName=target)["Items"]}
        assert items[1] == {"pk": {"S": "u1"}, "sk": {"N": "1"}, "name": {"S": "Ann"}, "note": {"S": 'says "hi", twice'}}
        assert items[2] == {"pk": {"S": "u1"}, "sk": {"N": "2"}, "name": {"S": "Bob"}}  # an empty field: no attribute
    finally:
        client.delete_table(TableName=target)
    target = unique_name("csvg")
    params["TableName"] = target
    started = client.import_table(S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": prefix + "more"},
                                  InputFormat="CSV", InputCompressionType="GZIP",
                                  InputFormatOptions={"Csv": {"Delimiter": ";", "HeaderList": ["pk", "sk", "name"]}},
                                  TableCreationParameters=params)["ImportTableDescription"]
    try:
        done = wait_import(client, started["ImportArn"])
        assert done["ImportStatus"] == "COMPLETED", done
        assert done["InputFormatOptions"]["Csv"]["Delimiter"] == ";"
        assert client.scan(TableName=target)["Items"] == [{"pk": {"S": "u2"}, "sk": {"N": "10"}, "name": {"S": "Cy"}}]
    finally:
        client.delete_table(TableName=target)


def test_import_into_an_existing_table_name_is_refused(client, bucket):
    table = unique_name("exists")
    create(client, table, pitr=False)
    with pytest.raises(ClientError) as e:
        client.import_table(S3BucketSource={"S3Bucket": bucket}, InputFormat="DYNAMODB_JSON",
                            TableCreationParameters=creation(table))
    assert error_of(e)[0] == "ResourceInUseException"


def test_import_validates_its_table_creation_parameters(client, bucket):
    params = creation(unique_name("badparams"))
    params["BillingMode"] = "PROVISIONED"
    with pytest.raises(ClientError) as e:
        client.import_table(S3BucketSource={"S3Bucket": bucket}, InputFormat="DYNAMODB_JSON",
                            TableCreationParameters=params)
    # moto's tests, verified against DynamoDB
    assert error_of(e) == ("ValidationException", "One or more parameter values were invalid: ReadCapacityUnits and "
                           "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED", 400)
    with pytest.raises(ClientError) as e:
        client.import_table(S3BucketSource={"S3Bucket": bucket}, InputFormat="XML",
                            TableCreationParameters=creation(unique_name("badformat")))
    assert error_of(e)[0] == "ValidationException"
    assert "Member must satisfy enum value set: [DYNAMODB_JSON, ION, CSV]" in error_of(e)[1]


# --- Describe and List ----------------------------------------------------------------------------

@local_only
def test_list_exports_and_imports_page_and_filter_by_table(client, bucket, s3_dir):
    table = unique_name("pages")
    table_arn = create(client, table)
    arns = [client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket=bucket)["ExportDescription"]["ExportArn"]
            for _ in range(3)]
    seen, token = [], None
    while True:
        kwargs = {"TableArn": table_arn, "MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        page = client.list_exports(**kwargs)
        assert len(page["ExportSummaries"]) <= 2
        seen += [s["ExportArn"] for s in page["ExportSummaries"]]
        assert all(s["ExportStatus"] == "COMPLETED" for s in page["ExportSummaries"])
        token = page.get("NextToken")
        if not token:
            break
    assert seen == arns
    other = unique_name("other")
    create(client, other)
    assert client.list_exports(TableArn=client.describe_table(TableName=other)["Table"]["TableArn"])[
        "ExportSummaries"] == []

    put_object(s3_dir, bucket, "list-src/one.json", json.dumps({"Item": {"pk": {"S": "1"}}}).encode())
    imports = []
    for i in range(3):
        name = unique_name(f"imp{i}")
        imports.append(client.import_table(S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": "list-src/"},
                                           InputFormat="DYNAMODB_JSON",
                                           TableCreationParameters=creation(name))["ImportTableDescription"])
    first = client.list_imports(PageSize=1, TableArn=imports[1]["TableArn"])
    assert [s["ImportArn"] for s in first["ImportSummaryList"]] == [imports[1]["ImportArn"]]
    assert "NextToken" not in first
    seen, token = [], None
    while True:
        page = client.list_imports(PageSize=2, **({"NextToken": token} if token else {}))
        seen += [s["ImportArn"] for s in page["ImportSummaryList"]]
        token = page.get("NextToken")
        if not token:
            break
    assert [i["ImportArn"] for i in imports] == [a for a in seen if a in {i["ImportArn"] for i in imports}]
    summary = [s for s in page["ImportSummaryList"] if s["ImportArn"] == imports[2]["ImportArn"]]
    assert summary and summary[0]["ImportStatus"] == "COMPLETED" and summary[0]["InputFormat"] == "DYNAMODB_JSON"
    assert summary[0]["S3BucketSource"]["S3Bucket"] == bucket
    with pytest.raises(ClientError) as e:
        client.list_exports(MaxResults=26)
    assert error_of(e)[0] == "ValidationException"


@pytest.mark.skipif(not AGAINST_LOCAL, reason="restarts localddb")
def test_exports_and_imports_survive_a_restart(tmp_path):
    db = str(tmp_path / "db.sqlite")
    os.makedirs(db + ".s3/keep")  # the default --s3-dir beside the database
    server = Server("--db", db)
    try:
        c = make_client(server.endpoint)
        table_arn = create(c, "kept")
        fill(c, "kept")
        export_arn = c.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="keep", S3Prefix="p")[
            "ExportDescription"]["ExportArn"]
        data = f"p/AWSDynamoDB/{export_arn.rsplit('/', 1)[1]}/data/"
        import_arn = c.import_table(S3BucketSource={"S3Bucket": "keep", "S3KeyPrefix": data}, InputFormat="DYNAMODB_JSON",
                                    InputCompressionType="GZIP", TableCreationParameters=creation("kept-copy"))[
            "ImportTableDescription"]["ImportArn"]
        before = (wait_export(c, export_arn), wait_import(c, import_arn))
    finally:
        assert server.stop() == 0
    server = Server("--db", db)
    try:
        c = make_client(server.endpoint)
        assert c.describe_export(ExportArn=export_arn)["ExportDescription"] == before[0]
        assert c.describe_import(ImportArn=import_arn)["ImportTableDescription"] == before[1]
        assert [s["ExportArn"] for s in c.list_exports()["ExportSummaries"]] == [export_arn]
        assert [s["ImportArn"] for s in c.list_imports()["ImportSummaryList"]] == [import_arn]
        assert c.scan(TableName="kept-copy")["Count"] == 3
    finally:
        server.stop()
