/**
 * Cholesky factor L (lower triangular, A = L Lᵀ) of a symmetric positive-definite matrix,
 * or null when A is not positive definite (e.g. a flat likelihood direction).
 */
export function cholesky(matrix: readonly (readonly number[])[]): number[][] | null {
  const n = matrix.length;
  const lower: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i][j];
      for (let k = 0; k < j; k++) sum -= lower[i][k] * lower[j][k];
      if (i === j) {
        if (!(sum > 0)) return null;
        lower[i][i] = Math.sqrt(sum);
      } else {
        lower[i][j] = sum / lower[j][j];
      }
    }
  }
  return lower;
}

/** Inverse of a symmetric positive-definite matrix via its Cholesky factor; null if not SPD. */
export function invertSymmetricPositiveDefinite(matrix: readonly (readonly number[])[]): number[][] | null {
  const lower = cholesky(matrix);
  if (lower === null) return null;
  const n = matrix.length;
  // Solve L Lᵀ X = I column by column.
  const inverse: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let col = 0; col < n; col++) {
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= lower[i][k] * y[k];
      y[i] = s / lower[i][i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= lower[k][i] * inverse[k][col];
      inverse[i][col] = s / lower[i][i];
    }
  }
  return inverse;
}
