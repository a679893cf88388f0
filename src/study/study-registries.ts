import { SIZE_PRESET_NAMES } from "../model/size-presets";
import type { StudyConfigRegistries } from "./validate-study-config";

/**
 * The lists a study config is checked against, taken from the registries themselves so that they never go
 * stale: the model's size presets.
 */
export function studyRegistries(): StudyConfigRegistries {
  return { presets: SIZE_PRESET_NAMES };
}
