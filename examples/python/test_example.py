"""Examples of tests on the fixtures in conftest.py: every test starts from a known state."""
import pytest

ORDERS = {
    "TableName": "orders",
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "BillingMode": "PAY_PER_REQUEST",
}


def count(dynamodb, table):
    return dynamodb.scan(TableName=table, Select="COUNT")["Count"]


# The next two tests create the same table: whichever runs second would fail with
# ResourceInUseException if the other's table were still there.

def test_each_test_starts_empty(dynamodb, endpoint, localddb_namespace):
    assert endpoint.endswith(f"/ns/{localddb_namespace}")
    assert dynamodb.list_tables()["TableNames"] == []
    dynamodb.create_table(**ORDERS)
    dynamodb.put_item(TableName="orders", Item={"pk": {"S": "o-1"}})
    assert count(dynamodb, "orders") == 1


def test_table_from_another_test_is_gone(dynamodb):
    assert dynamodb.list_tables()["TableNames"] == []
    dynamodb.create_table(**ORDERS)
    assert count(dynamodb, "orders") == 0


def test_truncate_keeps_tables_and_drops_items(dynamodb, localddb):
    dynamodb.create_table(**ORDERS)
    for i in range(5):
        dynamodb.put_item(TableName="orders", Item={"pk": {"S": f"o-{i}"}})
    assert localddb.reset("truncate") == {"tables": 1, "items": 5}
    assert dynamodb.list_tables()["TableNames"] == ["orders"]
    assert count(dynamodb, "orders") == 0


# Seed once per class, snapshot it, restore the snapshot before every test of the class.

@pytest.mark.localddb_reset(snapshot="catalog")
class TestSeededSnapshot:
    @pytest.fixture(scope="class", autouse=True)
    def catalog_snapshot(self, localddb):
        # Higher-scoped fixtures run first: this is set up before the per-test restore.
        localddb.reset("drop")
        localddb.seed(
            tables=[{**ORDERS, "TableName": "products"}],
            items={"products": [{"pk": {"S": f"p-{i}"}, "price": {"N": str(10 * i)}} for i in range(3)]})
        localddb.save_snapshot("catalog")

    def test_restored_snapshot_has_seed_data(self, dynamodb):
        assert count(dynamodb, "products") == 3
        dynamodb.delete_item(TableName="products", Key={"pk": {"S": "p-0"}})
        dynamodb.create_table(**ORDERS)

    def test_changes_of_another_test_are_undone(self, dynamodb):
        assert dynamodb.list_tables()["TableNames"] == ["products"]
        assert count(dynamodb, "products") == 3
        item = dynamodb.get_item(TableName="products", Key={"pk": {"S": "p-0"}})["Item"]
        assert item["price"] == {"N": "0"}
