// The web console in a real browser (headless Debian chromium, driven by puppeteer-core): a table
// with a GSI and a stream, items written with the JS SDK, a stream hook delivering to a small local
// target; then every page of the console, an item edited there and read back through the SDK, a
// DynamoDB error shown as DynamoDB worded it, and the request log. Any console error or uncaught
// exception in the page fails the test. A screenshot of each page goes to
// $LOCALDDB_CONSOLE_SCREENSHOTS (docs/console/ holds the committed ones) or a temporary folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const shots = process.env.LOCALDDB_CONSOLE_SCREENSHOTS || fs.mkdtempSync(path.join(os.tmpdir(), "localddb-console-"));
fs.mkdirSync(shots, { recursive: true });

let server;
let target;
let browser;
let page;
let client;
let hookId;
const delivered = [];    // event bodies the hook target received
const pageErrors = [];   // console errors and uncaught exceptions in the page
let expectedApiErrors = 0;  // DynamoDB error answers a step provokes on purpose

// localddb in memory on a free port, as the other suites start it.
function startServer() {
  const bin = process.env.LOCALDDB_BIN || path.join(repo, "build", "localddb");
  const proc = spawn(bin, ["--in-memory", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: proc.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("localddb did not start")), 10000);
    lines.on("line", (line) => {
      const m = line.match(/^localddb listening on (http:\/\/\S+)/);
      if (!m) return;
      clearTimeout(timer);
      resolve({ endpoint: m[1], stop: () => new Promise((done) => { proc.on("exit", done); proc.kill("SIGTERM"); }) });
    });
    proc.on("exit", (code) => reject(new Error(`localddb exited with ${code}`)));
  });
}

// A stream hook's target: takes each Lambda event and answers as a successful function does.
function startTarget() {
  const srv = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => {
      delivered.push(JSON.parse(body));
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end("{}");
    });
  });
  return new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve(srv)));
}

async function admin(method, p, body) {
  const res = await fetch(`${server.endpoint}/_localddb${p}`, {
    method, headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

async function until(what, check, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function open(hash, selector) {
  await page.goto(`${server.endpoint}/_localddb/console#${hash}`, { waitUntil: "domcontentloaded" });
  if (selector) await page.waitForSelector(selector);
}

async function text(selector) {
  return page.$eval(selector, (el) => el.innerText);
}

async function shot(name, fullPage = false) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage });
}

before(async () => {
  server = await startServer();
  target = await startTarget();
  client = new DynamoDBClient({
    endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await client.send(new CreateTableCommand({
    TableName: "orders",
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "customer", AttributeType: "S" },
      { AttributeName: "placedAt", AttributeType: "S" },
      { AttributeName: "status", AttributeType: "S" },
    ],
    KeySchema: [{ AttributeName: "customer", KeyType: "HASH" }, { AttributeName: "placedAt", KeyType: "RANGE" }],
    GlobalSecondaryIndexes: [{
      IndexName: "byStatus",
      KeySchema: [{ AttributeName: "status", KeyType: "HASH" }, { AttributeName: "placedAt", KeyType: "RANGE" }],
      Projection: { ProjectionType: "ALL" },
    }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  }));
  const statuses = ["shipped", "pending", "shipped", "delivered", "shipped"];
  for (let day = 1; day <= 5; day++) {
    await client.send(new PutItemCommand({
      TableName: "orders",
      Item: {
        customer: { S: "alice" }, placedAt: { S: `2026-03-0${day}T10:00:00Z` }, status: { S: statuses[day - 1] },
        total: { N: String(day * 12.5) }, lines: { L: [{ M: { sku: { S: `sku-${day}` }, qty: { N: "1" } } }] },
      },
    }));
  }
  await client.send(new PutItemCommand({
    TableName: "orders",
    Item: { customer: { S: "bob" }, placedAt: { S: "2026-03-02T09:30:00Z" }, status: { S: "pending" }, total: { N: "99" } },
  }));
  const added = await admin("POST", "/stream-hooks", {
    table: "orders", url: `http://127.0.0.1:${target.address().port}/2015-03-31/functions/orders/invocations`,
  });
  assert.equal(added.status, 201);
  hookId = added.body.id;

  browser = await puppeteer.launch({
    executablePath: process.env.LOCALDDB_CHROMIUM || "/usr/bin/chromium",
    headless: false,  // the flags below say --headless themselves
    userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), "localddb-chromium-")),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    defaultViewport: { width: 1280, height: 800 },
  });
  page = await browser.newPage();
  page.on("pageerror", (e) => pageErrors.push(`uncaught: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // Chromium logs each 4xx answer to fetch; one a step provokes on purpose is not a failure.
    if (expectedApiErrors > 0 && /status of 400/.test(m.text())) {
      expectedApiErrors--;
      return;
    }
    pageErrors.push(`console.error: ${m.text()}`);
  });
  page.on("dialog", (d) => d.accept());
});

after(async () => {
  if (browser) await browser.close();
  if (target) target.close();
  if (server) await server.stop();
  console.log(`console screenshots: ${shots}`);
});

test("the console's files are served with their types and a strict CSP", async () => {
  const res = await fetch(`${server.endpoint}/_localddb/console`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /^text\/html/);
  assert.match(res.headers.get("content-security-policy"), /default-src 'self'/);
  const js = await fetch(`${server.endpoint}/_localddb/console/console.js`);
  assert.match(js.headers.get("content-type"), /^text\/javascript/);
  const missing = await fetch(`${server.endpoint}/_localddb/console/nope.js`);
  assert.equal(missing.status, 404);
  // Another site's page may not even load it.
  const foreign = await fetch(`${server.endpoint}/_localddb/console`, { headers: { Origin: "http://evil.example" } });
  assert.equal(foreign.status, 403);
});

test("tables: the table with its key, indexes and stream", async () => {
  await open("/", "#tables");
  const list = await text("#tables");
  assert.match(list, /orders/);
  assert.match(list, /customer, placedAt/);
  assert.match(list, /NEW_AND_OLD_IMAGES/);
  await shot("tables");

  await page.click("#tables a[href='#/table/orders']");
  await page.waitForSelector("#indexes");
  assert.match(await text("#key-schema"), /customer[\s\S]*partition[\s\S]*placedAt[\s\S]*sort/);
  assert.match(await text("#indexes"), /byStatus[\s\S]*GSI[\s\S]*status, placedAt[\s\S]*ACTIVE/);
  assert.match(await text("main"), /Time to live[\s\S]*DISABLED/);
  await shot("table");
});

test("namespaces: another namespace's tables, picked in the console", async () => {
  const team = new DynamoDBClient({
    endpoint: `${server.endpoint}/ns/team-1`, region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await team.send(new CreateTableCommand({
    TableName: "team-table", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
  }));
  await open("/", "#namespaces");
  assert.match(await text("#namespaces"), /default \(1\)[\s\S]*team-1 \(1\)/);
  await page.select("#ns", "team-1");
  await page.waitForFunction(() => document.querySelector("#tables")?.innerText.includes("team-table"));
  assert.doesNotMatch(await text("#tables"), /orders/);
  await page.select("#ns", "default");
  await page.waitForFunction(() => document.querySelector("#tables")?.innerText.includes("orders"));
});

test("items: scan, then one partition newest first, with the item's JSON in both views", async () => {
  await open("/table/orders/items", ".item-row");
  assert.equal((await page.$$(".item-row")).length, 6);
  await page.type("#pk", "alice");
  await page.click("#load");
  await until("the query's rows", async () => (await page.$$(".item-row")).length === 5);
  const firsts = await page.$$eval(".item-row", (rows) => rows.map((r) => r.cells[1].innerText));
  assert.deepEqual(firsts, [5, 4, 3, 2, 1].map((d) => `2026-03-0${d}T10:00:00Z`));

  await page.click(".item-row");
  assert.match(await text(".item-json"), /"placedAt": \{\s*"S": "2026-03-05T10:00:00Z"/);
  await page.select("#view-mode", "plain");
  assert.match(await text(".item-json"), /"total": 62.5/);
  await page.click(".item-row");
  await shot("items");
  await page.select("#view-mode", "ddb");

  await page.type("#filter", "delivered");
  assert.equal((await page.$$(".item-row")).length, 1);
});

test("editor: an item edited in the console reads back through the SDK; an error shows DynamoDB's words", async () => {
  const key = { customer: { S: "alice" }, placedAt: { S: "2026-03-03T10:00:00Z" } };
  await open(`/table/orders/edit/${encodeURIComponent(JSON.stringify(key))}`, "#item-editor");
  const before = JSON.parse(await page.$eval("#item-editor", (el) => el.value));
  assert.equal(before.status.S, "shipped");
  const edited = { ...before, status: { S: "returned" }, note: { S: "edited in the console" } };
  await page.$eval("#item-editor", (el, v) => { el.value = v; }, JSON.stringify(edited, null, 2));
  await page.click("#save-item");
  await page.waitForSelector("#editor-status .ok");
  await shot("editor");
  const back = await client.send(new GetItemCommand({ TableName: "orders", Key: key, ConsistentRead: true }));
  assert.equal(back.Item.note.S, "edited in the console");
  assert.equal(back.Item.status.S, "returned");

  // Without its sort key the item is refused; the page shows __type and message as returned.
  expectedApiErrors = 1;
  await page.$eval("#item-editor", (el) => { el.value = '{"customer": {"S": "alice"}}'; });
  await page.click("#save-item");
  await page.waitForSelector("#editor-status .error");
  const shown = await text("#editor-status .error");
  assert.match(shown, /com\.amazon\.coral\.validate#ValidationException/);
  assert.match(shown, /One or more parameter values were invalid: Missing the key placedAt in the item/);
  await until("chromium's log line of the 400", () => expectedApiErrors === 0, 2000).catch(() => { expectedApiErrors = 0; });
});

test("query: an index, newest first, with its consumed capacity", async () => {
  await open("/table/orders/query", "#run-query");
  await page.select("#index", "byStatus");
  await page.type("#query-pk", "shipped");
  await page.click("#run-query");
  await page.waitForSelector("#query-summary");
  assert.match(await text("#query-summary"), /^2 items \(2 read\)/);  // the 3rd was returned in the editor
  const firsts = await page.$$eval("#query-results .item-row", (rows) => rows.map((r) => r.cells[1].innerText));
  assert.deepEqual(firsts, ["2026-03-05T10:00:00Z", "2026-03-01T10:00:00Z"]);
  await shot("query");
});

test("stream: recent records, newest first, the console's edit among them", async () => {
  await open("/table/orders/stream", ".record-row");
  const rows = await page.$$eval(".record-row", (r) => r.map((x) => x.cells[1].innerText));
  assert.equal(rows.length, 7);
  assert.equal(rows[0], "MODIFY");
  await page.click(".record-row");
  assert.match(await text("#stream-records"), /NewImage[\s\S]*edited in the console[\s\S]*OldImage/);
  await shot("stream");
});

test("hooks: deliveries, lag, pause and resume", async () => {
  await until("the hook's deliveries", async () => {
    const hook = (await admin("GET", `/stream-hooks/${hookId}`)).body;
    return hook.lag === 0 && hook.counters.recordsDelivered === 7;
  });
  assert.equal(delivered.flatMap((e) => e.Records).length, 7);
  await open("/hooks", "#hooks");
  assert.match(await text("#hooks"), new RegExp(`${hookId}[\\s\\S]*orders[\\s\\S]*ok`));
  await shot("hooks");

  await page.click(`#hooks a[href='#/hooks/${hookId}']`);
  await page.waitForSelector("#deliveries .delivery-row");
  assert.match(await text("#deliveries"), /delivered/);
  await page.click(".pause-resume");
  await page.waitForFunction(() => document.querySelector(".pause-resume")?.innerText === "Resume");
  assert.equal((await admin("GET", `/stream-hooks/${hookId}`)).body.state, "paused");
  await page.click(".pause-resume");
  await page.waitForFunction(() => document.querySelector(".pause-resume")?.innerText === "Pause");
  await page.click(".delivery-row");
  await shot("hook", true);

  // Replay from the first record: the target gets every record again.
  const first = delivered[0].Records[0].dynamodb.SequenceNumber;
  await page.type("#replay-from", first);
  await page.click("#replay");
  await until("the replay", () => delivered.flatMap((e) => e.Records).length === 14);
});

test("snapshots: save, list, delete", async () => {
  await open("/snapshots", "#snapshot-name");
  await page.type("#snapshot-name", "before-demo");
  await page.click("#save-snapshot");
  await page.waitForSelector("#snapshots");
  assert.match(await text("#snapshots"), /before-demo[\s\S]*\b1\b[\s\S]*\b6\b/);
  await shot("snapshots");
  const [del] = await page.$$("#snapshots button.danger");
  await del.click();
  await page.waitForFunction(() => !document.querySelector("#snapshots"));
  assert.deepEqual((await admin("GET", "/snapshots")).body.snapshots, []);
});

test("requests: the console's own calls, newest first, with their bodies", async () => {
  // One with ConsumedCapacity, from a client.
  await client.send(new UpdateItemCommand({
    TableName: "orders", Key: { customer: { S: "bob" }, placedAt: { S: "2026-03-02T09:30:00Z" } },
    UpdateExpression: "SET #s = :s", ExpressionAttributeNames: { "#s": "status" },
    ExpressionAttributeValues: { ":s": { S: "shipped" } }, ReturnConsumedCapacity: "TOTAL",
  }));
  await open("/requests", ".request-row");
  const first = await page.$eval(".request-row", (r) => [...r.cells].map((c) => c.innerText));
  assert.equal(first[1], "UpdateItem");
  assert.equal(first[2], "orders");
  assert.equal(first[3], "200");
  assert.equal(first[6], "3");  // write units: the item, and the GSI's old entry removed and new one written
  const all = await text("#requests");
  assert.match(all, /PutItem[\s\S]*orders[\s\S]*400[\s\S]*ValidationException/);
  assert.match(all, /GetRecords/);
  await shot("requests");

  await page.type("#requests-filter", "ValidationException");
  await page.click(".request-row");
  await page.waitForSelector("#response-body");
  assert.match(await text("#request-body"), /"customer"/);
  assert.match(await text("#response-body"), /Missing the key placedAt/);
  await shot("request");
});

test("a narrow window: nothing wider than the window but the tables' own scrolling", async () => {
  await page.setViewport({ width: 420, height: 800 });
  await open("/table/orders/items", ".item-row");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 420, `page is ${width}px wide`);
  await shot("items-narrow");
  await page.setViewport({ width: 1280, height: 800 });
});

test("no console error or uncaught exception in the page", () => {
  assert.deepEqual(pageErrors, []);
});
