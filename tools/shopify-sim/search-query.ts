/**
 * Parser for Shopify's search syntax as used by the `query` argument of Admin connections
 * (`updated_at:>'2024-01-01T00:00:00Z' tag:vip -tag:test email:ann*`).
 * @see https://shopify.dev/docs/api/usage/search-syntax
 *
 * Supported: implicit AND between terms, `AND`, `OR` (lower precedence than AND), `NOT`/`-`
 * negation, `field:value` with `:<`, `:<=`, `:>`, `:>=`, single- or double-quoted values, a
 * trailing `*` for prefix matches, and bare words (matched against the resource's default text).
 */
export type Comparator = "=" | "<" | "<=" | ">" | ">=";

export interface SearchTerm {
  field: string | null;
  comparator: Comparator;
  value: string;
  negated: boolean;
}

/** Disjunction of conjunctions: `groups[i]` holds terms that must all match. */
export interface ParsedSearch {
  groups: SearchTerm[][];
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < query.length) {
    if (/\s/.test(query[i])) {
      i++;
      continue;
    }
    let token = "";
    while (i < query.length && !/\s/.test(query[i])) {
      const ch = query[i];
      if (ch === "'" || ch === '"') {
        const close = query.indexOf(ch, i + 1);
        if (close < 0) throw new Error(`unterminated quote in search query at character ${i + 1}`);
        token += query.slice(i, close + 1);
        i = close + 1;
      } else {
        token += ch;
        i++;
      }
    }
    tokens.push(token);
  }
  return tokens;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value[value.length - 1] === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}

/** Parses a search string. @throws on an unterminated quote. */
export function parseSearchQuery(query: string): ParsedSearch {
  const groups: SearchTerm[][] = [[]];
  let negateNext = false;
  for (const token of tokenize(query)) {
    if (token === "AND") continue;
    if (token === "OR") {
      groups.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    let text = token;
    let negated = negateNext;
    negateNext = false;
    if (text.startsWith("-") && text.length > 1) {
      negated = !negated;
      text = text.slice(1);
    }
    const match = /^([A-Za-z_][A-Za-z0-9_.]*):(<=|>=|<|>)?(.*)$/.exec(text);
    if (match) {
      groups[groups.length - 1].push({
        field: match[1].toLowerCase(),
        comparator: (match[2] as Comparator | undefined) ?? "=",
        value: unquote(match[3]),
        negated,
      });
    } else {
      groups[groups.length - 1].push({ field: null, comparator: "=", value: unquote(text), negated });
    }
  }
  return { groups: groups.filter((g) => g.length > 0) };
}

/** How a resource exposes one searchable field. */
export type FieldAccessor<Row> =
  | { kind: "date"; get: (row: Row) => number }
  | { kind: "number"; get: (row: Row) => number }
  | { kind: "text"; get: (row: Row) => string | null }
  | { kind: "tags"; get: (row: Row) => readonly string[] }
  | { kind: "boolean"; get: (row: Row) => boolean }
  | { kind: "custom"; test: (row: Row, term: SearchTerm) => boolean };

export interface SearchSchema<Row> {
  fields: Record<string, FieldAccessor<Row>>;
  /** Text matched by bare words. */
  defaultText: (row: Row) => string;
}

export interface CompiledSearch<Row> {
  matches: (row: Row) => boolean;
  /** Fields the resource does not support; Shopify ignores such terms and reports a warning. */
  ignoredFields: string[];
}

function parseDate(value: string): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new Error(`invalid date "${value}" in search query`);
  return ms;
}

function compare(a: number, comparator: Comparator, b: number): boolean {
  switch (comparator) {
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    case ">=": return a >= b;
    default: return a === b;
  }
}

function textMatches(actual: string | null, expected: string): boolean {
  if (actual === null) return false;
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  return e.endsWith("*") ? a.startsWith(e.slice(0, -1)) : a === e;
}

/** Compiles a search string against a resource's searchable fields. @throws on invalid dates or quotes. */
export function compileSearch<Row>(query: string | null | undefined, schema: SearchSchema<Row>): CompiledSearch<Row> {
  if (!query || !query.trim()) return { matches: () => true, ignoredFields: [] };
  const parsed = parseSearchQuery(query);
  const ignoredFields: string[] = [];
  const groupTests = parsed.groups.map((group) => {
    const tests: ((row: Row) => boolean)[] = [];
    for (const term of group) {
      let test: (row: Row) => boolean;
      if (term.field === null) {
        const needle = term.value.toLowerCase().replace(/\*$/, "");
        test = (row) => schema.defaultText(row).toLowerCase().includes(needle);
      } else {
        const accessor = schema.fields[term.field];
        if (!accessor) {
          ignoredFields.push(term.field);
          continue;
        }
        switch (accessor.kind) {
          case "date": {
            const when = parseDate(term.value);
            test = (row) => compare(accessor.get(row), term.comparator, when);
            break;
          }
          case "number": {
            const expected = Number(term.value);
            if (Number.isNaN(expected)) throw new Error(`invalid number "${term.value}" for ${term.field} in search query`);
            test = (row) => compare(accessor.get(row), term.comparator, expected);
            break;
          }
          case "text":
            test = (row) => textMatches(accessor.get(row), term.value);
            break;
          case "tags": {
            const wanted = term.value.toLowerCase();
            test = (row) => accessor.get(row).some((tag) => tag.toLowerCase() === wanted);
            break;
          }
          case "boolean": {
            const wanted = term.value.toLowerCase() === "true";
            test = (row) => accessor.get(row) === wanted;
            break;
          }
          case "custom":
            test = (row) => accessor.test(row, term);
            break;
        }
      }
      tests.push(term.negated ? (row) => !test(row) : test);
    }
    return (row: Row) => tests.every((t) => t(row));
  });
  return { matches: (row) => groupTests.some((g) => g(row)), ignoredFields };
}
