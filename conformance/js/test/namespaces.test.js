// Namespaces through the AWS SDK for JavaScript v3: an endpoint with a /ns/{name} path keeps each
// client's tables apart. localddb's own feature: skipped with LOCALDDB_ENDPOINT.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, ListTablesCommand, QueryCommand,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBStreamsClient, ListStreamsCommand } from "@aws-sdk/client-dynamodb-streams";
import { startServer, clientConfig } from "./server.js";

const skip = process.env.LOCALDDB_ENDPOINT ? "namespaces are localddb's own feature" : false;

const schema = (name) => ({
  TableName: name,
  AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "g", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
  BillingMode: "PAY_PER_REQUEST",
  GlobalSecondaryIndexes: [{ IndexName: "by-g", KeySchema: [{ AttributeName: "g", KeyType: "HASH" }],
    Projection: { ProjectionType: "ALL" } }],
  StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
});

test("the /ns/{name} endpoint path isolates tables, items, ARNs and streams", { skip }, async () => {
  const server = await startServer();
  const clients = [];
  try {
    const make = (suffix) => {
      const client = new DynamoDBClient(clientConfig(server.endpoint + suffix));
      clients.push(client);
      return client;
    };
    const alpha = make("/ns/js-alpha");
    const beta = make("/ns/js-beta");
    const plain = make("");
    for (const client of [alpha, beta]) await client.send(new CreateTableCommand(schema("shared")));

    const docAlpha = DynamoDBDocumentClient.from(alpha);
    const docBeta = DynamoDBDocumentClient.from(beta);
    await docAlpha.send(new PutCommand({ TableName: "shared", Item: { pk: "k", g: "a", owner: "alpha", n: 1.5 } }));
    await docBeta.send(new PutCommand({ TableName: "shared", Item: { pk: "k", g: "b", owner: "beta" } }));

    assert.deepEqual((await docAlpha.send(new GetCommand({ TableName: "shared", Key: { pk: "k" } }))).Item,
      { pk: "k", g: "a", owner: "alpha", n: 1.5 });
    assert.deepEqual((await docBeta.send(new GetCommand({ TableName: "shared", Key: { pk: "k" } }))).Item,
      { pk: "k", g: "b", owner: "beta" });
    const q = await alpha.send(new QueryCommand({ TableName: "shared", IndexName: "by-g",
      KeyConditionExpression: "g = :g", ExpressionAttributeValues: { ":g": { S: "b" } } }));
    assert.equal(q.Count, 0);

    assert.deepEqual((await alpha.send(new ListTablesCommand({}))).TableNames, ["shared"]);
    assert.deepEqual((await plain.send(new ListTablesCommand({}))).TableNames, []);

    const arnA = (await alpha.send(new DescribeTableCommand({ TableName: "shared" }))).Table;
    const arnB = (await beta.send(new DescribeTableCommand({ TableName: "shared" }))).Table;
    const account = (arn) => arn.split(":")[4];
    assert.match(account(arnA.TableArn), /^\d{12}$/);
    assert.match(account(arnB.TableArn), /^\d{12}$/);
    assert.notEqual(account(arnA.TableArn), account(arnB.TableArn));
    assert.notEqual(account(arnA.TableArn), "000000000000");
    assert.equal(account(arnA.LatestStreamArn), account(arnA.TableArn));

    const streams = new DynamoDBStreamsClient(clientConfig(server.endpoint + "/ns/js-alpha"));
    try {
      const listed = await streams.send(new ListStreamsCommand({}));
      assert.deepEqual(listed.Streams.map((s) => s.StreamArn), [arnA.LatestStreamArn]);
    } finally {
      streams.destroy();
    }

    const res = await fetch(server.endpoint + "/_localddb/namespaces");
    const { namespaces } = await res.json();
    const byName = Object.fromEntries(namespaces.map((n) => [n.name, n]));
    assert.equal(byName["js-alpha"].accountId, account(arnA.TableArn));
    assert.equal(byName["js-beta"].accountId, account(arnB.TableArn));
    assert.equal(byName["js-alpha"].tables, 1);

    // A name with '/' (encoded) or 200 characters is refused with a ValidationException.
    for (const bad of ["/ns/a%2Fb", "/ns/" + "n".repeat(200)]) {
      await assert.rejects(make(bad).send(new ListTablesCommand({})), (e) => {
        assert.equal(e.name, "ValidationException");
        return true;
      });
    }
  } finally {
    for (const client of clients) client.destroy();
    await server.stop();
  }
});
