import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { Random } from "../../src/random";
import { fit } from "../../src/scaling/fit";

const good = [1e6, 2e6, 4e6, 8e6, 16e6].map((N, i) => ({ N, y: 0.4 - 0.9 * (N / 1e6) ** -0.4 + 0.001 * ((i % 2) - 0.5) }));

describe("fit refuses input it cannot fit", () => {
  const cases: [string, unknown[], RegExp][] = [
    ["no points", [], /no points to fit/],
    ["one point (a study of one size)", good.slice(0, 1), /has 3 parameters \(a, b, c\) and needs at least 4 points.*got 1/],
    ["fewer points than parameters", good.slice(0, 3), /has 3 parameters \(a, b, c\) and needs at least 4 points.*got 3/],
    ["too few distinct sizes", [...good.slice(0, 2), ...good.slice(0, 2)], /N takes 2 distinct value\(s\)/],
    ["constant y", good.map((point) => ({ ...point, y: 0.3 })), /y is constant \(0.3\)/],
    ["NaN y", good.map((point, i) => ({ ...point, y: i === 2 ? NaN : point.y })), /point 2 has y = NaN; every point needs a finite number/],
    ["string x", good.map((point, i) => ({ ...point, N: i === 1 ? "4e6" : point.N })), /point 1 has N = "4e6"/],
    ["negative x", good.map((point, i) => ({ ...point, N: i === 0 ? -1e6 : point.N })), /point 0 has N = -1000000; power laws need x > 0/],
    ["zero x", good.map((point, i) => ({ ...point, N: i === 0 ? 0 : point.N })), /power laws need x > 0/],
    ["missing field", good.map(({ y }) => ({ y })), /point 0 has no field "N"/],
  ];
  for (const [name, points, message] of cases) {
    it(name, () => assert.throws(() => fit(points as never, { law: "saturating", x: "N", y: "y" }), message));
  }
  it("the pure law and the Huber loss need y > 0", () => {
    const shifted = good.map((point) => ({ ...point, y: point.y - 0.3 }));
    assert.throws(() => fit(shifted, { law: "pure", x: "N", y: "y" }), /has a value .* <= 0 but the pure power law/);
    assert.throws(() => fit(shifted, { law: "saturating", x: "N", y: "y", loss: "huber" }), /the Huber loss works on ln y/);
  });
  it("wrong number of x fields, unknown law, unknown bound", () => {
    assert.throws(() => fit(good, { law: "joint", x: "N", y: "y" }), /the joint law takes two fields/);
    assert.throws(() => fit(good, { law: "cubic" as never, x: "N", y: "y" }), /unknown law "cubic". Use one of: saturating, pure, joint, kaplan/);
    assert.throws(() => fit(good, { law: "saturating", x: "N", y: "y", bounds: { e: [0, 1] } }), /no parameter "e" in the saturating law/);
  });
});

describe("fit diagnostics and conventions", () => {
  it("reports a parameter stuck at a bound instead of a silent interval", () => {
    // Linear in ln N: no saturation, so the asymptote runs to its bound (1 for a metric in [0, 1]).
    const straight = [1e6, 2e6, 4e6, 8e6, 16e6, 32e6].map((N, i) => ({ N, y: 0.2 + 0.02 * Math.log(N / 1e6) + 0.0005 * (i % 2) }));
    const result = fit(straight, { law: "saturating", x: "N", y: "y" });
    assert.deepEqual(result.diagnostics.atBounds, ["a"]);
    assert.match(result.diagnostics.warnings.join("\n"), /a = 1 is at a bound/);
    assert.ok(Number.isNaN(result.ci(0.95).a![0]));
  });

  it("infers the direction: rising NDCG gets b < 0, falling CE gets b > 0", () => {
    const falling = good.map((point) => ({ ...point, y: 3 - point.y }));
    const rising = fit(good, { law: "saturating", x: "N", y: "y" });
    const ce = fit(falling, { law: "saturating", x: "N", y: "y" });
    assert.equal(rising.direction, "rising");
    assert.ok(rising.params.b! < 0 && rising.params.c! < 0);
    assert.equal(ce.direction, "falling");
    assert.ok(ce.params.b! > 0 && ce.params.c! < 0);
    // Same curve mirrored: the exponents agree, the asymptotes mirror (tolerance: optimizer stopping rule).
    assert.ok(Math.abs(ce.params.c! - rising.params.c!) < 1e-6);
    assert.ok(Math.abs(ce.params.a! - (3 - rising.params.a!)) < 1e-6);
  });

  it("reports raw b, independent of the internal rescaling", () => {
    const byDefault = fit(good, { law: "saturating", x: "N", y: "y" });
    const byHand = fit(good, { law: "saturating", x: "N", y: "y", xScale: 1 });
    assert.ok(Math.abs(byDefault.params.b! / byHand.params.b! - 1) < 1e-6);
    assert.ok(Math.abs(byDefault.standardErrors.b! / byHand.standardErrors.b! - 1) < 1e-4);
    assert.equal(byDefault.scaled.xScale[0], 1e7);
  });

  it("pure power law recovers y = 5·x^-0.1 and Huber resists an outlier", () => {
    const random = new Random(11);
    const points = [1, 2, 4, 8, 16, 32, 64].flatMap((millions) =>
      [0, 1, 2].map(() => ({ N: millions * 1e6, y: 5 * millions ** -0.1 * Math.exp(0.002 * random.normal()) })),
    );
    const plain = fit(points, { law: "pure", x: "N", y: "y", xScale: 1e6 });
    assert.ok(Math.abs(plain.scaled.params.b! - 5) < 0.02 && Math.abs(plain.params.c! + 0.1) < 0.002, JSON.stringify(plain.params));
    const spoiled = points.map((point, i) => (i === 20 ? { ...point, y: point.y * 1.5 } : point));
    const squares = fit(spoiled, { law: "pure", x: "N", y: "y", xScale: 1e6 });
    const huber = fit(spoiled, { law: "pure", x: "N", y: "y", xScale: 1e6, loss: "huber" });
    assert.ok(Math.abs(huber.params.c! + 0.1) < 0.003, `huber c ${huber.params.c}`);
    assert.ok(Math.abs(squares.params.c! + 0.1) > 3 * Math.abs(huber.params.c! + 0.1), `squares c ${squares.params.c}`);
  });

  it("Kaplan's joint form recovers a falling law it generated", () => {
    const random = new Random(4);
    const truth = { a: 1.5, Nc: 5e7, Dc: 2e5, alphaN: 0.3, alphaD: 0.4 };
    const points = [1e6, 3e6, 1e7, 3e7, 1e8].flatMap((N) =>
      [1e4, 3e4, 1e5, 3e5, 1e6].map((D) => ({
        N,
        D,
        y: truth.a + ((truth.Nc / N) ** (truth.alphaN / truth.alphaD) + truth.Dc / D) ** truth.alphaD + 0.001 * random.normal(),
      })),
    );
    const result = fit(points, { law: "kaplan", x: ["N", "D"], y: "y" });
    assert.equal(result.direction, "falling");
    assert.ok(result.r2 > 0.999, `R² ${result.r2}`);
    // Loose tolerances: 25 noisy points identify Nc and Dc only to tens of percent.
    assert.ok(Math.abs(result.params.alphaN! - truth.alphaN) < 0.05, JSON.stringify(result.params));
    assert.ok(Math.abs(result.params.alphaD! - truth.alphaD) < 0.05, JSON.stringify(result.params));
    assert.ok(Math.abs(result.params.a! - truth.a) < 0.05, JSON.stringify(result.params));
    assert.ok(Math.abs(Math.log(result.params.Nc! / truth.Nc)) < 0.5 && Math.abs(Math.log(result.params.Dc! / truth.Dc)) < 0.5, JSON.stringify(result.params));
    const forecast = result.predict([1e9, 1e7], { interval: 0.95 });
    const exact = truth.a + ((truth.Nc / 1e9) ** (truth.alphaN / truth.alphaD) + truth.Dc / 1e7) ** truth.alphaD;
    assert.ok(forecast.lower < exact && exact < forecast.upper, `${exact} outside [${forecast.lower}, ${forecast.upper}]`);
  });
});

describe("restoreFit", () => {
  it("rebuilds a stored fit through JSON and refuses an edited record", async () => {
    const { restoreFit } = await import("../../src/scaling/restore-fit");
    const original = fit(good, { law: "saturating", x: "N", y: "y", loss: "squares" });
    const record = JSON.parse(JSON.stringify(original));
    const restored = restoreFit(record);
    assert.deepEqual(restored.params, original.params);
    assert.equal(restored.predict(1e9).upper, original.predict(1e9).upper);
    assert.equal(record.scaled.bounds.b[0], null); // -Infinity survives JSON as null
    record.scaled.params.c += 0.01;
    assert.throws(() => restoreFit(record), /the record's c = .* does not reproduce/);
    assert.throws(() => restoreFit({} as never), /not a fit record/);
  });
});
