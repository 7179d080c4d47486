/**
 * Locale-aware number formats for the figures the app shows (Intl, no dependency): money in the
 * shop's currency, shares as percentages, counts as whole numbers.
 */
export interface FigureFormat {
  money(value: number): string;
  /** A share with one decimal, always: "38.0%" beside "41.6%" in a column, not "38%". */
  percent(value: number): string;
  /** A chart axis' share: as few decimals as the tick needs ("20%", "2.5%"). */
  axisPercent(value: number): string;
  /** "+2.5" / "−0.3" with one decimal (percentage points). */
  signedDecimal(value: number): string;
  count(value: number): string;
  decimal(value: number): string;
  /** A number of orders a model expects, two decimals always ("4.50" beside "3.43" in a column). */
  expectedOrders(value: number): string;
  /**
   * The formatter for one column of figures compared with each other (the models' errors): two
   * decimals, or up to four when two different values would otherwise read the same ("0.299"
   * beside "0.300", where two decimals showed "0.30" twice and hid which model was chosen).
   */
  comparedDecimals(values: readonly number[]): (value: number) => string;
  /** A lift or other ratio with one decimal, e.g. "2.3" (the page adds its "×"). */
  lift(value: number): string;
  /** A relative change with its sign and one decimal, e.g. "+12.5%", "+33.0%" (no sign for none: "0.0%"). */
  change(value: number): string;
  date(isoDate: string): string;
  /**
   * A day without its year, in numbers ("12/28", "28-12", "28.12"): an axis label beside a table
   * with the whole date. polaris-viz cut "28. dec." short under 13 bars; the numbers fit.
   */
  dayMonth(isoDate: string): string;
  /** A calendar month `YYYY-MM`, e.g. "mei 2026". */
  month(yearMonth: string): string;
}

export function figureFormat(locale: string, currencyCode: string | null): FigureFormat {
  // No minus sign on a value that rounds to zero ("-0" at the low end of a lift interval of −0.004 orders).
  const negative = { signDisplay: "negative" } as const;
  const money = currencyCode
    ? new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode, ...negative })
    : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, ...negative });
  const percent = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1, ...negative });
  const axisPercent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1, ...negative });
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, ...negative });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2, ...negative });
  const twoDecimals = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, ...negative });
  const change = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const signedDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" });
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // Dates from the analysis are shop-local calendar days: format them in UTC so they never shift.
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const dayMonth = new Intl.DateTimeFormat(locale, { day: "numeric", month: "numeric", timeZone: "UTC" });
  const month = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric", timeZone: "UTC" });
  return {
    money: (v) => money.format(v),
    percent: (v) => percent.format(v),
    axisPercent: (v) => axisPercent.format(v),
    count: (v) => count.format(v),
    decimal: (v) => decimal.format(v),
    expectedOrders: (v) => twoDecimals.format(v),
    comparedDecimals: (values) => {
      const distinct = new Set(values).size;
      for (let digits = 2; ; digits++) {
        const fixed = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
        if (digits === 4 || new Set(values.map((v) => fixed.format(v))).size === distinct) return (v) => fixed.format(v);
      }
    },
    lift: (v) => oneDecimal.format(v),
    change: (v) => change.format(v),
    signedDecimal: (v) => signedDecimal.format(v),
    date: (iso) => date.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)),
    dayMonth: (iso) => dayMonth.format(new Date(`${iso.slice(0, 10)}T00:00:00Z`)),
    month: (yearMonth) => month.format(new Date(`${yearMonth}-01T00:00:00Z`)),
  };
}
