import { describe, expect, it } from "vitest";
import { analyzeStore } from "~/analytics/analyze-store";
import { isoDateFromDayIndex } from "~/analytics/calendar/calendar-day";
import { testDataset, type TestOrder } from "~/analytics/testing/test-dataset";
import { analysisOptionsFromSettings, settingsChangeFigures } from "./analysis-options";
import { DEFAULT_SETTINGS, type ShopSettingsValues } from "./schema";

const AS_OF = 19_800;
// 40 customers: customer i spent 10·(i+1) over orders whose gaps vary, so VIP share, lifecycle
// factors and the new-customer window each move some customers between classes.
const orders: TestOrder[] = [];
for (let i = 0; i < 40; i++) {
  const firstAgo = 20 + i * 9;
  const gap = 15 + (i % 7) * 5;
  for (let k = 0; firstAgo - k * gap >= 0 && k < 4; k++) orders.push([`c${i}`, isoDateFromDayIndex(AS_OF - firstAgo + k * gap), 10 * (i + 1)]);
}
const dataset = testDataset(orders);
const analyse = (settings: Partial<ShopSettingsValues>) => analyzeStore(dataset, analysisOptionsFromSettings({ ...DEFAULT_SETTINGS, ...settings }, isoDateFromDayIndex(AS_OF)));

describe("analysisOptionsFromSettings: each setting changes the figures it should, and nothing else", () => {
  const base = analyse({});

  it("a larger VIP share makes more VIPs and leaves the lifecycle alone", () => {
    const more = analyse({ vipShare: 0.25 });
    expect(more.groups.metrics.find((g) => g.group === "vip")!.customers).toBeGreaterThan(base.groups.metrics.find((g) => g.group === "vip")!.customers);
    expect(more.lifecycle).toEqual(base.lifecycle);
  });

  it("a later 'lost' makes fewer lost customers and leaves the groups alone", () => {
    const later = analyse({ lifecycleLostFactor: 3 });
    expect(later.lifecycle.lost).toBeLessThan(base.lifecycle.lost);
    expect(later.groups.metrics.map((g) => g.customers)).toEqual(base.groups.metrics.map((g) => g.customers));
  });

  it("a later 'slipping away' makes more active customers", () => {
    expect(analyse({ lifecycleActiveFactor: 1.9 }).lifecycle.active).toBeGreaterThan(base.lifecycle.active);
  });

  it("a longer new-customer window makes more new customers", () => {
    expect(analyse({ newCustomerDays: 120 }).lifecycle.new).toBeGreaterThan(base.lifecycle.new);
  });

  it("marketing spend gives CAC and LTV:CAC; without it they are unknown", () => {
    expect(base.metrics.figures.cac.value).toBeNull();
    const spent = analyse({ monthlyMarketingSpend: "600.00" });
    expect(spent.metrics.figures.cac.value).toBeGreaterThan(0);
    const doubled = analyse({ monthlyMarketingSpend: "1200.00" });
    expect(doubled.metrics.figures.cac.value).toBeCloseTo(2 * spent.metrics.figures.cac.value!, 9);
    expect(spent.lifecycle).toEqual(base.lifecycle);
  });

  it("settingsChangeFigures: the tag prefix changes no figure, every other setting does", () => {
    expect(settingsChangeFigures(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, tagPrefix: "x-" })).toBe(false);
    expect(settingsChangeFigures({ ...DEFAULT_SETTINGS, monthlyMarketingSpend: "0.00" }, { ...DEFAULT_SETTINGS, monthlyMarketingSpend: "0" })).toBe(false);
    for (const change of [{ vipShare: 0.2 }, { lifecycleActiveFactor: 1.6 }, { lifecycleLostFactor: 2.5 }, { newCustomerDays: 45 }, { monthlyMarketingSpend: "1.00" }, { revenueBasis: "net_sales" as const }]) {
      expect(settingsChangeFigures(DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, ...change })).toBe(true);
    }
  });
});
