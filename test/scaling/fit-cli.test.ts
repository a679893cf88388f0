import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { readPointsCsv } from "../../src/cli/fit";

const ROOT = path.resolve(__dirname, "../..");
const FIXTURE = path.resolve(ROOT, "../shared/fixtures/scaling/scipy-reference-fits.json");

function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin/rerank-scaling.js"), "fit", ...args], { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("rerank-scaling fit", () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "fit-cli-"));
  const cases = JSON.parse(fs.readFileSync(FIXTURE, "utf8")).cases as {
    name: string;
    form: string;
    x_units_divided_by: number | number[];
    x: number[] | { N: number[]; D: number[] };
    y: number[];
    scipy: { params: number[]; sse: number; r2: number };
  }[];

  it("fits the scipy reference cases from CSV and prints the JSON record", () => {
    for (const reference of cases) {
      const joint = reference.form === "joint";
      const rows = reference.y.map((y, i) =>
        joint ? `${(reference.x as { N: number[] }).N[i]},${(reference.x as { D: number[] }).D[i]},${y}` : `${(reference.x as number[])[i]},${y}`,
      );
      const file = path.join(folder, `${reference.name}.csv`);
      fs.writeFileSync(file, [joint ? "N,D,y" : "x,y", ...rows].join("\r\n") + "\r\n");
      const { status, stdout, stderr } = runCli(["--law", reference.form, "--input", file, "--json"]);
      assert.equal(status, 0, stderr);
      const record = JSON.parse(stdout);
      assert.equal(record.law, reference.form);
      // Default bounds and rescaling, so compare what does not depend on them: SSE, R², a and the exponents,
      // and b in raw units (scipy's b · scale^(−c)).
      assert.ok(record.sse <= reference.scipy.sse * (1 + 1e-6), `${reference.name}: SSE ${record.sse} vs ${reference.scipy.sse}`);
      assert.ok(Math.abs(record.r2 - reference.scipy.r2) < 1e-6);
      const [a, b, c] = reference.scipy.params as [number, number, number];
      const scale = Array.isArray(reference.x_units_divided_by) ? reference.x_units_divided_by[0]! : reference.x_units_divided_by;
      assert.ok(Math.abs(record.params.a - a) <= Math.max(0.01 * Math.abs(a), 1e-3), `${reference.name} a`);
      assert.ok(Math.abs(record.params.c - c) <= Math.max(0.01 * Math.abs(c), 1e-3), `${reference.name} c`);
      assert.ok(Math.abs(record.params.b / (b * scale ** -c) - 1) < 0.02, `${reference.name} b ${record.params.b} vs ${b * scale ** -c}`);
      assert.deepEqual(Object.keys(record.ci95), joint ? ["a", "b", "c", "d", "e"] : ["a", "b", "c"]);
    }
  });

  it("prints a table without --json, and clear errors with exit codes", () => {
    const file = path.join(folder, "model_size_ndcg.csv");
    const table = runCli(["--law=saturating", `--input=${file}`]);
    assert.equal(table.status, 0);
    assert.match(table.stdout, /^y = a \+ b·x\^c {3}\(saturating, rising metric, 40 points/);
    assert.match(table.stdout, /F-test against a constant: F\(2, 37\)/);
    assert.equal(runCli(["--law", "cubic", "--input", file]).status, 2);
    assert.match(runCli(["--law", "joint", "--input", file]).stderr, /has no column "N" \(header: x,y\)/);
    assert.match(runCli(["--law", "pure", "--input", path.join(folder, "absent.csv")]).stderr, /cannot read/);
  });

  it("reads hostile CSV: BOM, CRLF, blank lines, quoted header, extra columns; refuses bad cells", () => {
    const columns = readPointsCsv('\uFEFF"x",note,y\r\n\r\n1e6,a,0.1\r\n2e6,b,0.2\r\n', ["x", "y"], "t.csv");
    assert.deepEqual(Array.from(columns.x[0]!), [1e6, 2e6]);
    assert.deepEqual(Array.from(columns.y), [0.1, 0.2]);
    assert.throws(() => readPointsCsv("x,y\n1e6,NaN\n", ["x", "y"], "t.csv"), /t.csv line 2: y = "NaN" is not a finite number/);
    assert.throws(() => readPointsCsv("x,y\n1e6\n", ["x", "y"], "t.csv"), /line 2: y = "" is not a finite number/);
    assert.throws(() => readPointsCsv("\n\n", ["x", "y"], "t.csv"), /t.csv is empty/);
  });
});
