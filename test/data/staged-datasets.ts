import { stagedDatasetsDir } from "../../src/paths";

/** The staged datasets folder; tests that need it fail (not skip) when it is missing but expected. */
export function requireStagedDatasets(): string {
  const folder = stagedDatasetsDir();
  if (!folder) throw new Error("These tests need the staged datasets: set RERANK_DATASETS to the folder (../shared/datasets).");
  return folder;
}
