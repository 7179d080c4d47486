/**
 * Search by name or e-mail (the Customers list and a segment's members): every word of the
 * search must start one of the customer's search terms — a word of the first or last name, the
 * e-mail whole or its domain — case-insensitively. The terms are rows of `CustomerSearchTerm`,
 * written by database triggers on Customer (docs/decisions/040-customer-search.md), so a word is
 * one range of the (shop, term) index instead of a LIKE '%word%' through every customer.
 */
import type { SqlDialect } from "~/sync/store/sql-dialect";
import { searchWords } from "./customer-list-query";

/** Above every character a name holds: a term that starts with the word sorts below word + this. */
const AFTER_PREFIX = "\u{10FFFF}";

/** The terms a word matches: `from` ≤ term < `to`, in the terms' byte order. */
export interface TermRange {
  from: string;
  to: string;
}

/**
 * Lower-cased as the triggers lower-case the terms: SQLite's lower() folds ASCII letters only
 * (as its LIKE compared them); PostgreSQL's folds every letter.
 */
function lowerAsStored(word: string, dialect: SqlDialect): string {
  return dialect === "sqlite" ? word.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : word.toLowerCase();
}

/** One term range per word of the search (none: the search has no words and finds nobody). */
export function searchTermRanges(search: string, dialect: SqlDialect): TermRange[] {
  return searchWords(search).map((word) => {
    const from = lowerAsStored(word, dialect);
    return { from, to: from + AFTER_PREFIX };
  });
}

/**
 * The ids of the shop's customers whose terms match every range, each once: a SELECT for an
 * `IN (…)` or a FROM, its values bound through `param` (in the order they appear).
 */
export function matchingCustomersSql(param: (value: unknown) => string, shop: string, ranges: readonly TermRange[]): string {
  return ranges
    .map(({ from, to }) => `SELECT DISTINCT t."customerId" FROM "CustomerSearchTerm" t WHERE t."shop" = ${param(shop)} AND t."term" >= ${param(from)} AND t."term" < ${param(to)}`)
    .join(" INTERSECT ");
}
