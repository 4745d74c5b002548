// PartiQL with the AWS SDK for JavaScript v3 and its DocumentClient: statements with parameters,
// a duplicate INSERT, a batch answered per statement, and a transaction cancelled as a whole.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  DynamoDBClient, CreateTableCommand, ExecuteStatementCommand, BatchExecuteStatementCommand,
  ExecuteTransactionCommand, DuplicateItemException, TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocExecuteStatement } from "@aws-sdk/lib-dynamodb";
import { startServer, clientConfig } from "./server.js";

let server;
let client;
const table = `partiql-${Date.now()}`;

before(async () => {
  server = await startServer();
  client = new DynamoDBClient(clientConfig(server.endpoint));
  await client.send(new CreateTableCommand({
    TableName: table, BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
  }));
});

after(async () => { if (server) await server.stop(); });

test("INSERT, SELECT with parameters, UPDATE ... RETURNING", async () => {
  for (const sk of [1, 2, 3]) {
    await client.send(new ExecuteStatementCommand({
      Statement: `INSERT INTO "${table}" VALUE {'pk': ?, 'sk': ?, 'n': 0}`,
      Parameters: [{ S: "a" }, { N: String(sk) }],
    }));
  }
  const out = await client.send(new ExecuteStatementCommand({
    Statement: `SELECT sk FROM "${table}" WHERE pk = ? AND sk >= ? ORDER BY sk DESC`,
    Parameters: [{ S: "a" }, { N: "2" }],
  }));
  assert.deepEqual(out.Items, [{ sk: { N: "3" } }, { sk: { N: "2" } }]);
  const doc = DynamoDBDocumentClient.from(client);
  const updated = await doc.send(new DocExecuteStatement({
    Statement: `UPDATE "${table}" SET n = n + 5 WHERE pk = ? AND sk = ? RETURNING ALL NEW *`,
    Parameters: ["a", 1],
  }));
  assert.deepEqual(updated.Items, [{ pk: "a", sk: 1, n: 5 }]);
});

test("a duplicate INSERT is DuplicateItemException", async () => {
  await assert.rejects(
    client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "${table}" VALUE {'pk': 'a', 'sk': 1}` })),
    (e) => e instanceof DuplicateItemException && e.message === "Duplicate primary key exists in table");
});

test("a batch answers each statement", async () => {
  const out = await client.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `SELECT * FROM "${table}" WHERE pk = 'a' AND sk = 2` },
    { Statement: `INSERT INTO "${table}" VALUE {'pk': 'a', 'sk': 2}` },
    { Statement: `INSERT INTO "${table}" VALUE {'pk': 'b', 'sk': 1}` },
  ] }));
  assert.equal(out.Responses[0].Item.sk.N, "2");
  assert.equal(out.Responses[1].Error.Code, "DuplicateItem");
  assert.equal(out.Responses[2].Error, undefined);
});

test("a transaction is all or nothing", async () => {
  await assert.rejects(
    client.send(new ExecuteTransactionCommand({ TransactStatements: [
      { Statement: `UPDATE "${table}" SET n = 100 WHERE pk = 'a' AND sk = 3` },
      { Statement: `INSERT INTO "${table}" VALUE {'pk': 'b', 'sk': 1}` },
    ] })),
    (e) => {
      assert.ok(e instanceof TransactionCanceledException);
      assert.deepEqual(e.CancellationReasons.map((r) => r.Code), ["None", "DuplicateItem"]);
      return true;
    });
  const read = await client.send(new ExecuteTransactionCommand({ TransactStatements: [
    { Statement: `SELECT n FROM "${table}" WHERE pk = 'a' AND sk = 3` }] }));
  assert.deepEqual(read.Responses[0].Item, { n: { N: "0" } });
});
