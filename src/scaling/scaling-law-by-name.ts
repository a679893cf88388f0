import { jointLaw } from "./joint-law";
import { kaplanLaw } from "./kaplan-law";
import { purePowerLaw } from "./pure-power-law";
import { saturatingLaw } from "./saturating-law";
import type { LawName, MetricDirection, ScalingLaw } from "./scaling-law";

/** Every law the fitter knows, in the order they are listed to users. */
export const LAW_NAMES: readonly LawName[] = ["saturating", "pure", "joint", "kaplan"];

/**
 * The law registered under `name`, for a metric moving in `direction` (Kaplan's form needs the sign).
 * @example scalingLawByName("saturating", "rising").formula // "y = a + b·x^c"
 */
export function scalingLawByName(name: string, direction: MetricDirection): ScalingLaw {
  switch (name) {
    case "saturating":
      return saturatingLaw;
    case "pure":
      return purePowerLaw;
    case "joint":
      return jointLaw;
    case "kaplan":
      return kaplanLaw(direction);
    default:
      throw new Error(`scaling: unknown law "${name}". Use one of: ${LAW_NAMES.join(", ")}.`);
  }
}
