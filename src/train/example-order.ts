import { Random } from "../random";

/** Where an {@link ExampleOrder} stands, stored in checkpoints so a resumed run draws the same batches. */
export interface ExampleOrderState {
  /** Completed passes over the examples. */
  epoch: number;
  /** Examples already drawn in the current pass. */
  offset: number;
  /** State of the generator before the current pass's shuffle (the permutation is rebuilt from it). */
  epochRandomState: number;
}

/**
 * The order in which training examples are drawn: a fresh seeded shuffle every pass (epoch), batches taken in
 * that order and continuing across pass boundaries. Its whole state is three numbers, so a checkpoint can
 * store it and a resumed run continues with exactly the batches an uninterrupted run would have drawn.
 *
 * @example
 * const order = new ExampleOrder(1000, 7);
 * order.next(32); // indices of the first batch
 */
export class ExampleOrder {
  private permutation: number[];
  private epoch: number;
  private offset: number;
  private epochRandomState: number;

  constructor(readonly exampleCount: number, seed: number, state?: ExampleOrderState) {
    if (!(Number.isInteger(exampleCount) && exampleCount > 0)) {
      throw new Error(`ExampleOrder: need at least one training example, got ${exampleCount}.`);
    }
    this.epoch = state?.epoch ?? 0;
    this.offset = state?.offset ?? 0;
    this.epochRandomState = state?.epochRandomState ?? new Random(seed).getState();
    this.permutation = this.shuffled();
  }

  /** The next `count` example indices (wrapping into a new shuffled pass when one runs out). */
  next(count: number): number[] {
    const indices: number[] = [];
    while (indices.length < count) {
      if (this.offset >= this.exampleCount) this.startNextEpoch();
      indices.push(this.permutation[this.offset]!);
      this.offset += 1;
    }
    return indices;
  }

  getState(): ExampleOrderState {
    return { epoch: this.epoch, offset: this.offset, epochRandomState: this.epochRandomState };
  }

  private startNextEpoch(): void {
    const random = Random.fromState(this.epochRandomState);
    random.shuffle(Array.from({ length: this.exampleCount }, (_, index) => index));
    this.epochRandomState = random.getState();
    this.epoch += 1;
    this.offset = 0;
    this.permutation = this.shuffled();
  }

  private shuffled(): number[] {
    return Random.fromState(this.epochRandomState).shuffle(Array.from({ length: this.exampleCount }, (_, index) => index));
  }
}
