import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { defaultStudyConfig } from "../../src/study/default-study-config";
import { loadStudyConfig } from "../../src/study/load-study-config";
import { studyRegistries } from "../../src/study/study-registries";
import { validateStudyConfig } from "../../src/study/validate-study-config";
import { temporaryFolder } from "./study-fixtures";

test("the default configs of both scales are valid against the registries", () => {
  for (const scale of ["smoke", "default"] as const) {
    const config = defaultStudyConfig(scale);
    assert.equal(validateStudyConfig(config, studyRegistries()), config);
  }
});

// Each case: a change to the smoke config, and the error it must give (naming the field).
const BAD_FIELDS: { name: string; change: (config: any) => void; error: RegExp }[] = [
  { name: "misspelt objective", change: (c) => (c.objectives = ["pointwise", "pairwize"]), error: /objectives\[1\] must be one of pointwise, pairwise, listwise; got "pairwize"/ },
  { name: "unknown preset", change: (c) => (c.presets = ["0.1M", "huge"]), error: /presets\[1\] must be one of 0\.1M, 0\.4M/ },
  { name: "zero budget", change: (c) => (c.dataBudgetsPairs = [0]), error: /dataBudgetsPairs\[0\] must be an integer >= 1; got 0/ },
  { name: "fractional seed", change: (c) => (c.seeds = [1.5]), error: /seeds\[0\] must be an integer >= 0; got 1\.5/ },
  { name: "empty seed list", change: (c) => (c.seeds = []), error: /seeds must be a non-empty list/ },
  { name: "repeated budget", change: (c) => (c.dataBudgetsPairs = [64, 64]), error: /dataBudgetsPairs must not repeat 64/ },
  { name: "typo in a nested field", change: (c) => (c.training.learningrate = 1), error: /training\.learningrate is not a known field \(did you mean training\.learningRate\?\)/ },
  { name: "unknown top-level field", change: (c) => (c.preset = ["0.1M"]), error: /preset is not a known field \(did you mean presets\?\)/ },
  { name: "bad evaluation role", change: (c) => (c.datasets.evaluation[1].role = "ood"), error: /datasets\.evaluation\[1\]\.role must be one of in-domain, out-of-domain; got "ood"/ },
  { name: "duplicate evaluation name", change: (c) => (c.datasets.evaluation[1].name = c.datasets.evaluation[0].name), error: /datasets\.evaluation\[1\]\.name must be unique/ },
  { name: "negative learning rate", change: (c) => (c.training.learningRate = -1), error: /training\.learningRate must be a finite number > 0; got -1/ },
  { name: "warmup of 1", change: (c) => (c.training.warmupFraction = 1), error: /training\.warmupFraction must be a finite number >= 0 and < 1; got 1/ },
  { name: "group larger than the candidates", change: (c) => (c.training.listwiseGroupSize = 50), error: /training\.listwiseGroupSize must not exceed datasets\.candidateDepth \(20\); got 50/ },
  { name: "metric in trec_eval form", change: (c) => (c.metrics = ["ndcg_cut.10"]), error: /metrics\[0\] must be a canonical measure name/ },
  { name: "metric in the wrong case", change: (c) => (c.metrics = ["map", "p@10"]), error: /metrics\[1\] must be written in canonical form \(P@10\); got "p@10"/ },
  { name: "unknown metric", change: (c) => (c.metrics = ["ndgc@10"]), error: /metrics\[0\] is not a measure src\/metrics computes/ },
  { name: "custom shape with indivisible heads", change: (c) => (c.customPresets["smoke-3k"].heads = 3), error: /customPresets\.smoke-3k\.hidden must be divisible by heads \(3\); got 16/ },
  { name: "custom preset reusing a ladder name", change: (c) => (c.customPresets["0.4M"] = { layers: 1, hidden: 8, heads: 1 }), error: /customPresets\.0\.4M must not reuse the name of a ladder preset/ },
  { name: "preset neither in the ladder nor custom", change: (c) => (c.presets = ["smoke-3k", "smoke-2k"]), error: /presets\[1\] must be one of 0\.1M, .*smoke-57k; got "smoke-2k"/ },
  { name: "unknown dataset", change: (c) => (c.datasets.train.dataset = "scifakt"), error: /datasets\.train\.dataset must be one of .*scifact/ },
  { name: "unsafe name", change: (c) => (c.name = "../x"), error: /name must be a folder-safe name/ },
  { name: "bad order", change: (c) => (c.order = "random"), error: /order must be one of largest-first, shortest-first; got "random"/ },
  { name: "string instead of object", change: (c) => (c.checkpoints = "log"), error: /checkpoints must be an object; got "log"/ },
];

for (const { name, change, error } of BAD_FIELDS) {
  test(`validateStudyConfig names the field: ${name}`, () => {
    const config = structuredClone(defaultStudyConfig("smoke")) as any;
    change(config);
    assert.throws(() => validateStudyConfig(config, studyRegistries()), error);
  });
}

test("loadStudyConfig lays a file's fields over the scale's defaults, lists replacing lists", () => {
  const folder = temporaryFolder("study-config");
  const file = path.join(folder, "wide.json");
  fs.writeFileSync(file, JSON.stringify({ name: "wide", presets: ["0.1M", "0.4M"], training: { learningRate: 0.002 } }));
  const config = loadStudyConfig({ file, scale: "smoke", registries: studyRegistries() });
  assert.equal(config.name, "wide");
  assert.deepEqual(config.presets, ["0.1M", "0.4M"]);
  assert.equal(config.training.learningRate, 0.002);
  assert.equal(config.training.maxSeqLen, defaultStudyConfig("smoke").training.maxSeqLen);
  assert.equal(config.scale, "smoke");
});

test("loadStudyConfig names the file when it is not JSON, and refuses a bad scale in it", () => {
  const folder = temporaryFolder("study-config");
  const broken = path.join(folder, "broken.json");
  fs.writeFileSync(broken, "{ presets: [0.1M] }");
  assert.throws(() => loadStudyConfig({ file: broken }), /broken\.json is not valid JSON/);
  const badScale = path.join(folder, "scale.json");
  fs.writeFileSync(badScale, JSON.stringify({ scale: "huge" }));
  assert.throws(() => loadStudyConfig({ file: badScale }), /scale must be one of smoke, default; got "huge"/);
  assert.throws(() => loadStudyConfig({ file: path.join(folder, "missing.json") }), /cannot read config file/);
});
