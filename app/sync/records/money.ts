/** Exact decimal money arithmetic on strings via integer minor units (BigInt), never floats. */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const SCALE = 6; // enough for every currency Shopify supports (≤ 3 decimals) and unit prices

export function toMicros(amount: string): bigint {
  const m = DECIMAL.exec(amount.trim());
  if (!m) throw new RangeError(`not a decimal amount: ${amount}`);
  const frac = (m[3] ?? "").padEnd(SCALE, "0").slice(0, SCALE);
  const v = BigInt(m[2]) * 10n ** BigInt(SCALE) + BigInt(frac || "0");
  return m[1] ? -v : v;
}

export function fromMicros(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / 10n ** BigInt(SCALE);
  let frac = (abs % 10n ** BigInt(SCALE)).toString().padStart(SCALE, "0").replace(/0+$/, "");
  if (frac.length < 2) frac = frac.padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${frac}`;
}
