import { datasets } from "../data";
import { SIZE_PRESET_NAMES } from "../model/size-presets";
import { checkStudyMetric } from "./evaluate-study-metrics";
import type { StudyConfigRegistries } from "./validate-study-config";

/**
 * The lists a study config is checked against, taken from the registries themselves so that they never go
 * stale: the model's size presets, the registered datasets, the measures src/metrics computes.
 */
export function studyRegistries(): StudyConfigRegistries {
  return { presets: SIZE_PRESET_NAMES, datasets: datasets.list().map((manifest) => manifest.name), checkMetric: checkStudyMetric };
}
