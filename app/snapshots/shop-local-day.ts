/** The shop-local calendar day of `instant`, `YYYY-MM-DD`: the as-of date of every analysis and refresh. */
export function shopLocalDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}
