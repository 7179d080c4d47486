import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvHeader, csvRow, EXPORT_COLUMNS, exportFileName, type ExportRow } from "./export-csv";

const row = (overrides: Partial<ExportRow>): ExportRow => ({
  customer_id: "gid://shopify/Customer/1", name: "Anna", email: "anna@example.com", lifecycle_stage: "active", customer_group: "vip", rfm_group: "champions",
  orders: 3, total_spent: "12.50", predicted_clv: null, p_alive: "0.9000", hold_out: false, ...overrides,
});

describe("segment export CSV", () => {
  it("reads back, through a standard CSV parser, exactly the values written, whatever the names contain", () => {
    const names = ['Jansen, "Anna"', "Line\nbreak", "Ærø Ødegård", "plain", ""];
    const text = csvHeader() + names.map((name, i) => csvRow(row({ name, customer_id: `gid://shopify/Customer/${i}` }))).join("");
    const parsed = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(parsed[0])).toEqual([...EXPORT_COLUMNS]);
    expect(parsed.map((r) => r.name)).toEqual(names);
    expect(parsed[0]).toMatchObject({ orders: "3", total_spent: "12.50", predicted_clv: "", hold_out: "false" });
  });

  it("never lets a spreadsheet run a customer's name as a formula", () => {
    const [parsed] = parse(csvHeader() + csvRow(row({ name: "=HYPERLINK(\"http://x\")", email: "+31 6 1234" })), { columns: true }) as Record<string, string>[];
    expect(parsed.name).toBe("'=HYPERLINK(\"http://x\")");
    expect(parsed.email).toBe("'+31 6 1234");
  });

  it("names the file after the handle, safely", () => {
    expect(exportFileName("VIP klanten/../x", new Date("2026-12-03T10:00:00Z"))).toBe("vip-klanten-x-2026-12-03.csv");
    expect(exportFileName("***", new Date("2026-12-03T10:00:00Z"))).toBe("segment-2026-12-03.csv");
  });
});
