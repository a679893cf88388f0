/**
 * Does MLM pretraining on our own text help a small reranker? WikiQA, same architecture (post-LN BERT of a size
 * preset, exact-match flag on), two arms fine-tuned identically with dev-split checkpoint selection:
 *   scratch    — random initialisation;
 *   pretrained — MLM on the WikiQA train split's questions and sentences (the text the vocabulary is trained on; no
 *                test text), then fine-tuned.
 * Also reported, as a separate variant: each arm fused with BM25 by reciprocal-rank fusion.
 * Baselines over the same test candidates (ties broken at random): document order and BM25, with paired
 * randomization tests over the answerable test questions. Prints one JSON line.
 *   npm run bench:pretrained-wikiqa -- --preset 0.1M --mlm-steps 300 --steps 200 [--encoder-lr 1e-4]
 * (--encoder-lr: the pretrained arm's encoder learning rate; its new scoring head keeps --lr.)
 * Shared 2-core machine: minutes, and timings are noisy.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { getSplit } from "../../src/data/dataset";
import { evaluate } from "../../src/metrics/evaluate";
import { selectBackend } from "../../src/model";
import { CrossEncoder } from "../../src/model/cross-encoder";
import * as encoders from "../../src/model/encoder-registry";
import type { SizePresetName } from "../../src/model/size-presets";
import { reciprocalRankFusion } from "../../src/train/fusion";
import { mlmEncoderConfig, pretrainMlm } from "../../src/train/mlm";
import { scoreCandidates } from "../../src/train/score-candidates";
import { train } from "../../src/train/train";
import { pairedRandomizationTest, wikiqaSetup } from "../train/wikiqa-setup";

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1]! : fallback;
}

(async () => {
  const backend = await selectBackend();
  const preset = argument("preset", "0.1M") as SizePresetName;
  const maxLength = Number(argument("len", "64"));
  const mlmSteps = Number(argument("mlm-steps", "300"));
  const steps = Number(argument("steps", "200"));
  const lr = Number(argument("lr", "5e-4"));
  const encoderLr = process.argv.includes("--encoder-lr") ? Number(argument("encoder-lr", "")) : undefined;
  const seed = Number(argument("seed", "1"));
  const outDir = argument("out", fs.mkdtempSync(path.join(os.tmpdir(), "pretrained-wikiqa-")));
  const started = Date.now();
  const setup = await wikiqaSetup({ groupSize: 4, maxLength, seed });

  // 1. MLM pretraining on the train split's text.
  const trainSplit = getSplit(setup.dataset, "train");
  const texts: string[] = [];
  for (const queryId of trainSplit.queryIds) {
    texts.push(setup.dataset.queries.get(queryId)!);
    for (const docId of trainSplit.candidates!.wikiqa!.get(queryId)!.keys()) texts.push(setup.dataset.documents.get(docId)!.text);
  }
  const tokenizer = { vocab: setup.tokenizer.vocabulary, tokenIds: (text: string) => setup.tokenizer.encodeText(text) };
  const mlm = await pretrainMlm({ outDir: path.join(outDir, "mlm"), texts, tokenizer, size: preset, steps: mlmSteps, seqLen: maxLength, batchSize: 32, learningRate: 1e-3, seed, progress: {} });

  // 2. Two arms, identical fine-tuning.
  const arms: Record<string, CrossEncoder> = {
    scratch: new CrossEncoder({ ...mlmEncoderConfig(preset, setup.tokenizer.vocabSize, maxLength, seed), exactMatch: true }),
    pretrained: encoders.toCrossEncoder(await encoders.load(path.join(outDir, "mlm")), { exactMatch: true, seed }),
  };
  const measures = ["map", "mrr", "ndcg@10"];
  const qrels = setup.test.qrels!;
  const perQueryMap = (result: ReturnType<typeof evaluate>) => result.queryIds.map((queryId) => result.perQuery.get(queryId)!.map!);
  const baselineResults = Object.fromEntries(Object.entries(setup.baselines).map(([name, run]) => [name, evaluate(qrels, run, measures)]));
  const results: Record<string, unknown> = {};
  for (const [arm, model] of Object.entries(arms)) {
    const run = await train(model, setup.groups, {
      objective: "listwise", steps, batch: 16, lr, ...(arm === "pretrained" && encoderLr !== undefined ? { encoderLr } : {}), warmup: 0.1, seed, evalEvery: Math.max(1, Math.floor(steps / 4)), evalOn: setup.dev,
      evalMetrics: measures, selectBy: "map", encode: setup.encode, restoreBest: true, evalBatch: 128, progress: true, name: `wikiqa ${arm}`,
    });
    const reranked = await scoreCandidates(model, setup.test, { encode: setup.encode, batchSize: 128 });
    model.dispose();
    const alone = evaluate(qrels, reranked, measures);
    const fused = evaluate(qrels, reciprocalRankFusion([reranked, setup.baselines.bm25]), measures);
    results[arm] = {
      test: alone.mean,
      fusedWithBm25: fused.mean,
      bestDevStep: run.best?.step,
      vsBm25: pairedRandomizationTest(perQueryMap(alone), perQueryMap(baselineResults.bm25!), { permutations: 20000, seed: 7 }),
      vsDocumentOrder: pairedRandomizationTest(perQueryMap(alone), perQueryMap(baselineResults.documentOrder!), { permutations: 20000, seed: 7 }),
    };
  }
  console.log(JSON.stringify({
    bench: "pretrained-wikiqa", backend: backend.name, preset, maxLength, seed, testQueries: setup.test.candidates.size,
    mlm: { steps: mlm.stepsDone, tokensSeen: mlm.tokensSeen, tokensPerSecond: Math.round(mlm.tokensPerSecond), wallSeconds: Math.round(mlm.wallSeconds), pretrainingFlops: mlm.pretrainingFlops, firstLoss: mlm.lossCurve[0]?.loss, lastLoss: mlm.lossCurve[mlm.lossCurve.length - 1]?.loss },
    fineTune: { steps, lr, encoderLr: encoderLr ?? lr, batch: 16, groupSize: 4 },
    baselines: Object.fromEntries(Object.entries(baselineResults).map(([name, result]) => [name, result.mean])),
    arms: results, wallSeconds: Math.round((Date.now() - started) / 1000),
  }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
