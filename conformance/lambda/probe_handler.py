"""A handler for tools/localddb-lambda's own tests: it reports what a Lambda would see."""
import os

import boto3

# Like Cruddur's Lambda, a client made at import time with DynamoDB's AWS endpoint hard-coded.
HARD_CODED = boto3.client("dynamodb", region_name="us-east-1",
                          endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def handler(event, context):
    if event.get("fail"):
        raise ValueError(f"asked to fail: {event['fail']}")
    names = ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB",
             "AWS_LAMBDA_FUNCTION_NAME")
    answer = {
        "env": {n: os.environ.get(n) for n in names},
        "function_name": context.function_name,
        "remaining_ms": context.get_remaining_time_in_millis(),
        "hard_coded_endpoint": HARD_CODED.meta.endpoint_url,
        "new_client_endpoint": boto3.client("dynamodb").meta.endpoint_url,
        "explicit_endpoint": boto3.client("dynamodb", endpoint_url="http://127.0.0.1:1").meta.endpoint_url,
    }
    if event.get("list_tables"):
        answer["tables"] = HARD_CODED.list_tables()["TableNames"]
    return answer
