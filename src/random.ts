/**
 * Seeded pseudo-random numbers shared by every module that samples (negatives, bootstrap, weight init),
 * so a run is reproducible from its seed. SplitMix32-style generator: small state that serialises into a
 * checkpoint as one number.
 *
 * Reference: the `mulberry32` generator (public domain, Tommy Ettinger).
 * @example new Random(1).next() // 0.6270739405881613
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Random: seed must be a finite number, got ${seed}.`);
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, upperExclusive). */
  int(upperExclusive: number): number {
    return Math.floor(this.next() * upperExclusive);
  }

  /** Standard normal draw (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const held = items[i]!;
      items[i] = items[j]!;
      items[j] = held;
    }
    return items;
  }

  /** The generator's state, to store in a checkpoint; `Random.fromState` restores it. */
  getState(): number {
    return this.state;
  }

  static fromState(state: number): Random {
    return new Random(state);
  }
}
