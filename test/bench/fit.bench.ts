/**
 * Speed of the scaling fitter against scipy, in the same run: fit the joint law y = a + b·N^c + d·D^e to
 * 200 points (a 10 × 20 grid of N and D) and run 1,000 bootstrap refits warm-started from the full fit.
 * scipy's side (test/bench/fit_scipy.py, curve_fit trf with the same bounds and rescaled x) runs with
 * /usr/bin/python3 (Debian python3-scipy). Timings on a shared machine are noisy: best of `REPEATS`.
 *
 * Run: npm run bench:fit
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Random } from "../../src/random";
import { bootstrap } from "../../src/scaling/bootstrap";
import { fit } from "../../src/scaling/fit";

const RESAMPLES = 1000;
const REPEATS = 3;
const TRUTH = { a: 0.55, b: -0.36, c: -0.39, d: -0.59, e: -0.3 }; // rescaled units: N / 1e7, D / 1e5
const NOISE_SD = 0.003;

const random = new Random(42);
const points: { N: number; D: number; y: number }[] = [];
for (let i = 0; i < 10; i++) {
  for (let j = 0; j < 20; j++) {
    const N = 1e6 * 1000 ** (i / 9);
    const D = 1e4 * 1000 ** (j / 19);
    const y = TRUTH.a + TRUTH.b * (N / 1e7) ** TRUTH.c + TRUTH.d * (D / 1e5) ** TRUTH.e + NOISE_SD * random.normal();
    points.push({ N, D, y });
  }
}

let best = { full: Infinity, boot: Infinity };
let fitted = fit(points, { law: "joint", x: ["N", "D"], y: "y" });
let standardErrors: Record<string, number> = {};
for (let repeat = 0; repeat < REPEATS; repeat++) {
  const start = performance.now();
  fitted = fit(points, { law: "joint", x: ["N", "D"], y: "y" });
  const middle = performance.now();
  const result = bootstrap(fitted, { resamples: RESAMPLES, seed: repeat + 1 });
  const end = performance.now();
  standardErrors = result.standardErrors;
  best = { full: Math.min(best.full, (middle - start) / 1000), boot: Math.min(best.boot, (end - middle) / 1000) };
  if (result.failures > 0) console.log(`note: ${result.failures} bootstrap refits failed`);
}

const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-fit-")), "data.json");
const bounds = fitted.parameterNames.map((name) => fitted.scaled.bounds[name]!);
fs.writeFileSync(
  dataFile,
  JSON.stringify({
    N: points.map((p) => p.N),
    D: points.map((p) => p.D),
    y: points.map((p) => p.y),
    xScale: fitted.scaled.xScale,
    bounds: [bounds.map((b) => (Number.isFinite(b[0]) ? b[0] : null)), bounds.map((b) => (Number.isFinite(b[1]) ? b[1] : null))],
    start: [0.5, -0.3, -0.3, -0.3, -0.3],
    resamples: RESAMPLES,
  }),
);
let scipy: { scipy: string; fullFitSeconds: number; bootstrapSeconds: number; params: number[]; sse: number; bootstrapStandardErrors: number[] } | undefined;
let scipyBest = { full: Infinity, boot: Infinity };
try {
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    scipy = JSON.parse(execFileSync("/usr/bin/python3", [path.join(__dirname, "fit_scipy.py"), dataFile], { encoding: "utf8" }));
    scipyBest = { full: Math.min(scipyBest.full, scipy!.fullFitSeconds), boot: Math.min(scipyBest.boot, scipy!.bootstrapSeconds) };
  }
} catch (error) {
  console.log(`scipy side skipped: ${(error as Error).message.split("\n")[0]} (install Debian python3-scipy)`);
}

const seconds = (value: number) => `${value.toFixed(3)} s`;
console.log(`joint law, ${points.length} points (10 N × 20 D), ${RESAMPLES} bootstrap refits; best of ${REPEATS} runs`);
console.log(`rerank-scaling: full fit (grid of starts + LM) ${seconds(best.full)}, bootstrap ${seconds(best.boot)}, total ${seconds(best.full + best.boot)}`);
console.log(`  params ${JSON.stringify(fitted.scaled.params)}  SSE ${fitted.sse.toExponential(6)}`);
console.log(`  bootstrap SE ${JSON.stringify(Object.fromEntries(Object.entries(standardErrors).map(([k, v]) => [k, Number(v.toPrecision(3))])))} (raw units)`);
if (scipy) {
  console.log(`scipy ${scipy.scipy} curve_fit(trf): full fit ${seconds(scipyBest.full)}, bootstrap ${seconds(scipyBest.boot)}, total ${seconds(scipyBest.full + scipyBest.boot)}`);
  console.log(`  params ${JSON.stringify(scipy.params.map((v) => Number(v.toPrecision(6))))}  SSE ${scipy.sse.toExponential(6)}`);
  console.log(`speed-up (scipy / rerank-scaling): bootstrap ${(scipyBest.boot / best.boot).toFixed(1)}×, total ${((scipyBest.full + scipyBest.boot) / (best.full + best.boot)).toFixed(1)}×`);
}
fs.rmSync(path.dirname(dataFile), { recursive: true, force: true });
