// localddb for tests: this worker's namespace, a DynamoDB client on it, and the admin API.
//
// Every Vitest worker (VITEST_POOL_ID; JEST_WORKER_ID under Jest) gets its own namespace on the one
// server, `<url>/ns/worker-<id>`: test files running in parallel never see each other's tables.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll } from "vitest";

const url = process.env.LOCALDDB_URL;
if (!url) throw new Error("LOCALDDB_URL is not set: add localddb/global-setup.js to globalSetup in vitest.config.js");

const worker = process.env.VITEST_POOL_ID ?? process.env.JEST_WORKER_ID;
export const namespace = worker ? `worker-${worker}` : "main";
export const endpoint = `${url.replace(/\/$/, "")}/ns/${namespace}`;

export function dynamodbClient(options = {}) {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    ...options,
  });
}

async function admin(method, path, body = {}) {
  const res = await fetch(`${endpoint}/_localddb/${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`localddb ${method} /_localddb/${path} in namespace ${namespace}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/** 'drop': remove every table; 'truncate': keep tables, remove every item. -> {tables, items} */
export const reset = (mode = "drop") => admin("POST", "reset", { mode });
/** Saves the namespace's whole state as snapshot `name` (replacing one of that name). */
export const saveSnapshot = (name) => admin("PUT", `snapshots/${encodeURIComponent(name)}`);
/** Makes the namespace exactly the snapshot's state again. */
export const restore = (name) => admin("POST", `snapshots/${encodeURIComponent(name)}/restore`);
/** Creates tables (CreateTable inputs) and puts items ({Table: [DynamoDB JSON items]}). */
export const seed = ({ tables = [], items = {} } = {}) => admin("POST", "seed", { tables, items });

// What the beforeEach of setup.js does: "drop" (default, or LOCALDDB_RESET), "truncate",
// { snapshot: "name" } or null / "none" (nothing).
let resetBeforeEach = process.env.LOCALDDB_RESET ?? "drop";

export async function resetForTest() {
  const how = resetBeforeEach;
  if (how && typeof how === "object") await restore(how.snapshot);
  else if (how && how !== "none") await reset(how);
}

/**
 * Changes the reset before each test for the enclosing describe block (or the whole file, at the
 * top level): useReset("truncate"), useReset({ snapshot: "seeded" }), useReset(null).
 */
export function useReset(how) {
  let previous;
  beforeAll(() => {
    previous = resetBeforeEach;
    resetBeforeEach = how;
  });
  afterAll(() => {
    resetBeforeEach = previous;
  });
}
