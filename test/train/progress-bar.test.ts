import * as assert from "node:assert/strict";
import { test } from "node:test";
import { ProgressBar, formatDuration } from "../../src/train/progress-bar";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 200, write: (text: string) => writes.push(text) } };
}

test("ProgressBar shows steps, examples/s, loss and eta", () => {
  let now = 0;
  const { writes, stream } = fakeStream(false);
  const bar = new ProgressBar(100, { stream, nowSeconds: () => now, label: "x" });
  now = 10; // 25 steps in 10 s → 0.4 s/step → 75 steps left = 30 s
  bar.update({ step: 25, examplesPerSecond: 80, loss: 0.69314 });
  assert.deepEqual(writes, ["x step 25/100 [=====>                  ] 25.0% | 80.0 ex/s | loss 0.6931 | eta 30s\n"]);
});

test("ProgressBar redraws in place on a terminal and prints throttled lines elsewhere", () => {
  let now = 0;
  const terminal = fakeStream(true);
  const tty = new ProgressBar(10, { stream: terminal.stream, nowSeconds: () => now });
  for (let step = 1; step <= 10; step++) {
    now += 0.5;
    tty.update({ step, examplesPerSecond: 100, loss: 1 });
  }
  tty.finish();
  assert.ok(terminal.writes.every((text) => text.startsWith("\r\x1b[2K")));
  assert.ok(terminal.writes.at(-1)!.endsWith("eta 0s\n"));
  assert.equal(terminal.writes.filter((text) => text.endsWith("\n")).length, 1, "only the final draw ends the line");

  now = 0;
  const notebook = fakeStream(false);
  const plain = new ProgressBar(100, { stream: notebook.stream, nowSeconds: () => now, lineIntervalSeconds: 10 });
  for (let step = 1; step <= 100; step++) {
    now += 1;
    plain.update({ step, examplesPerSecond: 100, loss: 1 });
  }
  plain.finish();
  assert.equal(notebook.writes.length, 11, "one line every 10 s over 100 s, plus the final one");
  assert.ok(notebook.writes.every((text) => !text.includes("\r")));
});

test("formatDuration", () => {
  assert.equal(formatDuration(3725), "1h02m05s");
  assert.equal(formatDuration(65), "1m05s");
  assert.equal(formatDuration(4.2), "4s");
  assert.equal(formatDuration(NaN), "--");
});
