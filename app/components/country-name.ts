/**
 * Country codes as names in the admin's language ("NL" → "Nederland");
 * anything that is not a code (a stored name, "unknown" aside) passes through. Geography page and
 * customer page.
 */
export function countryNamer(locale: string, unknown: string) {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([locale], { type: "region" });
  } catch {
    names = null;
  }
  return (code: string) => {
    if (code === "unknown") return unknown;
    if (!/^[A-Z]{2}$/.test(code) || names === null) return code;
    try {
      return names.of(code) ?? code;
    } catch {
      return code;
    }
  };
}
