import * as assert from "node:assert/strict";
import { before, test } from "node:test";
import { lambdaLoss } from "../../src/train/lambda-loss";
import { listNetLoss } from "../../src/train/list-net-loss";
import { pointwiseBceLoss } from "../../src/train/pointwise-bce-loss";
import { rankNetLoss } from "../../src/train/rank-net-loss";
import { RANKING_LOSSES, rankingLoss, type RankingLoss } from "../../src/train/ranking-loss";
import { LABELS, SCORES, assertClose, finiteDifferenceGradient, lossAndGradient, useWasmBackend } from "./helpers";

before(useWasmBackend);

/**
 * Loss value and gradient at SCORES/LABELS, computed in float64 by PyTorch 1.13:
 * `/usr/bin/python3 test/train/reference/losses_adamw_reference.py`. Tolerance 1e-5: float32 on wasm.
 */
const REFERENCES: Array<{ name: string; loss: RankingLoss; value: number; gradient: number[][] }> = [
  {
    name: "pointwiseBceLoss (BCEWithLogitsLoss on label > 0)",
    loss: pointwiseBceLoss,
    value: 0.5465902517175143,
    gradient: [
      [-0.047192583599768176, 0.028934402062622797, -0.01490036525276471, 0.0656223984348675],
      [0.10219680952420546, -0.05319468539854262, 0.04147652847897924, 0.012468811139960642],
    ],
  },
  {
    name: "rankNetLoss (mean softplus(-(s_i - s_j)) over pairs with y_i > y_j)",
    loss: rankNetLoss,
    value: 0.3646235675453957,
    gradient: [
      [-0.0466690101455908, 0.02420387348503738, -0.04396246512076482, 0.06642760178131824],
      [0.0960655979373772, -0.139165548111282, 0.03361767767124939, 0.009482272502655445],
    ],
  },
  {
    name: "listNetLoss (softmax cross-entropy against y / sum y)",
    loss: listNetLoss,
    value: 1.2042023283971288,
    gradient: [
      [-0.0877362388809326, 0.01441928870288778, 0.020408302191098904, 0.05290864798694596],
      [0.3480147056626177, -0.3951799849940909, 0.03856112854395605, 0.008604150787517102],
    ],
  },
  {
    name: "lambdaLoss (|ΔNDCG| from detached ranks times softplus)",
    loss: lambdaLoss,
    value: 0.3709713920362884,
    gradient: [
      [0.007047750966360497, 0.013471212869761724, -0.05462957105284258, 0.03411060721672035],
      [0.14181981561621235, -0.16702145410573857, 0.01760621701256549, 0.007595421476960728],
    ],
  },
];

for (const reference of REFERENCES) {
  test(`${reference.name}: value and gradient match PyTorch`, () => {
    const { value, gradient } = lossAndGradient(reference.loss, SCORES, LABELS);
    assertClose(value, reference.value, 1e-5, "loss");
    assertClose(gradient, reference.gradient, 1e-5, "gradient");
  });

  test(`${reference.name}: gradient matches central finite differences`, () => {
    // For lambdaLoss the step (1e-2) is below the smallest score gap (0.4): no rank changes inside a difference.
    const { gradient } = lossAndGradient(reference.loss, SCORES, LABELS);
    assertClose(gradient, finiteDifferenceGradient(reference.loss, SCORES, LABELS), 2e-3, "gradient");
  });
}

test("edge cases: closed forms, empty groups, huge scores", () => {
  const value = (loss: RankingLoss, scores: number[][], labels: number[][]) => lossAndGradient(loss, scores, labels).value;
  assertClose(value(pointwiseBceLoss, [[0]], [[1]]), Math.log(2), 1e-6, "bce at 0");
  assertClose(value(pointwiseBceLoss, [[1e4, -1e4]], [[0, 1]]), 1e4, 1, "bce stays finite");
  assertClose(value(rankNetLoss, [[1, 0]], [[1, 0]]), Math.log(1 + Math.exp(-1)), 1e-6, "ranknet pair");
  assertClose(value(rankNetLoss, [[1, 0]], [[0, 0]]), 0, 0, "ranknet without pairs");
  assertClose(value(listNetLoss, [[0, 0], [3, -3]], [[1, 0], [0, 0]]), Math.log(2), 1e-6, "listnet skips group without positive");
  assertClose(value(lambdaLoss, [[0, 1]], [[1, 0]]), (1 - 1 / Math.log2(3)) * Math.log(1 + Math.E), 1e-6, "lambda swapped pair");
  assertClose(value(lambdaLoss, [[0, 1]], [[0, 0]]), 0, 0, "lambda without relevant");
});

test("rankingLoss maps objective names and lists them when the name is unknown", () => {
  assert.equal(rankingLoss("pairwise"), rankNetLoss);
  assert.deepEqual(Object.keys(RANKING_LOSSES), ["pointwise", "pairwise", "listwise", "lambda"]);
  assert.throws(() => rankingLoss("pairwize"), /unknown objective "pairwize". Use one of: pointwise, pairwise, listwise, lambda/);
});
