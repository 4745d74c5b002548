// When Vitest runs more than one worker (examples/run.sh: --maxWorkers=2), this file runs beside
// example.test.js in another worker, so in another namespace: both create a table "orders" at
// the same time without ResourceInUseException.
import { CreateTableCommand, ListTablesCommand, PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect, test } from "vitest";
import { dynamodbClient, namespace } from "../localddb/index.js";

const ddb = dynamodbClient();

test("each worker has a namespace of its own", async () => {
  expect(namespace).toMatch(/^worker-\d+$/);
  expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  await ddb.send(new CreateTableCommand({
    TableName: "orders",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
  }));
  for (let i = 0; i < 20; i++) {
    await ddb.send(new PutItemCommand({ TableName: "orders", Item: { pk: { S: `${namespace}-${i}` } } }));
  }
  const { Items } = await ddb.send(new ScanCommand({ TableName: "orders" }));
  expect(Items.map((i) => i.pk.S).every((k) => k.startsWith(`${namespace}-`))).toBe(true);
  expect(Items.length).toBe(20);
});
