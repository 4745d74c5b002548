// AWS SDK for JavaScript v3 (client and DocumentClient) against localddb.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, ListTablesCommand, DeleteTableCommand,
  PutItemCommand, GetItemCommand, DeleteItemCommand, BatchWriteItemCommand, BatchGetItemCommand,
  ResourceNotFoundException, ConditionalCheckFailedException, TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, UpdateCommand, QueryCommand, TransactWriteCommand, TransactGetCommand,
} from "@aws-sdk/lib-dynamodb";
import { startServer, clientConfig } from "./server.js";

let server, client, doc;
const table = `js-${Date.now().toString(36)}`;

before(async () => {
  server = await startServer();
  client = new DynamoDBClient(clientConfig(server.endpoint));
  doc = DynamoDBDocumentClient.from(client);
  await client.send(new CreateTableCommand({
    TableName: table,
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
});

after(async () => {
  await client.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
  client.destroy();
  await server.stop();
});

test("tables are described and listed", async () => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  assert.equal(Table.TableStatus, "ACTIVE");
  assert.deepEqual(Table.KeySchema, [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }]);
  const { TableNames } = await client.send(new ListTablesCommand({}));
  assert.ok(TableNames.includes(table));
});

test("items round-trip through the low-level client", async () => {
  const Item = { pk: { S: "a" }, sk: { N: "1" }, n: { N: "1E+2" }, l: { L: [{ S: "x" }, { BOOL: true }] }, s: { SS: ["p", "q"] } };
  await client.send(new PutItemCommand({ TableName: table, Item }));
  const got = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: "a" }, sk: { N: "1" } } }));
  assert.equal(got.Item.n.N, "100");
  assert.deepEqual(got.Item.l, Item.l);
  const old = await client.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: "a" }, sk: { N: "1" } }, ReturnValues: "ALL_OLD" }));
  assert.equal(old.Attributes.pk.S, "a");
});

test("batch write and batch get", async () => {
  await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: [1, 2, 3].map((i) => ({ PutRequest: { Item: { pk: { S: "b" }, sk: { N: String(i) } } } })) } }));
  const got = await client.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: [1, 2, 3].map((i) => ({ pk: { S: "b" }, sk: { N: String(i) } })) } } }));
  assert.equal(got.Responses[table].length, 3);
  assert.deepEqual(got.UnprocessedKeys, {});
});

test("DocumentClient put, update, get and query", async () => {
  await doc.send(new PutCommand({ TableName: table, Item: { pk: "doc", sk: 1, count: 1, tags: new Set(["a"]) } }));
  const updated = await doc.send(new UpdateCommand({
    TableName: table, Key: { pk: "doc", sk: 1 },
    UpdateExpression: "SET #c = #c + :one, title = :t ADD tags :more",
    ExpressionAttributeNames: { "#c": "count" },
    ExpressionAttributeValues: { ":one": 1, ":t": "hello", ":more": new Set(["b"]) },
    ReturnValues: "ALL_NEW",
  }));
  assert.equal(updated.Attributes.count, 2);
  assert.deepEqual([...updated.Attributes.tags].sort(), ["a", "b"]);
  const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { pk: "doc", sk: 1 } }));
  assert.equal(Item.title, "hello");
  for (let i = 2; i <= 5; i++) await doc.send(new PutCommand({ TableName: table, Item: { pk: "doc", sk: i } }));
  const q = await doc.send(new QueryCommand({
    TableName: table, KeyConditionExpression: "pk = :p AND sk BETWEEN :lo AND :hi",
    ExpressionAttributeValues: { ":p": "doc", ":lo": 2, ":hi": 4 }, ScanIndexForward: false,
  }));
  assert.deepEqual(q.Items.map((i) => i.sk), [4, 3, 2]);
});

test("errors carry DynamoDB's names and messages", async () => {
  await assert.rejects(client.send(new GetItemCommand({ TableName: "no-such-table", Key: { pk: { S: "x" } } })), (e) => {
    assert.ok(e instanceof ResourceNotFoundException);
    assert.equal(e.message, "Requested resource not found");
    return true;
  });
  await doc.send(new PutCommand({ TableName: table, Item: { pk: "cond", sk: 1 } }));
  await assert.rejects(doc.send(new PutCommand({
    TableName: table, Item: { pk: "cond", sk: 1 }, ConditionExpression: "attribute_not_exists(pk)",
  })), (e) => e instanceof ConditionalCheckFailedException && e.message === "The conditional request failed");
});

test("DocumentClient transactions: all or nothing, with positional cancellation reasons", async () => {
  await doc.send(new TransactWriteCommand({ TransactItems: [
    { Put: { TableName: table, Item: { pk: "tx", sk: 1, v: "one" } } },
    { Put: { TableName: table, Item: { pk: "tx", sk: 2, v: "two" } } },
  ] }));
  const got = await doc.send(new TransactGetCommand({ TransactItems: [
    { Get: { TableName: table, Key: { pk: "tx", sk: 1 } } }, { Get: { TableName: table, Key: { pk: "tx", sk: 3 } } },
  ] }));
  assert.equal(got.Responses[0].Item.v, "one");
  assert.equal(got.Responses[1].Item, undefined);
  await assert.rejects(doc.send(new TransactWriteCommand({ TransactItems: [
    { Put: { TableName: table, Item: { pk: "tx", sk: 3, v: "three" } } },
    { Delete: { TableName: table, Key: { pk: "tx", sk: 2 }, ConditionExpression: "v = :x", ExpressionAttributeValues: { ":x": "nope" } } },
  ] })), (err) => {
    assert.ok(err instanceof TransactionCanceledException);
    assert.deepEqual(err.CancellationReasons.map((r) => r.Code), ["None", "ConditionalCheckFailed"]);
    return true;
  });
  const after = await doc.send(new GetCommand({ TableName: table, Key: { pk: "tx", sk: 3 } }));
  assert.equal(after.Item, undefined);
});
