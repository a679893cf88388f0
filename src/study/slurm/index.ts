/** Running a study's grid on a Slurm cluster: the executor, the pre-submission check, and status from Slurm. */
export { SlurmExecutor, type SlurmExecutorOptions } from "./slurm-executor";
export { checkSlurmSubmission } from "./check-slurm-submission";
export { slurmStatusLines } from "./slurm-cli";
export type { SlurmResources } from "./slurm-resources";
