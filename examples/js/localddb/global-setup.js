// Vitest globalSetup: starts one localddb for the whole run (in memory, on a free port) and
// exposes its URL to the test workers as process.env.LOCALDDB_URL. Stopped when the run ends.
//
//   LOCALDDB_BIN  the binary (default: `localddb` on PATH)
//   LOCALDDB_URL  already set: use that server, start none (e.g. a CI sidecar)
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const READY = "localddb listening on ";

function start(bin, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ["--in-memory", "--port", "0", "--log-level", "warn"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`localddb (${bin}) did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    proc.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start localddb (${bin}): ${err.message}; set LOCALDDB_BIN or put localddb on PATH`));
    });
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`localddb (${bin}) exited before it was ready (code ${code}, signal ${signal})`));
    });
    // Keeps reading stdout after the ready line, so the server never blocks writing to it.
    createInterface({ input: proc.stdout }).on("line", (line) => {
      if (line.startsWith(READY)) {
        clearTimeout(timer);
        resolve({ proc, url: line.slice(READY.length).trim() });
      }
    });
  });
}

function stop(proc, timeoutMs = 10000) {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    proc.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill("SIGTERM"); // finishes requests in flight, then exits
  });
}

export default async function setup() {
  if (process.env.LOCALDDB_URL) return; // a server is given
  const { proc, url } = await start(process.env.LOCALDDB_BIN || "localddb");
  proc.removeAllListeners("exit");
  process.env.LOCALDDB_URL = url; // workers are started after this and inherit it
  return async () => {
    await stop(proc);
    delete process.env.LOCALDDB_URL;
  };
}
