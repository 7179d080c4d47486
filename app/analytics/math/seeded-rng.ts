/**
 * Deterministic pseudo-random numbers. The analytics core never calls Math.random: callers
 * pass an `Rng` (a function returning uniforms in [0, 1)), usually `createSeededRng(seed)`.
 */
export type Rng = () => number;

/**
 * Mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2³², good enough for
 * simulation and parameter draws; not cryptographic.
 */
export function createSeededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box–Muller; uses two uniforms, discards the second normal). */
export function sampleStandardNormal(rng: Rng): number {
  let u = rng();
  while (u <= 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Gamma(shape, rate) draw, Marsaglia & Tsang (2000); shape < 1 via the boosting identity. */
export function sampleGamma(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) {
    let u = rng();
    while (u <= 0) u = rng();
    return sampleGamma(rng, shape + 1, rate) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleStandardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
  }
}

/** Beta(a, b) draw as G₁ / (G₁ + G₂) with independent gammas. */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const g1 = sampleGamma(rng, a, 1);
  const g2 = sampleGamma(rng, b, 1);
  return g1 / (g1 + g2);
}

/** Exponential(rate) draw. */
export function sampleExponential(rng: Rng, rate: number): number {
  let u = rng();
  while (u <= 0) u = rng();
  return -Math.log(u) / rate;
}
