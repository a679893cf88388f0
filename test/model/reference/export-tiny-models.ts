/**
 * Writes the tiny cross-encoders of the PyTorch reference test (weights from their seeds, and their input batch)
 * to a JSON file for cross_encoder_reference.py. Regenerate the fixture with:
 *   npx tsx test/model/reference/export-tiny-models.ts /tmp/tiny-models.json
 *   /usr/bin/python3 test/model/reference/cross_encoder_reference.py /tmp/tiny-models.json data/fixtures/model/cross-encoder-torch.json
 */
import * as fs from "node:fs";
import { crossEncoder } from "../../../src/model/cross-encoder";
import { TINY_BATCH, TINY_CONFIGS } from "./tiny-models";

const cases = TINY_CONFIGS.map((config) => {
  const model = crossEncoder.create(config);
  const weights = Object.fromEntries(model.getWeights().map((w) => [w.name, { shape: w.shape, values: Array.from(w.values) }]));
  const resolved = model.config;
  model.dispose();
  return { config: resolved, weights };
});
const batch = { ...TINY_BATCH, inputIds: Array.from(TINY_BATCH.inputIds), segmentIds: Array.from(TINY_BATCH.segmentIds),
  lengths: Array.from(TINY_BATCH.lengths), exactMatch: Array.from(TINY_BATCH.exactMatch!) };
fs.writeFileSync(process.argv[2] ?? "/tmp/tiny-models.json", JSON.stringify({ cases, batch }));
