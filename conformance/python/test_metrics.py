"""GET /_localddb/metrics in Prometheus text format: requests by operation and outcome, latency
histograms, errors by type, items and bytes per table, hook counters and open connections."""
import re
import urllib.request

import pytest

from conftest import AGAINST_LOCAL, Server, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="localddb's own endpoint")


def scrape(endpoint):
    text = urllib.request.urlopen(endpoint + "/_localddb/metrics").read().decode()
    samples = {}
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        m = re.fullmatch(r'([a-z_]+)(\{[^}]*\})? (\S+)', line)
        assert m, f"not a Prometheus sample line: {line!r}"
        samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return text, samples


def test_metrics_count_what_happened():
    server = Server("--in-memory", "--stream-hook", "metered=http://127.0.0.1:9/nowhere")
    try:
        ddb = make_client(server.endpoint)
        ddb.create_table(TableName="metered", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST",
                         StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        for i in range(7):
            ddb.put_item(TableName="metered", Item={"pk": {"S": f"k{i}"}, "v": {"S": "x" * 10}})
        for _ in range(2):
            with pytest.raises(ddb.exceptions.ResourceNotFoundException):
                ddb.get_item(TableName="absent", Key={"pk": {"S": "a"}})
        text, s = scrape(server.endpoint)
        assert "# TYPE localddb_request_duration_seconds histogram" in text
        assert s['localddb_requests_total{operation="PutItem",outcome="ok"}'] == 7
        assert s['localddb_requests_total{operation="GetItem",outcome="error"}'] == 2
        assert s['localddb_errors_total{type="ResourceNotFoundException"}'] == 2
        assert s['localddb_request_duration_seconds_count{operation="PutItem"}'] == 7
        assert s['localddb_request_duration_seconds_bucket{operation="PutItem",le="+Inf"}'] == 7
        assert s['localddb_table_items{namespace="default",table="metered"}'] == 7
        assert s['localddb_table_bytes{namespace="default",table="metered"}'] > 7 * 10
        assert s["localddb_open_connections"] >= 1
        # Capacity by DynamoDB's formulas: 7 small puts (the stream costs nothing), then reads.
        labels = '{namespace="default",table="metered"}'
        assert s["localddb_consumed_write_capacity_units_total" + labels] == 7
        ddb.get_item(TableName="metered", Key={"pk": {"S": "k1"}})  # eventually consistent: 0.5
        ddb.get_item(TableName="metered", Key={"pk": {"S": "k1"}}, ConsistentRead=True)  # 1
        ddb.scan(TableName="metered", ConsistentRead=True)  # 7 small items, one 4 KB unit
        assert scrape(server.endpoint)[1]["localddb_consumed_read_capacity_units_total" + labels] == 2.5
        hook = [k for k in s if k.startswith("localddb_stream_hook_lag_records{")]
        assert len(hook) == 1 and 'table="metered"' in hook[0]
        # the target refuses: deliveries fail and are counted
        assert any(k.startswith("localddb_stream_hook_failed_attempts_total{") for k in s)
    finally:
        server.stop()


def test_checkpoints_are_counted(tmp_path):
    """A file-backed server checkpoints once the writer has been idle for a second."""
    import time
    server = Server("--db", str(tmp_path / "m.sqlite"))
    try:
        ddb = make_client(server.endpoint)
        ddb.create_table(TableName="checkpointed", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")
        before = scrape(server.endpoint)[1]['localddb_checkpoints_total{namespace="default"}']
        ddb.put_item(TableName="checkpointed", Item={"pk": {"S": "a"}})
        deadline = time.time() + 10
        while time.time() < deadline:
            _, s = scrape(server.endpoint)
            if s['localddb_checkpoints_total{namespace="default"}'] > before:
                break
            time.sleep(0.2)
        assert s['localddb_checkpoints_total{namespace="default"}'] > before
        assert 'localddb_wal_bytes{namespace="default"}' in s
    finally:
        server.stop()
