/**
 * The Settings page keeps per-shop settings: every invalid value is rejected with an error on
 * its own field and nothing is written; valid values are stored and shown again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import en from "~/i18n/en.json";
import { MAX_FORM_BODY_BYTES } from "~/http/form-fields.server";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type SettingsModule = typeof import("~/routes/app.settings");

const SHOP = "settings-shop.myshopify.com";
const OTHER_SHOP = "other-settings-shop.myshopify.com";
const BASIS_SHOP = "basis-settings-shop.myshopify.com";

const VALID = {
  tagPrefix: "ins:",
  vipSharePercent: "12,5",
  lifecycleActiveFactor: "1.25",
  lifecycleLostFactor: "3",
  newCustomerDays: "45",
  monthlyMarketingSpend: "1250.50",
  revenueBasis: "net_sales",
};

// One invalid value at a time, with the field error the form must show (rules: issue #2 and
// the brief: prefix [a-z0-9-_:]{1,20}; VIP share in (0, 50] %; active ≥ 1; lost > active;
// new-customer days 1–365; spend ≥ 0 with at most 2 decimals; basis current_total|net_sales).
const INVALID: [field: keyof typeof VALID, value: string, errorKey: keyof typeof en][] = [
  ["tagPrefix", "", "settings.error.required"],
  ["tagPrefix", "VIP-", "settings.error.tagPrefixFormat"],
  ["tagPrefix", "ci prefix", "settings.error.tagPrefixFormat"],
  ["tagPrefix", "a".repeat(21), "settings.error.tagPrefixLength"],
  ["vipSharePercent", "0", "settings.error.vipShareRange"],
  ["vipSharePercent", "50.01", "settings.error.vipShareRange"],
  ["vipSharePercent", "ten", "settings.error.notANumber"],
  ["lifecycleActiveFactor", "0.99", "settings.error.activeFactorMin"],
  ["lifecycleLostFactor", "1.25", "settings.error.lostFactorAboveActive"],
  ["lifecycleLostFactor", "1", "settings.error.lostFactorAboveActive"],
  ["newCustomerDays", "0", "settings.error.newCustomerDaysRange"],
  ["newCustomerDays", "366", "settings.error.newCustomerDaysRange"],
  ["newCustomerDays", "7.5", "settings.error.newCustomerDaysRange"],
  ["monthlyMarketingSpend", "-1", "settings.error.spendMin"],
  ["monthlyMarketingSpend", "10.255", "settings.error.spendDecimals"],
  ["monthlyMarketingSpend", "1e3", "settings.error.notANumber"],
  ["revenueBasis", "gross", "settings.error.revenueBasis"],
  // Out of range or absurdly long (issue #10 §6): field errors, never Infinity, a float or a 500.
  ["lifecycleActiveFactor", "1" + "0".repeat(399), "settings.error.notANumber"],
  ["lifecycleActiveFactor", "101", "settings.error.factorMax"],
  ["lifecycleLostFactor", "1" + "0".repeat(30), "settings.error.factorMax"],
  ["lifecycleActiveFactor", "1e300", "settings.error.notANumber"],
  ["vipSharePercent", "1e300", "settings.error.notANumber"],
  ["newCustomerDays", "1" + "0".repeat(399), "settings.error.newCustomerDaysRange"],
  ["monthlyMarketingSpend", "1" + "0".repeat(39), "settings.error.spendMax"],
  ["monthlyMarketingSpend", "1" + "0".repeat(12), "settings.error.spendMax"],
  ["monthlyMarketingSpend", "1e300", "settings.error.notANumber"],
];

describe.each(TEST_DIALECTS)("settings page on %s", (dialect) => {
  let app: AppUnderTest;
  let settings: SettingsModule;

  const request = (shop: string, form?: Record<string, string>) =>
    new Request(`${APP_URL}/app/settings`, {
      method: form ? "POST" : "GET",
      headers: { Authorization: `Bearer ${mintSessionToken({ shop })}` },
      body: form ? new URLSearchParams(form) : undefined,
    });
  const submit = async (shop: string, form: Record<string, string>) => {
    const response = (await responseOf(() =>
      settings.action({ request: request(shop, form), params: {}, context: {} }),
    )) as Response;
    return { status: response.status, data: await response.json() };
  };
  const load = async (shop: string) =>
    (await settings.loader({ request: request(shop), params: {}, context: {} })) as { values: Record<string, string>; currencyCode: string | null };

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    settings = await app.load<SettingsModule>("~/routes/app.settings");
    await app.storeOfflineSession(SHOP);
    await app.storeOfflineSession(OTHER_SHOP);
    await app.storeOfflineSession(BASIS_SHOP);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await app.db.prisma.shopSettings.deleteMany();
  });

  it("shows the schema defaults before anything was saved", async () => {
    expect((await load(SHOP)).values).toEqual({
      tagPrefix: "ci-",
      vipSharePercent: "10",
      lifecycleActiveFactor: "1.5",
      lifecycleLostFactor: "2",
      newCustomerDays: "30",
      monthlyMarketingSpend: "0.00",
      revenueBasis: "current_total",
    });
  });

  it("names the shop's currency, which the marketing spend is in (none before the shop's first sync)", async () => {
    await app.db.prisma.shop.upsert({ where: { shop: SHOP }, create: { shop: SHOP, currencyCode: "DKK" }, update: { currencyCode: "DKK" } });
    await app.db.prisma.shop.upsert({ where: { shop: OTHER_SHOP }, create: { shop: OTHER_SHOP }, update: { currencyCode: null } });
    expect((await load(SHOP)).currencyCode).toBe("DKK");
    expect((await load(OTHER_SHOP)).currencyCode).toBeNull();
  });

  it.each(INVALID)("rejects %s = %j with %s and saves nothing", async (field, value, errorKey) => {
    const { status, data } = await submit(SHOP, { ...VALID, [field]: value });
    expect(status).toBe(400);
    expect(data.status).toBe("invalid");
    expect(data.errors).toEqual({ [field]: errorKey });
    // The form shows back what was typed.
    expect(data.values[field]).toBe(value);
    expect(await app.db.prisma.shopSettings.count()).toBe(0);
  });

  it("keeps the largest accepted spend exactly", async () => {
    const { status } = await submit(SHOP, { ...VALID, monthlyMarketingSpend: "999999999999.99" });
    expect(status).toBe(200);
    expect((await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } })).monthlyMarketingSpend.toFixed(2)).toBe("999999999999.99");
  });

  it.each([
    ["a JSON body", "application/json", JSON.stringify(VALID)],
    ["a garbage multipart body", "multipart/form-data; boundary=x", "\u0000not multipart at all"],
    ["garbage without a content type", "", "%%%\u0001"],
  ])("%s gets field errors (400), not a 500, and saves nothing", async (_what, contentType, body) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}` };
    if (contentType) headers["Content-Type"] = contentType;
    const response = (await responseOf(() =>
      settings.action({ request: new Request(`${APP_URL}/app/settings`, { method: "POST", headers, body }), params: {}, context: {} }),
    )) as Response;
    expect(response.status).toBe(400);
    expect((await response.json()).status).toBe("invalid");
    expect(await app.db.prisma.shopSettings.count()).toBe(0);
  });

  it("a form over the size limit is refused (413, worded by the layout) before it is read, and saves nothing", async () => {
    const oversized = new URLSearchParams({ ...VALID, note: "x".repeat(MAX_FORM_BODY_BYTES) }).toString();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode(oversized));
        controller.close();
      },
    }, { highWaterMark: 0 }); // pulled only when read
    const headers = { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}`, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(oversized.length) };
    const response = (await responseOf(() =>
      settings.action({ request: new Request(`${APP_URL}/app/settings`, { method: "POST", headers, body, duplex: "half" } as RequestInit), params: {}, context: {} }),
    )) as Response;
    expect(response.status).toBe(413);
    await expect(response.json()).resolves.toMatchObject({ error: "error.formTooLarge" });
    expect(en["error.formTooLarge"]).toBeTruthy();
    expect(pulled).toBe(0);
    expect(await app.db.prisma.shopSettings.count()).toBe(0);
  });

  it("a streamed form without a length is cut off once it passes the limit, not read to its end", async () => {
    const chunk = new TextEncoder().encode("note=" + "x".repeat(64 * 1024 - 5));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const headers = { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}`, "Content-Type": "application/x-www-form-urlencoded" };
    const response = (await responseOf(() =>
      settings.action({ request: new Request(`${APP_URL}/app/settings`, { method: "POST", headers, body: endless, duplex: "half" } as RequestInit), params: {}, context: {} }),
    )) as Response;
    expect(response.status).toBe(413);
    // The stream's own read-ahead may add a few chunks; an endless body is never read whole.
    expect(sent).toBeLessThan(MAX_FORM_BODY_BYTES + 16 * chunk.byteLength);
    expect(await app.db.prisma.shopSettings.count()).toBe(0);
  });

  it("reports every invalid field at once", async () => {
    const { data } = await submit(SHOP, { ...VALID, tagPrefix: "Bad", newCustomerDays: "999", monthlyMarketingSpend: "-5" });
    expect(Object.keys(data.errors).sort()).toEqual(["monthlyMarketingSpend", "newCustomerDays", "tagPrefix"]);
    // The lost factor's rule against the active factor too, not only once every other field is valid.
    const { data: crossField } = await submit(SHOP, { ...VALID, vipSharePercent: "60", lifecycleActiveFactor: "1.5", lifecycleLostFactor: "1" });
    expect(crossField.errors).toEqual({ vipSharePercent: "settings.error.vipShareRange", lifecycleLostFactor: "settings.error.lostFactorAboveActive" });
    expect(await app.db.prisma.shopSettings.count()).toBe(0);
  });

  it("saves valid values and shows them again; an invalid submit afterwards changes nothing", async () => {
    const { status, data } = await submit(SHOP, VALID);
    expect(status).toBe(200);
    expect(data.status).toBe("saved");

    const row = await app.db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(row.tagPrefix).toBe("ins:");
    expect(row.vipShare).toBeCloseTo(0.125, 12);
    expect(row.lifecycleActiveFactor).toBe(1.25);
    expect(row.lifecycleLostFactor).toBe(3);
    expect(row.newCustomerDays).toBe(45);
    expect(row.monthlyMarketingSpend.toFixed(2)).toBe("1250.50");
    expect(row.revenueBasis).toBe("net_sales");

    const expectedForm = { ...VALID, vipSharePercent: "12.5" };
    expect((await load(SHOP)).values).toEqual(expectedForm);

    await submit(SHOP, { ...VALID, tagPrefix: "new-", vipSharePercent: "99" });
    expect((await load(SHOP)).values).toEqual(expectedForm);
  });

  it("keeps each shop's settings apart", async () => {
    await submit(SHOP, VALID);
    expect((await load(OTHER_SHOP)).values.tagPrefix).toBe("ci-");
    expect(await app.db.prisma.shopSettings.count({ where: { shop: OTHER_SHOP } })).toBe(0);
  });

  /** Jobs of `kind` queued for `shop`, whichever queue the dialect uses (Job table or pg-boss). */
  const queued = async (kind: string, shop: string): Promise<number> => {
    if (dialect === "sqlite") return app.db.prisma.job.count({ where: { kind, shop, status: "queued" } });
    const [{ exists }] = (await app.db.prisma.$queryRawUnsafe(`SELECT to_regclass('pgboss.job') IS NOT NULL AS "exists"`)) as { exists: boolean }[];
    if (!exists) return 0;
    const rows = (await app.db.prisma.$queryRawUnsafe(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'shop' = $2 AND state = 'created'`,
      kind,
      shop,
    )) as { n: number }[];
    return rows[0].n;
  };

  it("a change that affects figures queues a recompute at once and marks them as being recalculated; the same settings, or only the tag prefix, do not", async () => {
    const defaults = { tagPrefix: "ci-", vipSharePercent: "10", lifecycleActiveFactor: "1.5", lifecycleLostFactor: "2", newCustomerDays: "30", monthlyMarketingSpend: "0", revenueBasis: "current_total" };
    await submit(BASIS_SHOP, defaults); // the defaults: nothing changes
    await submit(BASIS_SHOP, { ...defaults, tagPrefix: "shop-" }); // no figure depends on the prefix
    expect(await queued("recompute", BASIS_SHOP)).toBe(0);
    expect((await app.db.prisma.shop.findUniqueOrThrow({ where: { shop: BASIS_SHOP } })).analysisRequestedAt).toBeNull();
    await submit(BASIS_SHOP, { ...defaults, vipSharePercent: "25" });
    expect(await queued("recompute", BASIS_SHOP)).toBe(1);
    expect((await app.db.prisma.shop.findUniqueOrThrow({ where: { shop: BASIS_SHOP } })).analysisRequestedAt).not.toBeNull();
    await submit(BASIS_SHOP, { ...defaults, vipSharePercent: "25", revenueBasis: "net_sales" });
    // Still one queued recompute (it runs once with the latest settings); no order lacks net sales: nothing to re-import.
    expect(await queued("recompute", BASIS_SHOP)).toBe(1);
    expect(await app.db.prisma.syncRun.count({ where: { shop: BASIS_SHOP } })).toBe(0);
  });

  it("switching to net sales re-imports when orders were stored without net sales", async () => {
    await app.db.prisma.order.create({
      data: { shop: BASIS_SHOP, shopifyId: "gid://shopify/Order/1", totalPrice: "40.00", netSales: null, shopifyCreatedAt: new Date("2026-05-01T00:00:00Z") },
    });
    await app.db.prisma.syncRun.create({ data: { shop: BASIS_SHOP, kind: "backfill", status: "completed", finishedAt: new Date() } });
    await submit(BASIS_SHOP, { ...VALID, revenueBasis: "net_sales" });
    const runs = await app.db.prisma.syncRun.findMany({ where: { shop: BASIS_SHOP, kind: "backfill" }, orderBy: { id: "asc" } });
    expect(runs.map((r) => r.status)).toEqual(["completed", "running"]);
    expect(await queued("backfill", BASIS_SHOP)).toBe(1);
    expect(await queued("recompute", BASIS_SHOP)).toBe(1);
  });

  it("refuses a submit without a valid session token and saves nothing", async () => {
    const forged = mintSessionToken({ shop: SHOP, secret: "wrong" });
    const response = (await responseOf(() =>
      settings.action({
        request: new Request(`${APP_URL}/app/settings`, {
          method: "POST",
          headers: { Authorization: `Bearer ${forged}` },
          body: new URLSearchParams(VALID),
        }),
        params: {},
        context: {},
      }),
    )) as Response;
    expect(response.status).toBe(401);
    expect(await app.db.prisma.shopSettings.count()).toBe(0);
  });
});
