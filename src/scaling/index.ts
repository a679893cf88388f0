/**
 * Scaling laws: fit, compare, bootstrap and backtest power laws on tables of results, lint the metrics
 * first, and allocate compute with a joint law. Never imports tfjs: it fits any table of points.
 */
export { fit, fitColumns, type FitOptions } from "./fit";
export { ScalingFit, type FitDiagnostics, type FitRecord, type Prediction, type PredictOptions, type FTest } from "./scaling-fit";
export { lawColumns, type ScalingPoint, type LawColumns } from "./law-columns";
export { LAW_NAMES, scalingLawByName } from "./scaling-law-by-name";
export type { LawName, MetricDirection, ParameterBounds, ScalingLaw } from "./scaling-law";
export { saturatingLaw } from "./saturating-law";
export { purePowerLaw } from "./pure-power-law";
export { jointLaw } from "./joint-law";
export { kaplanLaw } from "./kaplan-law";
export { levenbergMarquardt } from "./levenberg-marquardt";
export { CHINCHILLA_HUBER_DELTA, type FitLoss } from "./minimize-loss";
export { studentTQuantile, fDistributionSurvival } from "./distributions";
export { bootstrap, type BootstrapOptions, type BootstrapResult, type PointKey } from "./bootstrap";
export { backtest, type BacktestOptions, type BacktestResult, type BacktestFold, type BacktestPrediction } from "./backtest";
export { compareLaws, type LawComparisonRow } from "./compare-laws";
export { lintMetrics, parseMetricName, type MetricLint, type LintMetricsOptions } from "./lint-metrics";
export { allocateCompute, type AllocateComputeOptions, type ComputeAllocation } from "./allocate-compute";
export { isoComputeCurve, TRAINING_FLOPS_PER_PARAMETER_TOKEN, type ComputeModel, type FlopsPerExample, type IsoComputePoint } from "./iso-compute-curve";
export { logSpaced, toSignificant } from "./log-spaced";
export { restoreFit, RESTORE_TOLERANCE } from "./restore-fit";
