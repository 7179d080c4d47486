import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "./analyze";

async function run(args: string[], today = "2026-12-03") {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), today: () => today });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "analyze-cli-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** Splits one CSV line that has no quoted commas (the scores file's numeric columns). */
const parseScores = (text: string) => {
  const [header, ...lines] = text.trim().split("\n");
  const columns = header.split(",");
  return lines.map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ""));
    return Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
  });
};

describe("analyze CLI on the CDNOW sample (--as-of 1997-09-30 --time-unit week)", () => {
  it("writes scores whose (x, t_x, T) equal cdnow_sample_summary.csv for every customer", async () => {
    const out = join(dir, "cdnow-scores.csv");
    const { code, stderr } = await run(["tests/fixtures/cdnow/cdnow_sample.txt", "--as-of", "1997-09-30", "--time-unit", "week", "--scores", out]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const scores = new Map(parseScores(readFileSync(out, "utf8")).map((r) => [r.customer_id, r]));
    const expected = readFileSync("tests/fixtures/cdnow/cdnow_sample_summary.csv", "utf8").trim().split("\n").slice(1);
    expect(scores.size).toBe(expected.length);
    for (const line of expected) {
      const [id, x, tx, T] = line.split(",");
      const row = scores.get(id)!;
      expect(row, `customer ${id}`).toBeDefined();
      expect(Number(row.x)).toBe(Number(x));
      expect(Math.abs(Number(row.t_x) - Number(tx))).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(Number(row.T) - Number(T))).toBeLessThanOrEqual(0.005 + 1e-9);
    }
    // The reason is written in English (the app's wording); customer 1: x = 2 over 213 days, last
    // purchase 59 days before the as-of date (T = 272 days).
    expect(scores.get("1")!.reason).toBe("Usually orders every 107 days; last order 59 days ago");
    // The header promised by the brief, in order.
    expect(readFileSync(out, "utf8").split("\n")[0].split(",").slice(0, 15)).toEqual(
      ["customer_id", "orders", "x", "t_x", "T", "p_alive", "expected_purchases", "expected_spend", "clv", "lifecycle", "group", "r", "f", "m", "rfm_group"],
    );
  });

  it("--json reproduces the published BG/NBD, Gamma-Gamma and Pareto/NBD fits (METRICS.md, to their rounding)", async () => {
    const { code, stdout } = await run(["tests/fixtures/cdnow/cdnow_sample.txt", "--as-of", "1997-09-30", "--time-unit", "week", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.asOf).toBe("1997-09-30");
    expect(json.customers).toBe(2357);
    // Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
    const bg = json.models.bgnbd;
    expect(bg.r).toBeCloseTo(0.243, 3);
    expect(bg.alpha).toBeCloseTo(4.414, 3);
    expect(bg.a).toBeCloseTo(0.793, 3);
    expect(bg.b).toBeCloseTo(2.426, 3);
    expect(bg.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(bg.timeUnit).toBe("week");
    expect(bg.converged).toBe(true);
    // "RFM and CLV" (2005): p = 6.25, q = 3.74, γ = 15.44 on 946 repeat customers (published
    // values are truncated to 2 decimals, so allow 0.01).
    const gg = json.models.gammaGamma;
    expect(gg.customers).toBe(946);
    expect(Math.abs(gg.p - 6.25)).toBeLessThan(0.01);
    expect(Math.abs(gg.q - 3.74)).toBeLessThan(0.01);
    expect(Math.abs(gg.gamma - 15.44)).toBeLessThan(0.01);
    expect(typeof gg.logLikelihood).toBe("number");
    // Pareto/NBD: r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL ≈ −9595.0.
    const pn = json.models.paretoNbd;
    expect(pn.r).toBeCloseTo(0.553, 2);
    expect(pn.alpha).toBeCloseTo(10.578, 1);
    expect(pn.s).toBeCloseTo(0.606, 2);
    expect(pn.beta).toBeCloseTo(11.669, 1);
    expect(pn.logLikelihood).toBeCloseTo(-9595.0, 0);
    expect(["mbg-nbd", "pareto-nbd"]).toContain(json.models.default);
    expect(json.models.mbgnbd).toHaveProperty("logLikelihood");
    // 6,919 rows: 4,960 up to the as-of date, the rest after it (ignored and counted).
    expect(json.orders + json.excludedOrders.afterAsOf).toBe(6919);
    expect(json.guestOrders).toBe(0);
    expect(json.metrics.figures["repeat-purchase-rate"].key).toBe("repeat-purchase-rate");
  });

  it("prints a readable text report without --json", async () => {
    const { code, stdout } = await run(["tests/fixtures/cdnow/cdnow_sample.txt", "--as-of", "1997-09-30"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/customers 2357/);
    expect(stdout).toMatch(/BG\/NBD\s+r=0\.243 alpha=4\.414 a=0\.793 b=2\.426/);
    // A rate's change is in percentage points (it once read "+5.5%" for 35.2% → 40.7%), LTV's relative.
    const rate = /repeat-purchase-rate\s+([\d.]+)%\s+previous ([\d.]+)% \(([+-][\d.]+) pp\)/.exec(stdout);
    expect(rate).not.toBeNull();
    expect(Math.abs(Number(rate![3]) - (Number(rate![1]) - Number(rate![2])))).toBeLessThanOrEqual(0.11);
    const ltv = /ltv\s+([\d.]+)\s+previous ([\d.]+) \(([+-][\d.]+)%\)/.exec(stdout);
    expect(ltv).not.toBeNull();
    expect(Math.abs(Number(ltv![3]) - (Number(ltv![1]) / Number(ltv![2]) - 1) * 100)).toBeLessThanOrEqual(0.1);
  });
});

describe("analyze CLI readers", () => {
  const shopifyHeader =
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount";
  const shopifyRow = (f: Record<string, string>) => shopifyHeader.split(",").map((h) => (f[h] ?? "").includes(",") ? `"${f[h]}"` : f[h] ?? "").join(",");

  it("reads a Shopify order export: line items grouped by Name, guests without e-mail, cancelled and test orders excluded, refunds subtracted", async () => {
    const path = file(
      "shopify.csv",
      [
        shopifyHeader,
        shopifyRow({ Name: "#1001", Email: "ann@example.com", "Financial Status": "paid", Total: "30.00", "Created at": "2024-01-15 10:23:45 +0100", "Lineitem quantity": "2", "Lineitem name": "Mug, blue", "Lineitem price": "10.00", "Lineitem sku": "MUG-B", "Shipping City": "Utrecht", "Shipping Country": "NL", "Accepts Marketing": "yes", Source: "web" }),
        shopifyRow({ Name: "#1001", "Lineitem quantity": "1", "Lineitem name": "Tea", "Lineitem price": "10.00", "Lineitem sku": "TEA" }),
        shopifyRow({ Name: "#1002", Email: "", "Financial Status": "paid", Total: "12.50", "Created at": "2024-01-16 09:00:00 +0100", "Lineitem quantity": "1", "Lineitem name": "Tea", "Lineitem price": "12.50", "Lineitem sku": "TEA" }),
        shopifyRow({ Name: "#1003", Email: "ANN@example.com", "Financial Status": "partially_refunded", Total: "40.00", "Refunded Amount": "15.00", "Created at": "2024-02-20 18:30:00 +0100", "Lineitem quantity": "1", "Lineitem name": "Pot", "Lineitem price": "40.00", "Lineitem sku": "POT" }),
        shopifyRow({ Name: "#1004", Email: "bob@example.com", "Financial Status": "voided", Total: "99.00", "Created at": "2024-02-21 08:00:00 +0100", "Cancelled at": "2024-02-21 09:00:00 +0100", "Lineitem quantity": "1", "Lineitem name": "Pot", "Lineitem price": "99.00" }),
        shopifyRow({ Name: "#1005", Email: "carl@example.com", "Financial Status": "paid", Total: "5.00", "Created at": "2024-02-22 08:00:00 +0100", "Payment Method": "bogus", "Lineitem quantity": "1", "Lineitem name": "Tea", "Lineitem price": "5.00" }),
      ].join("\n") + "\n",
    );
    const { code, stdout, stderr } = await run([path, "--as-of", "2024-03-01", "--json"]);
    expect(stderr).toMatch(/Not enough data/);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.format).toBe("shopify");
    expect(json.customers).toBe(1); // ann (case-insensitive e-mail); bob cancelled, carl test
    expect(json.orders).toBe(3);
    expect(json.guestOrders).toBe(1);
    expect(json.revenue).toBeCloseTo(30 + 12.5 + 25, 9);
    expect(json.excludedOrders).toEqual({ test: 1, cancelled: 1, afterAsOf: 0 });
    expect(json.models.status).toBe("insufficient-data");
    expect(json.geography.cities[0]).toMatchObject({ country: "NL", city: "Utrecht", customers: 1, revenue: 55 });
    // Local time from "+0100": 10:23 on a Monday.
    expect(json.timing.orders[0][10]).toBe(1);
    const mug = json.products.topByGroup["one-time"].length + json.products.topByGroup.loyal.length + json.products.topByGroup.vip.length;
    expect(mug).toBeGreaterThan(0);
  });

  it("reads a generic customer_id,date,amount[,quantity] CSV (empty customer = guest)", async () => {
    const path = file("generic.csv", "customer_id,date,amount,quantity\nc1,2024-01-01,10.5,2\nc1,2024-02-01,20,1\n,2024-02-03,7,1\nc2,2024-02-10T12:00:00Z,5,\n");
    const { code, stdout } = await run([path, "--as-of", "2024-02-29", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.format).toBe("generic");
    expect(json).toMatchObject({ customers: 2, orders: 4, guestOrders: 1 });
    expect(json.revenue).toBeCloseTo(42.5, 9);
  });

  it("too little history: a clear message in the text report, descriptive metrics only, exit 0", async () => {
    const path = file("small.csv", "customer_id,date,amount\nc1,2024-01-01,10\nc1,2024-02-01,20\nc2,2024-02-10,5\n");
    const out = join(dir, "small-scores.csv");
    const { code, stdout } = await run([path, "--scores", out]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Models: Not enough data for predictions: only 1 customers have bought more than once \(at least 8 are needed/);
    expect(stdout).toMatch(/Only descriptive metrics are shown/);
    expect(stdout).toMatch(/repeat-purchase-rate\s+50\.0%/);
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows).toHaveLength(3);
    // Model columns are empty, descriptive ones filled: c1 has 2 orders, x = 1, t_x = 31/7, T = 40/7 (as-of = last order, 2024-02-10).
    expect(rows[1]).toMatch(/^c1,2,1,4\.428571,5\.714286,,,,,/);
  });

  it("reads the 4-column CDNOW master layout with its header line", async () => {
    const path = file("master.txt", " customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n 00002 19970112  1   12.00\n 00002 19970112  5   77.00\n 00002 19970326  2   20.76\n");
    const { code, stdout } = await run([path, "--as-of", "1997-03-31", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.format).toBe("cdnow");
    expect(json).toMatchObject({ customers: 2, orders: 4 });
    expect(json.revenue).toBeCloseTo(121.53, 9);
  });

  it("--time-zone puts an order at 22:30 UTC on 1 July on Tuesday 00:xx in Amsterdam (Monday 22:xx without)", async () => {
    const path = file("tz.csv", "customer_id,date,amount\nc1,2024-07-01T22:30:00Z,10\n");
    const amsterdam = JSON.parse((await run([path, "--time-zone", "Europe/Amsterdam", "--json"])).stdout);
    expect(amsterdam.timing.orders[1][0]).toBe(1);
    expect(amsterdam.asOf).toBe("2024-07-02");
    const utc = JSON.parse((await run([path, "--json"])).stdout);
    expect(utc.timing.orders[0][22]).toBe(1);
    const bad = await run([path, "--time-zone", "Nowhere/Land"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown time zone/);
  });

  it("a bad line exits 2 naming the line, and writes no scores file", async () => {
    const path = file("bad.csv", "customer_id,date,amount\nc1,2024-01-01,10\nc2,2024-13-01,5\n");
    const out = join(dir, "bad-scores.csv");
    const { code, stderr, stdout } = await run([path, "--scores", out]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/line 3/);
    expect(stderr).toMatch(/date/);
    expect(stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });

  it("a negative amount and a malformed CDNOW row are rejected with their line numbers", async () => {
    const neg = await run([file("neg.csv", "customer_id,date,amount\nc1,2024-01-01,-3\n")]);
    expect(neg.code).toBe(2);
    expect(neg.stderr).toMatch(/line 2: amount -3 is negative/);
    const cd = await run([file("cd.txt", " 00001 0001 19970101  1   11.77\n 00001 0001 1997010  1\n"), "--format", "cdnow"]);
    expect(cd.code).toBe(2);
    expect(cd.stderr).toMatch(/line 2/);
  });

  it("an unknown format and bad arguments exit 2 with a message", async () => {
    expect((await run([file("x.txt", "hello world\n")])).code).toBe(2);
    const badUnit = await run(["tests/fixtures/cdnow/cdnow_sample.txt", "--time-unit", "month"]);
    expect(badUnit.code).toBe(2);
    expect(badUnit.stderr).toMatch(/--time-unit/);
  });

  it.each([
    ["a directory", () => dir, /is a directory/],
    ["a missing file", () => join(dir, "missing.csv"), /no such file/],
    ["a path through a file", () => join(file("plain.txt", "x"), "inside.csv"), /not a directory/],
  ])("%s as input: one line naming the path, exit 2, no stack trace", async (_what, path, message) => {
    const input = path();
    const { code, stderr } = await run([input]);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  // root reads a mode-000 file anyway, so this runs only as an ordinary user.
  it.skipIf(process.getuid?.() === 0)("an unreadable file as input: one line, exit 2", async () => {
    const path = file("unreadable.csv", "customer_id,date,amount\nc1,2024-01-01,10\n");
    chmodSync(path, 0o000);
    const { code, stderr } = await run([path]);
    expect(code).toBe(2);
    expect(stderr).toBe(`error: ${path}: permission denied (not readable)\n`);
  });

  it("a --scores path that cannot be written: one line, exit 2", async () => {
    const { code, stderr } = await run(["tests/fixtures/cdnow/cdnow_sample.txt", "--scores", dir]);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/is a directory/);
  });

  it("warns when a future-dated order sets the as-of date; not when --as-of is given or the dates are past", async () => {
    const path = file("future.csv", "customer_id,date,amount\nc1,2024-01-01,10\nc1,2024-02-01,20\nc2,2031-05-06,5\n");
    const future = await run([path, "--json"]);
    expect(future.code).toBe(0);
    expect(future.stderr).toMatch(/warning: the newest order is dated 2031-05-06, after today \(2026-12-03\)/);
    expect((await run([path, "--json", "--as-of", "2024-03-01"])).stderr).not.toMatch(/warning/);
    expect((await run([path, "--json"], "2031-05-06")).stderr).not.toMatch(/warning/);
  });
});
