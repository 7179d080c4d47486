/**
 * Seeded pseudo-random numbers and the distributions the store generator draws from.
 * The simulator never calls Math.random: the same seed always yields the same store.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter, PractRand-tested), seeded through
 * splitmix32 so that nearby seeds give unrelated streams.
 */
export interface RandomSource {
  /** Uniform on [0, 1). */
  next(): number;
  /** Uniform integer on [0, n). */
  int(n: number): number;
  /** Standard normal (Marsaglia polar method). */
  normal(): number;
  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number;
  /**
   * Gamma(shape, rate): density ∝ x^(shape−1) e^(−rate·x), mean shape/rate.
   * Marsaglia & Tsang (2000), "A simple method for generating gamma variables", with the
   * shape < 1 boost U^(1/shape).
   */
  gamma(shape: number, rate: number): number;
  /** Beta(a, b) via two gammas. */
  beta(a: number, b: number): number;
  /** Poisson(mean) by inversion for small means, normal approximation above 500. */
  poisson(mean: number): number;
  /** Picks an index with probability proportional to `cumulativeWeights` (last entry = total). */
  weighted(cumulativeWeights: Float64Array | readonly number[]): number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a {@link RandomSource} from an integer seed. */
export function createRandomSource(seed: number): RandomSource {
  if (!Number.isFinite(seed)) throw new Error(`random seed must be a finite number, got ${seed}`);
  const init = splitmix32(Math.floor(seed) ^ 0x5eed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();

  let spareNormal = NaN;
  const normal = (): number => {
    if (!Number.isNaN(spareNormal)) {
      const value = spareNormal;
      spareNormal = NaN;
      return value;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = next() * 2 - 1;
      v = next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    spareNormal = v * factor;
    return u * factor;
  };

  const gamma = (shape: number, rate: number): number => {
    if (!(shape > 0) || !(rate > 0)) throw new Error(`gamma(shape=${shape}, rate=${rate}) needs positive parameters`);
    if (shape < 1) {
      // Boost: if X ~ Gamma(shape+1) then X·U^(1/shape) ~ Gamma(shape).
      const u = next();
      return gamma(shape + 1, rate) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const dd = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * x * x * x * x) return (dd * v) / rate;
      if (Math.log(u) < 0.5 * x * x + dd * (1 - v + Math.log(v))) return (dd * v) / rate;
    }
  };

  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal,
    exponential: (rate) => -Math.log(1 - next()) / rate,
    gamma,
    beta(alpha, betaParam) {
      const x = gamma(alpha, 1);
      const y = gamma(betaParam, 1);
      return x / (x + y);
    },
    poisson(mean) {
      if (mean <= 0) return 0;
      if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
      const limit = Math.exp(-mean);
      let k = 0;
      let product = next();
      while (product > limit) {
        k++;
        product *= next();
      }
      return k;
    },
    weighted(cumulativeWeights) {
      const total = cumulativeWeights[cumulativeWeights.length - 1];
      const target = next() * total;
      let lo = 0;
      let hi = cumulativeWeights.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulativeWeights[mid] > target) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}
