// Starts localddb (in memory, on a free port) for the suite, or uses LOCALDDB_ENDPOINT.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export async function startServer() {
  if (process.env.LOCALDDB_ENDPOINT) return { endpoint: process.env.LOCALDDB_ENDPOINT, stop: async () => {} };
  const bin = process.env.LOCALDDB_BIN || path.join(repo, "build", "localddb");
  const proc = spawn(bin, ["--in-memory", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: proc.stdout });
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("localddb did not start")), 10000);
    lines.on("line", (line) => {
      const m = line.match(/^localddb listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on("exit", (code) => reject(new Error(`localddb exited with ${code}`)));
  });
  return {
    endpoint,
    stop: () => new Promise((resolve) => { proc.on("exit", resolve); proc.kill("SIGTERM"); }),
  };
}

export function clientConfig(endpoint) {
  return {
    endpoint,
    region: process.env.AWS_REGION || "us-east-1",
    credentials: process.env.LOCALDDB_ENDPOINT && process.env.AWS_ACCESS_KEY_ID
      ? undefined
      : { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  };
}
