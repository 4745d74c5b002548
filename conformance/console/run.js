// Runs the console's browser test (console.test.js) with node's test runner, or reports it skipped
// (exit 77, which ctest shows as skipped, not passed) when this machine has no chromium or the npm
// packages were not installed, unless this is CI (CI=true), where the test must run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const chromium = process.env.LOCALDDB_CHROMIUM || "/usr/bin/chromium";
const missing = [];
if (!fs.existsSync(chromium)) missing.push(`${chromium} (Debian's chromium: scripts/setup.sh --test installs it)`);
if (!fs.existsSync(path.join(here, "node_modules", "puppeteer-core")))
  missing.push("puppeteer-core (scripts/setup.sh --test runs npm ci in conformance/console)");

if (missing.length && process.env.CI !== "true") {
  console.log(`console browser test skipped: missing ${missing.join(" and ")}`);
  process.exit(77);
}
if (missing.length) console.log(`CI: the console browser test must run, but this is missing: ${missing.join(" and ")}`);
const run = spawnSync(process.execPath, ["--test", "console.test.js"], { cwd: here, stdio: "inherit" });
process.exit(run.status ?? 1);
