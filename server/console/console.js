// localddb web console: one page of hash routes (#/table/NAME/items, #/hooks, ...), plain
// JavaScript with no build step and no dependency, served by the binary itself.
//
// It has no endpoint of its own: tables and items go through the public DynamoDB API (POST / with
// X-Amz-Target), stream records through the DynamoDB Streams API, and hooks, snapshots, reset and
// the request log through the documented admin API (/_localddb/...). Whatever it shows, a script
// could get the same way.
"use strict";

// ---------------------------------------------------------------------------------------------
// State and small helpers

const main = document.getElementById("main");

function nsFromPath() {
  // A page opened under an endpoint prefix (/ns/NAME/_localddb/console) addresses that namespace.
  const m = location.pathname.match(/^\/ns\/([^/]+)\//);
  return m ? decodeURIComponent(m[1]) : "";
}

function stored(storage, key) {
  try {
    return storage.getItem(key) || "";
  } catch {
    return "";  // storage refused (e.g. disabled): the console works without it
  }
}

function store(storage, key, value) {
  try {
    storage.setItem(key, value);
  } catch {
    // not kept across reloads, nothing more
  }
}

const state = {
  ns: nsFromPath() || stored(sessionStorage, "localddb.ns") || "default",
  token: stored(sessionStorage, "localddb.token"),
  plain: stored(localStorage, "localddb.view") === "plain",  // item JSON: plain, or DynamoDB JSON
};

// h("a", {href: "#/", class: "x", onclick: f}, "text", child, [more]): a DOM element.
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "value") value = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (typeof v === "boolean") el[k] = v;
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  if (value !== undefined) el.value = value;  // after the options of a select exist
  return el;
}

const enc = encodeURIComponent;
const go = (hash) => { location.hash = hash; };
const tableLink = (name, tab) => `#/table/${enc(name)}${tab ? "/" + tab : ""}`;

function fmtInt(n) {
  return n === undefined || n === null ? "—" : Number(n).toLocaleString("en-US");
}

function fmtBytes(n) {
  if (n === undefined || n === null) return "—";
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function fmtEpoch(seconds) {
  return seconds ? new Date(seconds * 1000).toISOString().replace("T", " ").replace("Z", " UTC") : "—";
}

function fmtClock(iso) {
  // 2026-01-01T10:00:00.123Z -> 10:00:00.123 (UTC, like the server's log)
  return iso ? iso.slice(11, 23) : "—";
}

function short(text, max) {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

function thead(names) {
  return h("thead", {}, h("tr", {}, names.map((n) => (typeof n === "string" ? h("th", {}, n) : n))));
}

function badge(text, kind) {
  return h("span", { class: `badge ${kind || ""}` }, text);
}

function facts(pairs) {
  return h("dl", { class: "facts" },
    pairs.filter((p) => p).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v === undefined || v === "" ? "—" : v)]));
}

function pretty(value) {
  return JSON.stringify(value, null, 2);
}

// A body that may be JSON (a request or an answer): pretty when it parses.
function prettyText(text) {
  try {
    return pretty(JSON.parse(text));
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------------------------------------
// Talking to the server

class ApiError extends Error {
  constructor(type, message, status) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

// localddb, by default (--auth none), accepts any well-formed credentials but insists that a
// request carries some, as DynamoDB does: the console sends a signature nobody checks. With
// --auth sigv4 its DynamoDB calls are refused (the page shows the answer).
const kAuthorization = "AWS4-HMAC-SHA256 Credential=localddb-console/20000101/us-east-1/dynamodb/aws4_request, " +
  "SignedHeaders=host;x-amz-target, Signature=" + "0".repeat(64);

async function call(service, operation, body) {
  const res = await fetch("/", {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": `${service}.${operation}`,
      "Authorization": kAuthorization,
      "X-Localddb-Namespace": state.ns,
    },
    body: JSON.stringify(body || {}),
  });
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(`HTTP ${res.status}`, short(text, 300), res.status);
  }
  if (!res.ok) throw new ApiError(data.__type || `HTTP ${res.status}`, data.message || data.Message || "", res.status);
  return data;
}

const ddb = (operation, body) => call("DynamoDB_20120810", operation, body);
const ddbStreams = (operation, body) => call("DynamoDBStreams_20120810", operation, body);

async function admin(method, path, body) {
  const headers = { "X-Localddb-Namespace": state.ns };
  // The admin gate wants JSON on anything that changes state.
  if (body === undefined && (method === "POST" || method === "PUT")) body = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  const res = await fetch(`/_localddb${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = {};
  try {
    data = await res.json();
  } catch {
    // every admin answer is JSON; an empty one is treated as {}
  }
  if (res.status === 401) document.getElementById("token").hidden = false;
  if (!res.ok) throw new ApiError(data.error || `HTTP ${res.status}`, data.message || "", res.status);
  return data;
}

async function describe(name) {
  return (await ddb("DescribeTable", { TableName: name })).Table;
}

async function listTables() {
  const names = [];
  let start;
  do {
    const out = await ddb("ListTables", start ? { ExclusiveStartTableName: start, Limit: 100 } : { Limit: 100 });
    names.push(...out.TableNames);
    start = out.LastEvaluatedTableName;
  } while (start);
  return names;
}

function errorBox(e) {
  if (e instanceof ApiError)
    return h("div", { class: "error", role: "alert" }, h("span", { class: "type" }, e.type), e.message);
  return h("div", { class: "error", role: "alert" }, String((e && e.message) || e));
}

function okBox(text) {
  return h("div", { class: "ok", role: "status" }, text);
}

// Runs an action of a button, showing its error (or success) in `where`.
async function act(where, action, success) {
  where.replaceChildren();
  try {
    const out = await action();
    if (success) where.replaceChildren(okBox(typeof success === "function" ? success(out) : success));
    return out;
  } catch (e) {
    where.replaceChildren(errorBox(e));
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Attribute values

// {"S": "x"} -> "x", {"N": "1"} -> 1, {"M": {...}} -> {...}: the plain view.
function plain(v) {
  const [type, x] = Object.entries(v || {})[0] || [];
  switch (type) {
    case "S": case "B": case "BOOL": case "SS": case "BS": return x;
    case "N": { const n = Number(x); return String(n) === x ? n : x; }  // keep digits a double would lose
    case "NS": return x.map((n) => plain({ N: n }));
    case "NULL": return null;
    case "L": return x.map(plain);
    case "M": return plainItem(x);
    default: return v;
  }
}

function plainItem(item) {
  const out = {};
  for (const [k, v] of Object.entries(item || {})) out[k] = plain(v);
  return out;
}

function itemJson(item) {
  return pretty(state.plain ? plainItem(item) : item);
}

// One cell of an item table.
function cellText(v) {
  if (v === undefined) return "";
  const p = plain(v);
  return short(typeof p === "string" ? p : JSON.stringify(p), 120);
}

// A key value typed as the table says (S, N or B) from what was typed in a box.
function typed(type, text) {
  return { [type || "S"]: text };
}

function keyNames(keySchema) {
  const hash = (keySchema || []).find((k) => k.KeyType === "HASH");
  const range = (keySchema || []).find((k) => k.KeyType === "RANGE");
  return { hash: hash && hash.AttributeName, range: range && range.AttributeName };
}

function keyText(keySchema) {
  const { hash, range } = keyNames(keySchema);
  return range ? `${hash}, ${range}` : hash || "—";
}

function attributeTypes(table) {
  const types = {};
  for (const a of table.AttributeDefinitions || []) types[a.AttributeName] = a.AttributeType;
  return types;
}

function keyOf(item, table) {
  const key = {};
  for (const k of table.KeySchema) if (item[k.AttributeName] !== undefined) key[k.AttributeName] = item[k.AttributeName];
  return key;
}

function viewToggle(onchange) {
  return h("label", {}, "item JSON",
    h("select", {
      id: "view-mode",
      value: state.plain ? "plain" : "ddb",
      onchange: (e) => {
        state.plain = e.target.value === "plain";
        store(localStorage, "localddb.view", state.plain ? "plain" : "ddb");
        onchange();
      },
    }, h("option", { value: "ddb" }, "DynamoDB JSON"), h("option", { value: "plain" }, "plain")));
}

// A table of items: their key attributes, then the other attributes most items have; a click shows
// an item's JSON, Edit opens it in the editor.
function itemTable(items, table, filterText) {
  const { hash, range } = keyNames(table.KeySchema);
  const needle = (filterText || "").trim().toLowerCase();
  const shown = needle
    ? items.filter((it) => (JSON.stringify(it) + JSON.stringify(plainItem(it))).toLowerCase().includes(needle))
    : items;
  const columns = [hash, range].filter(Boolean);
  const seen = new Map();
  for (const it of shown) for (const k of Object.keys(it)) if (!columns.includes(k)) seen.set(k, (seen.get(k) || 0) + 1);
  columns.push(...[...seen.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k]) => k));
  const body = h("tbody");
  for (const it of shown) {
    const detail = h("tr", { class: "detail", hidden: true },
      h("td", { colspan: columns.length + 1 }, h("pre", { class: "item-json" }, itemJson(it))));
    const edit = h("a", {
      href: `${tableLink(table.TableName, "edit")}/${enc(JSON.stringify(keyOf(it, table)))}`,
      class: "edit", onclick: (e) => e.stopPropagation(),
    }, "Edit");
    body.append(
      h("tr", { class: "clickable item-row", onclick: () => { detail.hidden = !detail.hidden; } },
        columns.map((c) => h("td", { class: "cell", title: cellText(it[c]) }, cellText(it[c]))),
        h("td", {}, edit)),
      detail);
  }
  const note = needle ? h("p", { class: "muted" }, `${shown.length} of ${items.length} items on this page match.`) : null;
  if (!shown.length) return h("div", {}, note, h("p", { class: "muted" }, "No items."));
  return h("div", {}, note,
    h("div", { class: "scroll" }, h("table", { class: "items" }, thead([...columns, ""]), body)));
}

function capacityText(c) {
  if (!c) return "";
  const list = Array.isArray(c) ? c : [c];
  const units = list.reduce((sum, x) => sum + (x.CapacityUnits || 0), 0);
  return `${Number(units.toFixed(2))}`;
}

// ---------------------------------------------------------------------------------------------
// Pages: tables

async function viewTables() {
  const [names, spaces] = await Promise.all([listTables(), admin("GET", "/namespaces").catch(() => null)]);
  const tables = await Promise.all(names.map((n) => describe(n).catch((e) => ({ TableName: n, error: e }))));
  // The namespaces (when the admin API answers), each a click away; the selector learns new ones.
  if (spaces) fillNamespaces(spaces.namespaces.map((n) => n.name));
  const namespaces = spaces && spaces.namespaces.length > 1 ? h("p", { id: "namespaces", class: "actions" }, "Namespaces:",
    spaces.namespaces.map((n) => n.name === state.ns
      ? badge(`${n.name} (${n.tables})`, "good")
      : h("a", { href: "#/", onclick: (e) => { e.preventDefault(); switchNamespace(n.name); } }, `${n.name} (${n.tables})`))) : null;
  const rows = tables.map((t) => h("tr", {},
    h("td", {}, h("a", { href: tableLink(t.TableName) }, t.TableName)),
    h("td", {}, t.error ? badge(t.error.type, "bad") : statusBadge(t.TableStatus)),
    h("td", { class: "mono" }, keyText(t.KeySchema)),
    h("td", { class: "num" }, fmtInt(t.ItemCount)),
    h("td", { class: "num" }, fmtBytes(t.TableSizeBytes)),
    h("td", { class: "num" }, `${(t.GlobalSecondaryIndexes || []).length} / ${(t.LocalSecondaryIndexes || []).length}`),
    h("td", {}, t.StreamSpecification && t.StreamSpecification.StreamEnabled ? t.StreamSpecification.StreamViewType : "off"),
    h("td", { class: "hide-narrow" }, billing(t)),
    h("td", { class: "actions" }, h("a", { href: tableLink(t.TableName, "items") }, "Items"))));
  return h("div", {},
    h("h1", {}, "Tables ", h("small", {}, `namespace ${state.ns}`)),
    namespaces,
    names.length
      ? h("div", { class: "scroll" }, h("table", { id: "tables" },
        thead(["Table", "Status", "Key", "Items", "Size", "GSIs / LSIs", "Stream", h("th", { class: "hide-narrow" }, "Billing"), ""]),
        h("tbody", {}, rows)))
      : h("p", { class: "muted" }, "No tables in this namespace yet. Create one with any DynamoDB client pointed at ",
        h("code", {}, location.origin), "."));
}

function statusBadge(status) {
  return badge(status || "—", status === "ACTIVE" ? "good" : status ? "warn" : "");
}

function billing(t) {
  const mode = (t.BillingModeSummary && t.BillingModeSummary.BillingMode) || "PROVISIONED";
  if (mode !== "PROVISIONED" || !t.ProvisionedThroughput) return mode;
  return `${mode} (${t.ProvisionedThroughput.ReadCapacityUnits} RCU, ${t.ProvisionedThroughput.WriteCapacityUnits} WCU)`;
}

function tableHeader(name, current) {
  const tabs = [["", "Overview"], ["items", "Items"], ["query", "Query"], ["stream", "Stream"]];
  return [
    h("h1", {}, h("a", { href: "#/" }, "Tables"), " / ", name),
    h("nav", { class: "tabs" },
      tabs.map(([tab, label]) => h("a", { href: tableLink(name, tab), class: tab === current ? "current" : "" }, label))),
  ];
}

function projectionText(p) {
  if (!p) return "—";
  return p.NonKeyAttributes ? `${p.ProjectionType} (${p.NonKeyAttributes.join(", ")})` : p.ProjectionType;
}

async function viewTable(name) {
  const [t, ttl] = await Promise.all([
    describe(name),
    ddb("DescribeTimeToLive", { TableName: name }).then((o) => o.TimeToLiveDescription, (e) => ({ error: e })),
  ]);
  const types = attributeTypes(t);
  const indexes = [
    ...(t.GlobalSecondaryIndexes || []).map((i) => ({ ...i, kind: "GSI" })),
    ...(t.LocalSecondaryIndexes || []).map((i) => ({ ...i, kind: "LSI" })),
  ];
  const stream = t.StreamSpecification || {};
  return h("div", {},
    tableHeader(name, ""),
    h("div", { class: "grid2" },
      h("section", { class: "panel" }, h("h2", {}, "Table"), facts([
        ["Status", statusBadge(t.TableStatus)],
        ["Items", fmtInt(t.ItemCount)],
        ["Size", fmtBytes(t.TableSizeBytes)],
        ["Billing", billing(t)],
        ["Created", fmtEpoch(t.CreationDateTime)],
        t.TableClassSummary && ["Table class", t.TableClassSummary.TableClass],
        ["Deletion protection", t.DeletionProtectionEnabled ? "on" : "off"],
        ["ARN", h("code", {}, t.TableArn)],
      ])),
      h("section", { class: "panel" }, h("h2", {}, "Key schema"),
        h("table", { id: "key-schema" }, thead(["Attribute", "Key", "Type"]),
          h("tbody", {}, t.KeySchema.map((k) => h("tr", {},
            h("td", { class: "mono" }, k.AttributeName),
            h("td", {}, k.KeyType === "HASH" ? "partition (HASH)" : "sort (RANGE)"),
            h("td", {}, types[k.AttributeName] || "—")))))),
      h("section", { class: "panel" }, h("h2", {}, "Stream"), facts([
        ["Stream", stream.StreamEnabled ? badge("enabled", "good") : badge("off")],
        stream.StreamEnabled && ["View type", stream.StreamViewType],
        t.LatestStreamLabel && ["Label", t.LatestStreamLabel],
        t.LatestStreamArn && ["ARN", h("code", {}, t.LatestStreamArn)],
      ])),
      h("section", { class: "panel" }, h("h2", {}, "Time to live"), ttl.error ? errorBox(ttl.error) : facts([
        ["Status", ttl.TimeToLiveStatus === "ENABLED" ? badge("ENABLED", "good") : badge(ttl.TimeToLiveStatus || "—")],
        ["Attribute", ttl.AttributeName ? h("code", {}, ttl.AttributeName) : "—"],
      ]))),
    h("section", { class: "panel" }, h("h2", {}, `Secondary indexes (${indexes.length})`),
      indexes.length
        ? h("div", { class: "scroll" }, h("table", { id: "indexes" },
          thead(["Index", "Kind", "Key", "Projection", "Status", "Items", "Size"]),
          h("tbody", {}, indexes.map((i) => h("tr", {},
            h("td", { class: "mono" }, i.IndexName),
            h("td", {}, i.kind),
            h("td", { class: "mono" }, keyText(i.KeySchema)),
            h("td", {}, projectionText(i.Projection)),
            h("td", {}, i.kind === "GSI" ? statusBadge(i.IndexStatus) : statusBadge("ACTIVE")),
            h("td", { class: "num" }, fmtInt(i.ItemCount)),
            h("td", { class: "num" }, fmtBytes(i.IndexSizeBytes)))))))
        : h("p", { class: "muted" }, "None.")));
}

// ---------------------------------------------------------------------------------------------
// Pages: items (scan or query by key, newest first), the item editor, queries

async function viewItems(name) {
  const t = await describe(name);
  const { hash, range } = keyNames(t.KeySchema);
  const types = attributeTypes(t);
  const results = h("div", { id: "items" });
  const status = h("div");
  let items = [];
  let pages = [undefined];  // ExclusiveStartKey of each page seen, for Previous
  let page = 0;
  let next;

  const pk = h("input", { id: "pk", type: "text", placeholder: `${hash} (empty: scan)` });
  const newest = h("input", { id: "newest", type: "checkbox", checked: Boolean(range), disabled: !range });
  const limit = h("select", { id: "limit", value: "25" }, [10, 25, 50, 100].map((n) => h("option", { value: String(n) }, n)));
  const filter = h("input", { id: "filter", type: "search", placeholder: "text on this page" });
  const prev = h("button", { type: "button", onclick: () => load(page - 1) }, "◀ Previous");
  const more = h("button", { type: "button", id: "next-page", onclick: () => load(page + 1) }, "Next ▶");
  const pageInfo = h("span", { class: "muted" });

  function render() {
    results.replaceChildren(itemTable(items, t, filter.value));
    prev.disabled = page === 0;
    more.disabled = !next;
    pageInfo.textContent = `page ${page + 1} · ${items.length} items`;
  }

  async function load(to) {
    if (to === 0) pages = [undefined];
    if (to > page) pages[to] = next;
    const req = { TableName: name, Limit: Number(limit.value), ReturnConsumedCapacity: "TOTAL" };
    if (pages[to]) req.ExclusiveStartKey = pages[to];
    let op = "Scan";
    if (pk.value !== "") {
      // One partition, newest first where there is a sort key.
      op = "Query";
      req.KeyConditionExpression = "#pk = :pk";
      req.ExpressionAttributeNames = { "#pk": hash };
      req.ExpressionAttributeValues = { ":pk": typed(types[hash], pk.value) };
      req.ScanIndexForward = !(range && newest.checked);
    }
    status.replaceChildren();
    try {
      const out = await ddb(op, req);
      items = out.Items;
      next = out.LastEvaluatedKey;
      page = to;
      render();
    } catch (e) {
      status.replaceChildren(errorBox(e));
    }
  }

  filter.addEventListener("input", render);
  const form = h("form", { class: "bar", onsubmit: (e) => { e.preventDefault(); load(0); } },
    h("label", {}, `partition key ${hash} (${types[hash] || "S"})`, pk),
    h("label", { class: "check", title: "Query with ScanIndexForward false" }, newest, "newest first"),
    h("label", {}, "per page", limit),
    h("button", { type: "submit", class: "primary", id: "load" }, "Load"),
    h("label", {}, "filter", filter),
    viewToggle(render),
    h("a", { href: tableLink(name, "edit"), id: "new-item" }, "+ New item"));
  await load(0);
  return h("div", {}, tableHeader(name, "items"), form, status, results,
    h("div", { class: "bar" }, prev, more, pageInfo));
}

function itemTemplate(t) {
  const types = attributeTypes(t);
  const item = {};
  for (const k of t.KeySchema) item[k.AttributeName] = typed(types[k.AttributeName], "");
  return item;
}

async function viewEditor(name, keyText) {
  const t = await describe(name);
  const status = h("div", { id: "editor-status" });
  let key = keyText ? JSON.parse(keyText) : null;
  let item = key ? (await ddb("GetItem", { TableName: name, Key: key, ConsistentRead: true })).Item : null;
  const note = key && !item ? h("p", { class: "muted" }, "No item has this key now: saving creates it.") : null;
  const editor = h("textarea", { id: "item-editor", spellcheck: "false" });
  editor.value = pretty(item || key || itemTemplate(t));

  async function save() {
    let parsed;
    try {
      parsed = JSON.parse(editor.value);
    } catch (e) {
      status.replaceChildren(errorBox(`The item is not JSON: ${e.message}`));
      return;
    }
    const out = await act(status, () => ddb("PutItem", { TableName: name, Item: parsed, ReturnConsumedCapacity: "TOTAL" }),
      (o) => `Saved (${capacityText(o.ConsumedCapacity)} write units).`);
    if (out) {
      key = keyOf(parsed, t);
      deleteButton.disabled = false;
      // The address follows the item (its key may have changed), without reloading the page.
      history.replaceState(null, "", `${tableLink(name, "edit")}/${enc(JSON.stringify(key))}`);
    }
  }

  async function remove() {
    if (!confirm(`Delete the item ${JSON.stringify(plainItem(key))} from ${name}?`)) return;
    const out = await act(status, () => ddb("DeleteItem", { TableName: name, Key: key }));
    if (out) go(tableLink(name, "items"));
  }

  const deleteButton = h("button", { type: "button", class: "danger", id: "delete-item", disabled: !key, onclick: remove }, "Delete");
  return h("div", {}, tableHeader(name, "items"),
    h("h2", {}, key ? "Edit item" : "New item"),
    note,
    h("p", { class: "muted" }, "DynamoDB JSON: each value with its type, e.g. ", h("code", {}, '{"S": "text"}'), ", ",
      h("code", {}, '{"N": "42"}'), ", ", h("code", {}, '{"L": [...]}'), ". Saving is a PutItem of the whole item."),
    status,
    editor,
    h("div", { class: "bar" },
      h("button", { type: "button", class: "primary", id: "save-item", onclick: save }, "Save"),
      h("button", { type: "button", onclick: () => { try { editor.value = pretty(JSON.parse(editor.value)); } catch { /* left as typed */ } } }, "Format"),
      deleteButton,
      h("a", { href: tableLink(name, "items") }, "Back to items")));
}

async function viewQuery(name) {
  const t = await describe(name);
  const types = attributeTypes(t);
  const indexes = [{ IndexName: "", KeySchema: t.KeySchema, label: `table (${keyText(t.KeySchema)})` },
    ...(t.GlobalSecondaryIndexes || []).map((i) => ({ ...i, label: `GSI ${i.IndexName} (${keyText(i.KeySchema)})`, global: true })),
    ...(t.LocalSecondaryIndexes || []).map((i) => ({ ...i, label: `LSI ${i.IndexName} (${keyText(i.KeySchema)})` }))];
  const index = h("select", { id: "index" }, indexes.map((i) => h("option", { value: i.IndexName }, i.label)));
  const pk = h("input", { id: "query-pk", type: "text" });
  const pkLabel = h("span");
  const skOp = h("select", { id: "sk-op" }, ["", "=", "<", "<=", ">", ">=", "begins_with", "between"].map((o) =>
    h("option", { value: o }, o || "(any)")));
  const sk = h("input", { id: "query-sk", type: "text" });
  const sk2 = h("input", { id: "query-sk2", type: "text", placeholder: "and (between)" });
  const skLabel = h("span");
  const filterExpr = h("input", { id: "filter-expression", type: "text", placeholder: "#s = :s" });
  const extra = h("input", { id: "expression-values", type: "text", placeholder: '{"#s": "status", ":s": {"S": "open"}}' });
  const newest = h("input", { type: "checkbox", checked: true });
  const consistent = h("input", { type: "checkbox" });
  const limit = h("input", { type: "number", min: "1", value: "25" });
  const status = h("div");
  const results = h("div", { id: "query-results" });
  let lastRequest;

  const chosen = () => indexes.find((i) => i.IndexName === index.value);
  function relabel() {
    const { hash, range } = keyNames(chosen().KeySchema);
    pkLabel.textContent = `${hash} =`;
    skLabel.textContent = range ? `${range}` : "(no sort key)";
    skOp.disabled = sk.disabled = sk2.disabled = !range;
    consistent.disabled = Boolean(chosen().global);  // a GSI cannot be read consistently
  }
  index.addEventListener("change", relabel);
  relabel();

  async function run(startKey) {
    const i = chosen();
    const { hash, range } = keyNames(i.KeySchema);
    const names = { "#pk": hash };
    const values = { ":pk": typed(types[hash], pk.value) };
    let condition = "#pk = :pk";
    if (range && skOp.value) {
      names["#sk"] = range;
      values[":sk"] = typed(types[range], sk.value);
      if (skOp.value === "begins_with") condition += " AND begins_with(#sk, :sk)";
      else if (skOp.value === "between") {
        condition += " AND #sk BETWEEN :sk AND :sk2";
        values[":sk2"] = typed(types[range], sk2.value);
      } else condition += ` AND #sk ${skOp.value} :sk`;
    }
    const req = {
      TableName: name, KeyConditionExpression: condition, ScanIndexForward: !newest.checked,
      Limit: Number(limit.value) || undefined, ReturnConsumedCapacity: "TOTAL",
    };
    if (i.IndexName) req.IndexName = i.IndexName;
    if (consistent.checked && !consistent.disabled) req.ConsistentRead = true;
    if (filterExpr.value.trim()) req.FilterExpression = filterExpr.value.trim();
    if (extra.value.trim()) {
      let more;
      try {
        more = JSON.parse(extra.value);
      } catch (e) {
        status.replaceChildren(errorBox(`Names and values are not JSON: ${e.message}`));
        return;
      }
      for (const [k, v] of Object.entries(more)) (k.startsWith("#") ? names : values)[k] = v;
    }
    req.ExpressionAttributeNames = names;
    req.ExpressionAttributeValues = values;
    if (startKey) req.ExclusiveStartKey = startKey;
    lastRequest = req;
    status.replaceChildren();
    try {
      const out = await ddb("Query", req);
      const nextButton = out.LastEvaluatedKey
        ? h("button", { type: "button", onclick: () => run(out.LastEvaluatedKey) }, "Next page ▶") : null;
      results.replaceChildren(
        h("p", { class: "muted", id: "query-summary" },
          `${out.Count} items (${out.ScannedCount} read) · ${capacityText(out.ConsumedCapacity)} read units`),
        itemTable(out.Items, t, ""),
        h("div", { class: "bar" }, nextButton),
        h("details", {}, h("summary", {}, "Request sent"), h("pre", {}, pretty(lastRequest))));
    } catch (e) {
      status.replaceChildren(errorBox(e));
      results.replaceChildren(h("details", { open: true }, h("summary", {}, "Request sent"), h("pre", {}, pretty(lastRequest))));
    }
  }

  const form = h("form", { class: "bar", onsubmit: (e) => { e.preventDefault(); run(); } },
    h("label", {}, "table or index", index),
    h("label", {}, pkLabel, pk),
    h("label", {}, skLabel, h("span", { class: "actions" }, skOp, sk, sk2)),
    h("label", {}, "filter expression", filterExpr),
    h("label", {}, "names and values (JSON)", extra),
    h("label", {}, "limit", limit),
    h("label", { class: "check" }, newest, "newest first"),
    h("label", { class: "check" }, consistent, "consistent read"),
    h("button", { type: "submit", class: "primary", id: "run-query" }, "Run query"),
    viewToggle(() => lastRequest && run(lastRequest.ExclusiveStartKey)));
  return h("div", {}, tableHeader(name, "query"), form, status, results);
}

// ---------------------------------------------------------------------------------------------
// Pages: the stream's recent records (DynamoDB Streams API)

const kRecordsShown = 100;

function compareSequence(a, b) {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

async function readRecentRecords(streamArn) {
  const description = (await ddbStreams("DescribeStream", { StreamArn: streamArn })).StreamDescription;
  let records = [];
  for (const shard of description.Shards || []) {
    let iterator = (await ddbStreams("GetShardIterator",
      { StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" })).ShardIterator;
    // An open shard keeps answering with an iterator: stop once it has nothing more (or after a
    // bounded number of pages, on a long stream).
    for (let i = 0; iterator && i < 20; i++) {
      const out = await ddbStreams("GetRecords", { ShardIterator: iterator, Limit: 1000 });
      records.push(...out.Records);
      if (records.length > 5 * kRecordsShown) records = records.slice(-kRecordsShown);
      iterator = out.NextShardIterator;
      if (!out.Records.length) break;
    }
  }
  records.sort((a, b) => compareSequence(b.dynamodb.SequenceNumber, a.dynamodb.SequenceNumber));
  return { description, records: records.slice(0, kRecordsShown) };
}

async function viewStream(name) {
  const t = await describe(name);
  const header = tableHeader(name, "stream");
  if (!t.LatestStreamArn)
    return h("div", {}, header, h("p", { class: "muted" }, "This table has no stream. Enable one with UpdateTable ",
      h("code", {}, "StreamSpecification"), "."));
  const list = h("div", { id: "stream-records" });
  const status = h("div");

  async function load() {
    status.replaceChildren();
    try {
      const { description, records } = await readRecentRecords(t.LatestStreamArn);
      const body = h("tbody");
      for (const r of records) {
        const d = r.dynamodb;
        const detail = h("tr", { class: "detail", hidden: true }, h("td", { colspan: 5 }, h("div", { class: "grid2" },
          d.NewImage ? h("div", {}, h("h2", {}, "NewImage"), h("pre", {}, itemJson(d.NewImage))) : null,
          d.OldImage ? h("div", {}, h("h2", {}, "OldImage"), h("pre", {}, itemJson(d.OldImage))) : null,
          !d.NewImage && !d.OldImage ? h("pre", {}, itemJson(d.Keys)) : null)));
        const kind = { INSERT: "good", MODIFY: "warn", REMOVE: "bad" }[r.eventName];
        body.append(h("tr", { class: "clickable record-row", onclick: () => { detail.hidden = !detail.hidden; } },
          h("td", {}, fmtEpoch(d.ApproximateCreationDateTime)),
          h("td", {}, badge(r.eventName, kind)),
          h("td", { class: "cell" }, JSON.stringify(plainItem(d.Keys))),
          h("td", { class: "mono" }, d.SequenceNumber),
          h("td", { class: "num" }, fmtBytes(d.SizeBytes))), detail);
      }
      list.replaceChildren(
        facts([["Stream", h("code", {}, description.StreamArn)], ["Status", description.StreamStatus],
          ["View type", description.StreamViewType], ["Shards", String((description.Shards || []).length)]]),
        h("h2", {}, `Recent records (${records.length}, newest first)`),
        records.length
          ? h("div", { class: "scroll" }, h("table", {}, thead(["Time", "Event", "Keys", "Sequence number", "Size"]), body))
          : h("p", { class: "muted" }, "No records yet."));
    } catch (e) {
      status.replaceChildren(errorBox(e));
    }
  }
  await load();
  return h("div", {}, header,
    h("div", { class: "bar" }, h("button", { type: "button", onclick: load }, "Refresh"), viewToggle(load)),
    status, h("section", { class: "panel" }, list));
}

// ---------------------------------------------------------------------------------------------
// Pages: stream hooks (/_localddb/stream-hooks)

function hookStateBadge(hook) {
  return badge(hook.state, { ok: "good", paused: "warn", retrying: "warn", failing: "bad" }[hook.state]);
}

function pauseButton(hook, where, after) {
  const paused = hook.state === "paused";
  return h("button", {
    type: "button", class: "small pause-resume",
    onclick: async () => {
      const out = await act(where, () => admin("POST", `/stream-hooks/${enc(hook.id)}/${paused ? "resume" : "pause"}`));
      if (out) after();
    },
  }, paused ? "Resume" : "Pause");
}

async function viewHooks() {
  const status = h("div");
  const [{ hooks }, tables] = await Promise.all([admin("GET", "/stream-hooks"), listTables().catch(() => [])]);
  const table = h("select", { id: "hook-table" }, tables.map((n) => h("option", { value: n }, n)));
  const url = h("input", { id: "hook-url", type: "text", placeholder: "http://127.0.0.1:9000/2015-03-31/functions/f/invocations" });
  const add = h("form", {
    class: "bar", onsubmit: async (e) => {
      e.preventDefault();
      const out = await act(status, () => admin("POST", "/stream-hooks", { table: table.value, url: url.value }));
      if (out) route();
    },
  }, h("label", {}, "table", table), h("label", {}, "target URL", url), h("button", { type: "submit" }, "Add hook"));
  return h("div", {},
    h("h1", {}, "Stream hooks ", h("small", {}, `namespace ${state.ns}`)),
    h("p", { class: "muted" }, "Each hook delivers its table's stream records as Lambda events, like an event source mapping."),
    h("div", { class: "bar" }, h("button", { type: "button", id: "refresh", onclick: route }, "Refresh")),
    status,
    hooks.length
      ? h("div", { class: "scroll" }, h("table", { id: "hooks" },
        thead(["Hook", "Table", "Target", "State", h("th", { class: "num" }, "Lag"), h("th", { class: "num" }, "Age"),
          h("th", { class: "num" }, "Delivered"), h("th", { class: "num" }, "Failed attempts"), "Last error", ""]),
        h("tbody", {}, hooks.map((k) => h("tr", {},
          h("td", {}, h("a", { href: `#/hooks/${enc(k.id)}` }, k.id)),
          h("td", {}, h("a", { href: tableLink(k.table) }, k.table)),
          h("td", { class: "cell" }, k.function ? `function:${k.function}` : k.url),
          h("td", {}, hookStateBadge(k)),
          h("td", { class: "num" }, fmtInt(k.lag)),
          h("td", { class: "num" }, `${(k.iteratorAgeMs / 1000).toFixed(1)} s`),
          h("td", { class: "num" }, fmtInt(k.counters.recordsDelivered)),
          h("td", { class: "num" }, fmtInt(k.counters.failedAttempts)),
          h("td", { class: "cell" }, k.lastError),
          h("td", { class: "actions" }, pauseButton(k, status, route),
            h("a", { href: `#/hooks/${enc(k.id)}` }, "Deliveries")))))))
      : h("p", { class: "muted" }, "No hooks in this namespace."),
    h("h2", {}, "Add a hook"), add);
}

function attemptText(d) {
  const last = d.attempts[d.attempts.length - 1];
  if (!last) return "—";
  return `${fmtClock(last.time)} · ${last.status === null ? "no answer" : `HTTP ${last.status}`} · ${last.latencyMs} ms`;
}

async function viewHook(id) {
  const path = `/stream-hooks/${enc(id)}`;
  const [hook, { deliveries }, { failures }] = await Promise.all([
    admin("GET", path), admin("GET", `${path}/deliveries?limit=50`), admin("GET", `${path}/failures`)]);
  const status = h("div", { id: "hook-status" });
  const from = h("input", { id: "replay-from", type: "text", placeholder: "sequence number" });
  const replay = h("form", {
    class: "bar", onsubmit: async (e) => {
      e.preventDefault();
      const out = await act(status, () => admin("POST", `${path}/replay`, { fromSequenceNumber: from.value }));
      if (out) route();
    },
  }, h("label", {}, "replay from sequence number", from), h("button", { type: "submit", id: "replay" }, "Replay"));
  const remove = h("button", {
    type: "button", class: "small danger", onclick: async () => {
      if (!confirm(`Remove hook ${id}?`)) return;
      if (await act(status, () => admin("DELETE", path))) go("#/hooks");
    },
  }, "Remove hook");
  const c = hook.counters;
  const settings = { ...hook };
  for (const k of ["id", "table", "url", "function", "declaredBy", "state", "status", "position", "lag", "iteratorAgeMs",
    "attempts", "nextAttemptInMs", "pendingReplays", "lastError", "last_error", "delivered", "last_delivery", "counters"])
    delete settings[k];

  const deliveryRows = h("tbody");
  for (const d of deliveries) {
    const detail = h("tr", { class: "detail", hidden: true }, h("td", { colspan: 6 }, h("pre", {}, pretty(d.attempts))));
    const kind = { delivered: "good", givenUp: "bad", superseded: "" }[d.outcome] ?? "warn";
    deliveryRows.append(h("tr", { class: "clickable delivery-row", onclick: () => { detail.hidden = !detail.hidden; } },
      h("td", { class: "mono" }, d.batchId, d.replay ? " (replay)" : ""),
      h("td", {}, badge(d.outcome, kind)),
      h("td", { class: "num" }, d.records),
      h("td", { class: "mono" }, `${d.firstSequenceNumber} – ${d.lastSequenceNumber}`),
      h("td", { class: "num" }, d.attemptCount),
      h("td", {}, attemptText(d))), detail);
  }
  const failureRows = failures.map((f) => h("tr", {},
    h("td", { class: "mono" }, f.failedBatch),
    h("td", {}, fmtClock(f.timestamp)),
    h("td", {}, f.requestContext.condition),
    h("td", { class: "num" }, f.DDBStreamBatchInfo.batchSize),
    h("td", { class: "mono" }, `${f.DDBStreamBatchInfo.startSequenceNumber} – ${f.DDBStreamBatchInfo.endSequenceNumber}`),
    h("td", { class: "cell", title: f.lastError }, f.lastError),
    h("td", {}, h("button", {
      type: "button", class: "small", onclick: async () => {
        if (await act(status, () => admin("POST", `${path}/replay`, { failedBatch: f.failedBatch }))) route();
      },
    }, "Replay batch"))));

  return h("div", {},
    h("h1", {}, h("a", { href: "#/hooks" }, "Stream hooks"), " / ", id),
    h("div", { class: "bar" }, h("button", { type: "button", id: "refresh", onclick: route }, "Refresh")),
    status,
    h("div", { class: "grid2" },
      h("section", { class: "panel" }, h("h2", {}, "State"), facts([
        ["Table", h("a", { href: tableLink(hook.table) }, hook.table)],
        ["Target", h("code", {}, hook.function ? `function:${hook.function}` : hook.url)],
        ["State", hookStateBadge(hook)],
        ["Status", hook.status],
        ["Position", h("code", {}, hook.position)],
        ["Lag", `${fmtInt(hook.lag)} records`],
        ["Iterator age", `${(hook.iteratorAgeMs / 1000).toFixed(1)} s`],
        ["Pending replays", String(hook.pendingReplays)],
        hook.nextAttemptInMs !== undefined && ["Next attempt", `in ${hook.nextAttemptInMs} ms`],
        ["Last error", hook.lastError],
        ["Declared by", hook.declaredBy],
      ]), h("div", { class: "bar" }, pauseButton(hook, status, route), remove)),
      h("section", { class: "panel" }, h("h2", {}, "Counters"), facts(Object.entries(c).map(([k, v]) => [k, fmtInt(v)])),
        h("h2", {}, "Settings"), h("pre", {}, pretty(settings)))),
    h("section", { class: "panel" }, h("h2", {}, "Replay"), replay),
    h("section", { class: "panel" }, h("h2", {}, `Recent deliveries (${deliveries.length})`),
      deliveries.length
        ? h("div", { class: "scroll" }, h("table", { id: "deliveries" },
          thead(["Batch", "Outcome", "Records", "Sequence numbers", "Attempts", "Last attempt"]), deliveryRows))
        : h("p", { class: "muted" }, "No deliveries yet.")),
    h("section", { class: "panel" }, h("h2", {}, `Given-up batches (${failures.length})`),
      failures.length
        ? h("div", { class: "scroll" }, h("table", { id: "failures" },
          thead(["Batch", "Time", "Condition", "Records", "Sequence numbers", "Last error", ""]), h("tbody", {}, failureRows)))
        : h("p", { class: "muted" }, "None.")));
}

// ---------------------------------------------------------------------------------------------
// Pages: snapshots and reset

async function viewSnapshots() {
  const { snapshots } = await admin("GET", "/snapshots");
  const status = h("div", { id: "snapshot-status" });
  const name = h("input", { id: "snapshot-name", type: "text", placeholder: "name", required: true });
  const withStream = h("input", { type: "checkbox" });
  const save = h("form", {
    class: "bar", onsubmit: async (e) => {
      e.preventDefault();
      const out = await act(status, () => admin("PUT", `/snapshots/${enc(name.value)}`, { streamRecords: withStream.checked }));
      if (out) route();
    },
  }, h("label", {}, "snapshot name", name), h("label", { class: "check" }, withStream, "with stream records"),
  h("button", { type: "submit", class: "primary", id: "save-snapshot" }, "Save snapshot"));

  const mode = h("select", { id: "reset-mode" }, h("option", { value: "drop" }, "drop every table"),
    h("option", { value: "truncate" }, "empty every table (keep schemas)"));
  const reset = h("form", {
    class: "bar", onsubmit: async (e) => {
      e.preventDefault();
      if (!confirm(`Reset namespace ${state.ns} (${mode.value})?`)) return;
      await act(status, () => admin("POST", "/reset", { mode: mode.value }),
        (o) => `Reset: ${o.tables} tables, ${o.items} items ${mode.value === "drop" ? "dropped" : "removed"}.`);
    },
  }, h("label", {}, "mode", mode), h("button", { type: "submit", class: "danger", id: "reset" }, "Reset namespace"));

  const rows = snapshots.map((s) => h("tr", {},
    h("td", { class: "mono" }, s.name),
    h("td", {}, s.createdAt.replace("T", " ").replace("Z", " UTC")),
    h("td", { class: "num" }, fmtInt(s.tables)),
    h("td", { class: "num" }, fmtInt(s.items)),
    h("td", { class: "num" }, fmtBytes(s.bytes)),
    h("td", { class: "actions" },
      h("button", {
        type: "button", class: "small", onclick: async () => {
          if (!confirm(`Restore snapshot ${s.name}? The namespace's tables are replaced by the snapshot's.`)) return;
          await act(status, () => admin("POST", `/snapshots/${enc(s.name)}/restore`), `Restored ${s.name}.`);
        },
      }, "Restore"),
      h("a", { href: `/_localddb/snapshots/${enc(s.name)}/file?namespace=${enc(state.ns)}` }, "Download"),
      h("button", {
        type: "button", class: "small danger", onclick: async () => {
          if (!confirm(`Delete snapshot ${s.name}?`)) return;
          if (await act(status, () => admin("DELETE", `/snapshots/${enc(s.name)}`))) route();
        },
      }, "Delete"))));
  return h("div", {},
    h("h1", {}, "Snapshots ", h("small", {}, `namespace ${state.ns}`)),
    status,
    h("section", { class: "panel" }, h("h2", {}, "Save the namespace's tables"), save),
    snapshots.length
      ? h("div", { class: "scroll" }, h("table", { id: "snapshots" },
        thead(["Snapshot", "Saved", "Tables", "Items", "Size", ""]), h("tbody", {}, rows)))
      : h("p", { class: "muted" }, "No snapshots yet."),
    h("section", { class: "panel" }, h("h2", {}, "Reset"), reset));
}

// ---------------------------------------------------------------------------------------------
// Pages: the last requests (/_localddb/requests)

let requestsFilter = "";
let requestsEveryNamespace = false;

async function viewRequests() {
  const status = h("div");
  const list = h("div", { id: "requests" });
  const filter = h("input", { id: "requests-filter", type: "search", placeholder: "operation, table, status, error", value: requestsFilter });
  const every = h("input", { type: "checkbox", checked: requestsEveryNamespace });
  const auto = h("input", { type: "checkbox", id: "auto-refresh" });
  let entries = [];
  let size = 0;

  function render() {
    const needle = filter.value.trim().toLowerCase();
    const shown = needle ? entries.filter((r) =>
      [r.operation, r.table, String(r.status), r.errorType, r.id, r.namespace].join(" ").toLowerCase().includes(needle)) : entries;
    const rows = shown.map((r) => h("tr", { class: "clickable request-row", onclick: () => go(`#/requests/${enc(r.id)}`) },
      h("td", {}, fmtClock(r.time)),
      h("td", {}, r.operation),
      h("td", { class: "cell" }, r.table),
      requestsEveryNamespace ? h("td", {}, r.namespace) : null,
      h("td", {}, r.status === null ? badge("…") : badge(String(r.status), r.status < 400 ? "good" : "bad")),
      h("td", { class: "num" }, r.latencyMs === null ? "" : r.latencyMs.toFixed(2)),
      h("td", {}, r.errorType),
      h("td", { class: "num" }, capacityText(r.consumedCapacity)),
      h("td", { class: "mono hide-narrow" }, r.id.slice(0, 12) + "…")));
    list.replaceChildren(
      h("p", { class: "muted" }, `${shown.length} of the last ${entries.length} requests shown (the server keeps ${size}); newest first.`),
      h("div", { class: "scroll" }, h("table", {},
        thead(["Time (UTC)", "Operation", "Table", requestsEveryNamespace ? "Namespace" : null, "Status",
          h("th", { class: "num" }, "ms"), "Error", h("th", { class: "num" }, "Capacity"), h("th", { class: "hide-narrow" }, "Request id")]
          .filter(Boolean)),
        h("tbody", {}, rows))));
  }

  async function load() {
    try {
      const out = await admin("GET", `/requests?limit=500${requestsEveryNamespace ? "&all=true" : ""}`);
      entries = out.requests;
      size = out.size;
      status.replaceChildren();
      render();
    } catch (e) {
      status.replaceChildren(errorBox(e));
    }
  }

  filter.addEventListener("input", () => { requestsFilter = filter.value; render(); });
  every.addEventListener("change", () => { requestsEveryNamespace = every.checked; load(); });
  let timer = 0;
  auto.addEventListener("change", () => {
    clearInterval(timer);
    if (auto.checked) timer = setInterval(load, 2000);
  });
  onLeave(() => clearInterval(timer));
  await load();
  return h("div", {},
    h("h1", {}, "Requests ", h("small", {}, "DynamoDB API calls, with their bodies")),
    h("div", { class: "bar" },
      h("button", { type: "button", onclick: load }, "Refresh"),
      h("label", { class: "check" }, auto, "auto-refresh"),
      h("label", { class: "check" }, every, "every namespace"),
      h("label", {}, "filter", filter),
      h("button", {
        type: "button", class: "danger", onclick: async () => {
          if (await act(status, () => admin("DELETE", "/requests"))) load();
        },
      }, "Clear")),
    status, list);
}

async function viewRequest(id) {
  const r = await admin("GET", `/requests/${enc(id)}`);
  const truncated = (yes) => (yes ? h("p", { class: "muted" }, "Cut to the first 16 KiB.") : null);
  return h("div", {},
    h("h1", {}, h("a", { href: "#/requests" }, "Requests"), " / ", r.operation || "request"),
    h("section", { class: "panel" }, facts([
      ["Request id", h("code", {}, r.id)],
      ["Time", r.time],
      ["Namespace", r.namespace],
      ["Table", r.table],
      ["Status", r.status === null ? "not answered yet" : String(r.status)],
      ["Latency", r.latencyMs === null ? "" : `${r.latencyMs} ms`],
      ["Error", r.errorType],
      r.consumedCapacity && ["Consumed capacity", h("code", {}, JSON.stringify(r.consumedCapacity))],
    ])),
    h("div", { class: "grid2" },
      h("section", { class: "panel" }, h("h2", {}, `Request (${fmtBytes(r.requestBytes)})`),
        truncated(r.requestTruncated), h("pre", { id: "request-body" }, prettyText(r.requestBody))),
      h("section", { class: "panel" }, h("h2", {}, `Response (${fmtBytes(r.responseBytes)})`),
        truncated(r.responseTruncated), h("pre", { id: "response-body" }, prettyText(r.responseBody)))));
}

// ---------------------------------------------------------------------------------------------
// Routing

const routes = [
  [/^\/?$/, viewTables, "tables"],
  [/^\/table\/([^/]+)$/, viewTable, "tables"],
  [/^\/table\/([^/]+)\/items$/, viewItems, "tables"],
  [/^\/table\/([^/]+)\/query$/, viewQuery, "tables"],
  [/^\/table\/([^/]+)\/stream$/, viewStream, "tables"],
  [/^\/table\/([^/]+)\/edit(?:\/(.+))?$/, viewEditor, "tables"],
  [/^\/hooks$/, viewHooks, "hooks"],
  [/^\/hooks\/([^/]+)$/, viewHook, "hooks"],
  [/^\/snapshots$/, viewSnapshots, "snapshots"],
  [/^\/requests$/, viewRequests, "requests"],
  [/^\/requests\/([^/]+)$/, viewRequest, "requests"],
];

let renderSeq = 0;
let leaving = [];

// What to stop (timers) when the page changes.
function onLeave(f) {
  leaving.push(f);
}

async function route() {
  const seq = ++renderSeq;
  leaving.forEach((f) => f());
  leaving = [];
  const path = location.hash.replace(/^#/, "");
  for (const [pattern, view, section] of routes) {
    const m = path.match(pattern);
    if (!m) continue;
    for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("current", a.dataset.section === section);
    main.setAttribute("aria-busy", "true");
    let node;
    try {
      node = await view(...m.slice(1).map((x) => (x === undefined ? undefined : decodeURIComponent(x))));
    } catch (e) {
      node = errorBox(e);
    }
    if (seq !== renderSeq) return;  // the user moved on meanwhile
    main.replaceChildren(node);
    main.removeAttribute("aria-busy");
    return;
  }
  main.replaceChildren(h("p", {}, "No such page. ", h("a", { href: "#/" }, "Tables")));
}

function fillNamespaces(names) {
  const select = document.getElementById("ns");
  if (!names.includes(state.ns)) names.push(state.ns);
  select.replaceChildren(...names.map((n) => h("option", { value: n }, n)));
  select.value = state.ns;
}

async function loadNamespaces() {
  try {
    fillNamespaces((await admin("GET", "/namespaces")).namespaces.map((n) => n.name));
  } catch {
    fillNamespaces([]);  // without the admin token the list is unknown: keep the current one
  }
}

function switchNamespace(name) {
  state.ns = name;
  store(sessionStorage, "localddb.ns", name);
  document.getElementById("ns").value = name;
  route();
}

function start() {
  document.getElementById("ns").addEventListener("change", (e) => switchNamespace(e.target.value));
  document.getElementById("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    state.token = document.getElementById("token-input").value.trim();
    store(sessionStorage, "localddb.token", state.token);
    document.getElementById("token").hidden = true;
    loadNamespaces();
    route();
  });
  window.addEventListener("hashchange", route);
  loadNamespaces();
  route();
}

start();
