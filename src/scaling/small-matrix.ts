/**
 * Dense linear algebra for the small symmetric systems of curve fitting (at most a handful of
 * parameters): Cholesky solves, Jacobi eigen-decomposition and a pseudo-inverse. Matrices are row-major
 * `Float64Array`s of `size × size`.
 *
 * Reference: Golub & Van Loan, "Matrix Computations", 4th ed., §4.2 (Cholesky) and §8.5 (Jacobi).
 * @example solveSymmetric(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2) // Float64Array [0.5, 0]
 */
export function solveSymmetric(matrix: Float64Array, rhs: Float64Array, size: number): Float64Array | undefined {
  const lower = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * size + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * size + k]! * lower[j * size + k]!;
      if (i === j) {
        if (!(sum > 0)) return undefined;
        lower[i * size + i] = Math.sqrt(sum);
      } else {
        lower[i * size + j] = sum / lower[j * size + j]!;
      }
    }
  }
  const solution = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * size + k]! * solution[k]!;
    solution[i] = sum / lower[i * size + i]!;
  }
  for (let i = size - 1; i >= 0; i--) {
    let sum = solution[i]!;
    for (let k = i + 1; k < size; k++) sum -= lower[k * size + i]! * solution[k]!;
    solution[i] = sum / lower[i * size + i]!;
  }
  return solution;
}

/** Eigenvalues (ascending) and eigenvectors (columns of `vectors`, row-major) of a symmetric matrix, by cyclic Jacobi rotations. */
export function symmetricEigen(matrix: Float64Array, size: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiagonal = 0;
    for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) offDiagonal += a[i * size + j]! ** 2;
    if (offDiagonal < 1e-300) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q]!;
        if (apq === 0) continue;
        const theta = (a[q * size + q]! - a[p * size + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p]!;
          const akq = a[k * size + q]!;
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k]!;
          const aqk = a[q * size + k]!;
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p]!;
          const vkq = v[k * size + q]!;
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((i, j) => a[i * size + i]! - a[j * size + j]!);
  const values = Float64Array.from(order, (i) => a[i * size + i]!);
  const vectors = new Float64Array(size * size);
  order.forEach((from, to) => {
    for (let k = 0; k < size; k++) vectors[k * size + to] = v[k * size + from]!;
  });
  return { values, vectors };
}

/**
 * Moore–Penrose pseudo-inverse of a symmetric positive semi-definite matrix: eigenvalues below
 * `relativeCutoff × largest` are treated as zero (as scipy's curve_fit does with the SVD of the Jacobian).
 */
export function pseudoInverseSymmetric(matrix: Float64Array, size: number, relativeCutoff = 1e-15): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, size);
  const largest = Math.max(...Array.from(values, Math.abs), 0);
  const inverse = new Float64Array(size * size);
  for (let k = 0; k < size; k++) {
    const value = values[k]!;
    if (!(value > relativeCutoff * largest)) continue;
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) inverse[i * size + j] += (vectors[i * size + k]! * vectors[j * size + k]!) / value;
    }
  }
  return inverse;
}

/** `left · matrix · leftᵀ` for a square `left` (size × size): how a covariance moves to new parameters. */
export function congruence(left: Float64Array, matrix: Float64Array, size: number): Float64Array {
  const temp = new Float64Array(size * size);
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      let sum = 0;
      for (let k = 0; k < size; k++) sum += left[i * size + k]! * matrix[k * size + j]!;
      temp[i * size + j] = sum;
    }
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      let sum = 0;
      for (let k = 0; k < size; k++) sum += temp[i * size + k]! * left[j * size + k]!;
      out[i * size + j] = sum;
    }
  return out;
}
