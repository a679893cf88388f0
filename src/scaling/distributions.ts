import { gammaln, probit } from "simple-statistics";

/**
 * Regularized incomplete beta function I_x(a, b), by Lentz's continued fraction.
 *
 * Reference: Press et al., "Numerical Recipes", 3rd ed., §6.4 (`betai`, `betacf`).
 * @example regularizedIncompleteBeta(0.5, 2, 2) // ≈ 0.5 (0.49999999999999944)
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) throw new Error(`regularizedIncompleteBeta: x must lie in [0, 1], got ${x}.`);
  if (x === 0 || x === 1) return x;
  const front = Math.exp(gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** Cumulative distribution of Student's t with `degreesOfFreedom`. @example studentTCdf(2.228138851986, 10) // ≈ 0.975 */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  const tail = 0.5 * regularizedIncompleteBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Quantile of Student's t (inverse CDF), by bisection on `studentTCdf`; infinite degrees of freedom give the normal quantile.
 * Reference: scipy.stats.t.ppf(0.975, 10) = 2.2281388519649385.
 * @example studentTQuantile(0.975, 10) // 2.2281388519649
 */
export function studentTQuantile(probability: number, degreesOfFreedom: number): number {
  if (!(probability > 0 && probability < 1)) throw new Error(`studentTQuantile: probability must lie in (0, 1), got ${probability}.`);
  if (!(degreesOfFreedom > 0)) throw new Error(`studentTQuantile: degrees of freedom must be positive, got ${degreesOfFreedom}.`);
  if (!Number.isFinite(degreesOfFreedom) || degreesOfFreedom > 1e7) return probit(probability);
  let low = -1;
  let high = 1;
  while (studentTCdf(low, degreesOfFreedom) > probability) low *= 2;
  while (studentTCdf(high, degreesOfFreedom) < probability) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-13 * Math.max(1, Math.abs(low)); i++) {
    const middle = 0.5 * (low + high);
    if (studentTCdf(middle, degreesOfFreedom) < probability) low = middle;
    else high = middle;
  }
  return 0.5 * (low + high);
}

/**
 * Upper tail P(F > f) of the F distribution with (df1, df2) degrees of freedom.
 * Reference: scipy.stats.f.sf(3.0, 2, 10) = 0.09564...
 * @example fDistributionSurvival(3, 2, 10) // ≈ 0.0956
 */
export function fDistributionSurvival(f: number, df1: number, df2: number): number {
  if (!(f > 0)) return 1;
  return regularizedIncompleteBeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2);
}
