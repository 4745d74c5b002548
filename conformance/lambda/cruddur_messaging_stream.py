"""The Cruddur message-group stream Lambda, as described in shared/cruddur/FLOW.md.

For each new message row (pk MSG#<group uuid>) it moves both participants' message-group rows
(found through the GSI message-group-sk-index) to the new message: a key attribute cannot be
updated in place, so each row is deleted and put again with the new sk and message text.
Like the original, it reads only Records[0] (run it with a stream batch size of 1).

The endpoint comes from AWS_ENDPOINT_URL (the app's convention); the table name from
CRUDDUR_TABLE (default cruddur-messages).
"""
import os

import boto3
from boto3.dynamodb.conditions import Key

TABLE_NAME = os.environ.get("CRUDDUR_TABLE", "cruddur-messages")
INDEX_NAME = "message-group-sk-index"


def _table():
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL"),
        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
    )
    return resource.Table(TABLE_NAME)


def lambda_handler(event, context):
    record = event["Records"][0]
    if record["eventName"] == "REMOVE":
        return {"skipped": "REMOVE"}
    keys = record["dynamodb"]["Keys"]
    pk = keys["pk"]["S"]
    sk = keys["sk"]["S"]
    if not pk.startswith("MSG#"):
        return {"skipped": pk}
    group_uuid = pk[len("MSG#"):]
    message = record["dynamodb"]["NewImage"]["message"]["S"]

    table = _table()
    rows = table.query(IndexName=INDEX_NAME,
                       KeyConditionExpression=Key("message_group_uuid").eq(group_uuid))["Items"]
    for row in rows:
        table.delete_item(Key={"pk": row["pk"], "sk": row["sk"]})
        moved = dict(row, sk=sk, message=message)
        table.put_item(Item=moved)
    return {"moved": len(rows)}
