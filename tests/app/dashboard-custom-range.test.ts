/**
 * A custom dashboard range is counted from the per-day summary the recompute stores with the
 * analysis (docs/decisions/028-pages-at-scale.md), not from the orders: after a real recompute,
 * on both databases, a custom range of a preset's days shows the preset's figures, and any other
 * range the figures `keyMetrics` computes over the shop's orders themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayIndexFromIsoDate } from "~/analytics/calendar/calendar-day";
import { churnWindowsForPeriod, resolveCustomPeriod } from "~/analytics/metrics/custom-period";
import { keyMetrics } from "~/analytics/metrics/key-metrics";
import { closeBulkConnections } from "~/db/bulk-connections.server";
import type { Dashboard } from "~/services/dashboard.server";
import { loadStoreDataset } from "~/snapshots/load-store-dataset.server";
import { seedInsightStore, INSIGHT_AS_OF } from "../db/insight-store";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

const SHOP = "custom-range.myshopify.com";

/** Counts equal; money and shares equal up to the rounding of adding the same amounts in another order. */
function expectSameFigures(actual: Dashboard["analysis"], expected: { key: string; value: number | null; previous: number | null }[]) {
  for (const e of expected) {
    const figure = actual!.figures.find((f) => f.key === e.key)!;
    for (const [got, want] of [[figure.value, e.value], [figure.previous, e.previous]] as const) {
      if (want === null) expect(got, e.key).toBeNull();
      else expect(got! - want, e.key).toBeCloseTo(0, 6);
    }
  }
}

describe.each(TEST_DIALECTS)("the dashboard's custom range on %s", (dialect) => {
  let app: AppUnderTest;
  const load = async (query: string) => {
    const module = await app.load<{ loader: (args: { request: Request; params: Record<string, string>; context: object }) => Promise<unknown> }>("~/routes/app._index");
    const request = new Request(`${APP_URL}/app${query}`, { headers: { Authorization: `Bearer ${mintSessionToken({ shop: SHOP })}` } });
    return (await module.loader({ request, params: {}, context: {} })) as Dashboard;
  };

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    await seedInsightStore(app.db.prisma, app.db.config, dialect, SHOP);
    await app.storeOfflineSession(SHOP);
  }, 180_000);
  afterAll(async () => {
    await closeBulkConnections();
    await app?.close();
  });

  it("is counted from the stored summary: the document holds it, and a preset's days give the preset's figures", async () => {
    const snapshot = await app.db.prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SHOP } });
    expect(JSON.parse(snapshot.data).analysis.rangeCounts.absences.length).toBeGreaterThan(0);
    const preset = (await load("?period=90d")).analysis!;
    const custom = (await load(`?period=custom&from=${preset.period.start}&to=${preset.period.end}`)).analysis!;
    expect(custom.periodChoice.choice).toEqual({ kind: "custom", from: preset.period.start, to: preset.period.end });
    expect(custom.period).toMatchObject({ start: preset.period.start, end: preset.period.end });
    expect(custom.previousPeriod).toEqual(preset.previousPeriod);
    expectSameFigures(custom, preset.figures);
  });

  it("equals keyMetrics over the shop's orders for ranges no preset has", async () => {
    const { dataset } = await loadStoreDataset(app.db.prisma, app.db.config, SHOP, "current_total", "UTC");
    const stored = JSON.parse((await app.db.prisma.analysisSnapshot.findFirstOrThrow({ where: { shop: SHOP } })).data);
    for (const [from, to] of [["2025-02-03", "2025-05-17"], ["2026-06-30", "2026-06-30"], ["2024-01-01", "2026-03-31"]]) {
      const period = resolveCustomPeriod(from, to, dayIndexFromIsoDate(INSIGHT_AS_OF));
      if ("error" in period) throw new Error(period.error);
      const expected = keyMetrics(dataset, period, { churnByMonth: churnWindowsForPeriod(stored.analysis.series.monthlyChurn, period), marketingSpendPerMonth: null });
      const shown = (await load(`?period=custom&from=${from}&to=${to}`)).analysis!;
      expectSameFigures(shown, shown.figures.map((f) => ({ key: f.key, value: expected.figures[f.key].value, previous: expected.figures[f.key].previous })));
    }
  });
});
