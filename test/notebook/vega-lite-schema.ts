/**
 * Checks a chart spec against the Vega-Lite v5 JSON schema shipped with vega-lite (build/vega-lite-schema.json).
 * Shared by chart-builder tests: `assertValidVegaLite(charts.myChart(...))`.
 */
import Ajv, { type ValidateFunction } from "ajv";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";

let validator: ValidateFunction | undefined;

/** Throws an assertion error listing the first schema violations when `spec` is not valid Vega-Lite v5. */
export function assertValidVegaLite(spec: unknown): void {
  if (!validator) {
    const schema = JSON.parse(fs.readFileSync(require.resolve("vega-lite/build/vega-lite-schema.json"), "utf8")) as object;
    // Formats (uri, color-hex) are not checked: ajv would need ajv-formats, and vega itself accepts any string there.
    validator = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false }).compile(schema);
  }
  const valid = validator(spec);
  assert.ok(valid, `not a valid Vega-Lite v5 spec: ${JSON.stringify(validator.errors?.slice(0, 3), null, 1)}`);
}
