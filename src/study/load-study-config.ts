import * as fs from "node:fs";
import { defaultStudyConfig } from "./default-study-config";
import { STUDY_SCALES, type StudyConfig, type StudyScale } from "./study-config";
import { validateStudyConfig, type StudyConfigRegistries } from "./validate-study-config";

export interface LoadStudyConfigOptions {
  /** A JSON file with the fields to change; everything it leaves out comes from the default of the scale. */
  file?: string;
  /** The scale whose defaults are the base (overrides the file's own `scale`). Default: the file's, else "default". */
  scale?: StudyScale;
  registries?: StudyConfigRegistries;
}

/**
 * The study config to run: `defaultStudyConfig(scale)` with a config file's fields laid over it (objects merge
 * field by field, lists replace), validated. The file is parsed as JSON data, never evaluated.
 *
 * @example loadStudyConfig({ file: "my-study.json", scale: "smoke" })
 * // my-study.json: { "name": "wide", "presets": ["xxs", "xs", "s", "m", "l"] }
 */
export function loadStudyConfig(options: LoadStudyConfigOptions = {}): StudyConfig {
  let overrides: Record<string, unknown> = {};
  if (options.file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(options.file, "utf8");
    } catch (error) {
      throw new Error(`loadStudyConfig: cannot read config file ${options.file}: ${(error as Error).message}`);
    }
    try {
      overrides = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`loadStudyConfig: ${options.file} is not valid JSON (${(error as Error).message}).`);
    }
    if (overrides === null || typeof overrides !== "object" || Array.isArray(overrides)) {
      throw new Error(`loadStudyConfig: ${options.file} must hold a JSON object of study config fields.`);
    }
  }
  const fileScale = overrides.scale;
  if (fileScale !== undefined && !STUDY_SCALES.includes(fileScale as StudyScale)) {
    throw new Error(`study config: scale must be one of ${STUDY_SCALES.join(", ")}; got ${JSON.stringify(fileScale)}.`);
  }
  const scale = options.scale ?? (fileScale as StudyScale | undefined) ?? "default";
  const merged = mergeFields(defaultStudyConfig(scale), overrides) as Record<string, unknown>;
  merged.scale = scale;
  return validateStudyConfig(merged, options.registries);
}

/** `base` with `overrides` laid over it: plain objects merge key by key, anything else (lists included) replaces. */
export function mergeFields(base: unknown, overrides: unknown): unknown {
  const isRecord = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === "object" && !Array.isArray(value);
  if (!isRecord(base) || !isRecord(overrides)) return overrides === undefined ? base : overrides;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) merged[key] = mergeFields(base[key], value);
  return merged;
}
