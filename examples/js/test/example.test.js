// Examples on the helpers in localddb/: every test starts from a known state.
import {
  CreateTableCommand, DeleteItemCommand, GetItemCommand, ListTablesCommand, PutItemCommand, ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, test } from "vitest";
import { dynamodbClient, endpoint, namespace, reset, saveSnapshot, seed, useReset } from "../localddb/index.js";

const ddb = dynamodbClient();
const ORDERS = {
  TableName: "orders",
  AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
  BillingMode: "PAY_PER_REQUEST",
};
const tableNames = async () => (await ddb.send(new ListTablesCommand({}))).TableNames;
const count = async (table) => (await ddb.send(new ScanCommand({ TableName: table, Select: "COUNT" }))).Count;

// The next two tests create the same table: the second would fail with ResourceInUseException
// if the first one's table were still there.
test("each test starts empty", async () => {
  expect(endpoint.endsWith(`/ns/${namespace}`)).toBe(true);
  expect(await tableNames()).toEqual([]);
  await ddb.send(new CreateTableCommand(ORDERS));
  await ddb.send(new PutItemCommand({ TableName: "orders", Item: { pk: { S: "o-1" } } }));
  expect(await count("orders")).toBe(1);
});

test("a table created in another test is gone", async () => {
  expect(await tableNames()).toEqual([]);
  await ddb.send(new CreateTableCommand(ORDERS));
  expect(await count("orders")).toBe(0);
});

test("truncate keeps tables and removes items", async () => {
  await ddb.send(new CreateTableCommand(ORDERS));
  for (let i = 0; i < 5; i++) await ddb.send(new PutItemCommand({ TableName: "orders", Item: { pk: { S: `o-${i}` } } }));
  expect(await reset("truncate")).toEqual({ tables: 1, items: 5 });
  expect(await tableNames()).toEqual(["orders"]);
  expect(await count("orders")).toBe(0);
});

// Seed once for the block, snapshot it, restore the snapshot before every test of the block.
describe("a seeded snapshot restored before each test", () => {
  beforeAll(async () => {
    await reset("drop");
    await seed({
      tables: [{ ...ORDERS, TableName: "products" }],
      items: { products: [0, 1, 2].map((i) => ({ pk: { S: `p-${i}` }, price: { N: String(10 * i) } })) },
    });
    await saveSnapshot("catalog");
  });
  useReset({ snapshot: "catalog" });

  test("the restored snapshot has the seed data", async () => {
    expect(await count("products")).toBe(3);
    await ddb.send(new DeleteItemCommand({ TableName: "products", Key: { pk: { S: "p-0" } } }));
    await ddb.send(new CreateTableCommand(ORDERS));
  });

  test("changes of another test are undone", async () => {
    expect(await tableNames()).toEqual(["products"]);
    expect(await count("products")).toBe(3);
    const { Item } = await ddb.send(new GetItemCommand({ TableName: "products", Key: { pk: { S: "p-0" } } }));
    expect(Item.price).toEqual({ N: "0" });
  });
});
