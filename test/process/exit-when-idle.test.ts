/**
 * exitWhenIdle: the process ends by itself with the code (no process.exit racing V8's background compiler), and a
 * handle that keeps the event loop alive only delays the exit to the fallback.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { test } from "node:test";

const MODULE = path.join(__dirname, "..", "..", "src", "exit-when-idle.ts");

function runScript(body: string): { status: number | null; ms: number; stdout: string } {
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", `const { exitWhenIdle } = require(${JSON.stringify(MODULE)});\n${body}`], { encoding: "utf8", timeout: 30_000 });
  return { status: result.status, ms: Date.now() - started, stdout: result.stdout };
}

test("exitWhenIdle ends an idle process with its code, after pending work (an exit handler still runs)", () => {
  const result = runScript(`process.on("exit", (code) => console.log("exit " + code)); setTimeout(() => console.log("pending work done"), 200); exitWhenIdle(3);`);
  assert.equal(result.status, 3);
  assert.equal(result.stdout, "pending work done\nexit 3\n");
});

test("a handle that keeps the loop alive is cut short by the fallback after graceMs", () => {
  const result = runScript(`setInterval(() => undefined, 1000); exitWhenIdle(4, 500);`);
  assert.equal(result.status, 4);
  assert.ok(result.ms >= 500 && result.ms < 10_000, `${result.ms} ms`);
});
