/**
 * The time zone a page states dates and times in: the shop's, as the Shopify admin does. The
 * server renders in its own zone and the browser hydrates in the merchant's; a date or time that
 * differed between the two made React throw the server's page away and draw it again. A zone this
 * runtime does not know falls back to UTC instead of failing the page.
 */
export function displayTimeZone(ianaTimezone: string | null | undefined): string {
  if (!ianaTimezone) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: ianaTimezone });
    return ianaTimezone;
  } catch {
    return "UTC";
  }
}
