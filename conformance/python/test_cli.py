"""The AWS CLI (v2, Debian's 2.9) against the endpoint: the table and item commands Cruddur's
scripts and everyday users run."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import unique_name

AWS_CLI = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else shutil.which("aws")
pytestmark = pytest.mark.skipif(AWS_CLI is None, reason="the AWS CLI is not installed")


def aws(endpoint, *args, check=True):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=os.environ.get("AWS_ACCESS_KEY_ID", "local"),
               AWS_SECRET_ACCESS_KEY=os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
               AWS_DEFAULT_REGION=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"), AWS_PAGER="")
    out = subprocess.run([AWS_CLI, "dynamodb", *args, "--endpoint-url", endpoint, "--output", "json"],
                         env=env, capture_output=True, text=True, timeout=60)
    if check:
        assert out.returncode == 0, out.stderr
    return out


def test_cli_table_and_item_commands(endpoint):
    name = unique_name("cli")
    aws(endpoint, "create-table", "--table-name", name,
        "--attribute-definitions", "AttributeName=pk,AttributeType=S",
        "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
    aws(endpoint, "wait", "table-exists", "--table-name", name)
    assert name in json.loads(aws(endpoint, "list-tables").stdout)["TableNames"]
    table = json.loads(aws(endpoint, "describe-table", "--table-name", name).stdout)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    aws(endpoint, "put-item", "--table-name", name, "--item", '{"pk":{"S":"a"},"n":{"N":"1.50"}}')
    item = json.loads(aws(endpoint, "get-item", "--table-name", name, "--key", '{"pk":{"S":"a"}}').stdout)["Item"]
    assert item == {"pk": {"S": "a"}, "n": {"N": "1.5"}}
    aws(endpoint, "batch-write-item", "--request-items",
        json.dumps({name: [{"PutRequest": {"Item": {"pk": {"S": f"b{i}"}}}} for i in range(3)]}))
    scanned = json.loads(aws(endpoint, "scan", "--table-name", name).stdout)
    assert scanned["Count"] == 4
    out = aws(endpoint, "query", "--table-name", name, "--key-condition-expression", "pk = :p",
              "--expression-attribute-values", '{":p":{"S":"b1"}}')
    assert json.loads(out.stdout)["Count"] == 1
    missing = aws(endpoint, "describe-table", "--table-name", "no-such-table", check=False)
    assert missing.returncode != 0 and "ResourceNotFoundException" in missing.stderr
    aws(endpoint, "delete-table", "--table-name", name)
