// Fault injection with the AWS SDK for JavaScript v3: its own retries absorb two throttles (the
// server sees three requests), and a transaction conflict surfaces with its cancellation reasons.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, TransactWriteItemsCommand,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { startServer, clientConfig } from "./server.js";

const local = !process.env.LOCALDDB_ENDPOINT;
let server;

async function admin(method, path, body) {
  const res = await fetch(`${server.endpoint}/_localddb${path}`, {
    method, headers: { "Content-Type": "application/json" }, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  if (!local) return;
  server = await startServer();
  const client = new DynamoDBClient(clientConfig(server.endpoint));
  await client.send(new CreateTableCommand({
    TableName: "faulty", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
  }));
});

after(async () => { if (server) await server.stop(); });

test("the SDK's retries absorb two throttles", { skip: !local }, async () => {
  const added = await admin("POST", "/faults", { rules: [
    { operation: "PutItem", table: "faulty", error: "ProvisionedThroughputExceededException", times: 2 }] });
  assert.equal(added.status, 201);
  // The SDK's default policy (three attempts), as an application has it.
  const client = new DynamoDBClient({ ...clientConfig(server.endpoint), maxAttempts: 3 });
  const answer = await client.send(new PutItemCommand({ TableName: "faulty", Item: { pk: { S: "a" } } }));
  assert.equal(answer.$metadata.attempts, 3);
  const [rule] = (await admin("GET", "/faults")).body.rules;
  assert.deepEqual([rule.matched, rule.hits, rule.remaining], [3, 2, 0]);
  const got = await client.send(new GetItemCommand({ TableName: "faulty", Key: { pk: { S: "a" } } }));
  assert.deepEqual(got.Item, { pk: { S: "a" } });
  await admin("DELETE", "/faults");
});

test("a transaction conflict surfaces with its cancellation reasons", { skip: !local }, async () => {
  await admin("POST", "/faults", { rules: [{ key: { pk: { S: "busy" } }, transactionConflict: true }] });
  const client = new DynamoDBClient(clientConfig(server.endpoint));
  await assert.rejects(
    client.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: "faulty", Item: { pk: { S: "free" } } } },
      { Put: { TableName: "faulty", Item: { pk: { S: "busy" } } } }] })),
    (e) => {
      assert.ok(e instanceof TransactionCanceledException);
      assert.deepEqual(e.CancellationReasons.map((r) => r.Code), ["None", "TransactionConflict"]);
      return true;
    });
  await admin("DELETE", "/faults");
});
