/**
 * The insight pages' data (issue #12 items 3 and 4; seed 001's questions): geography, products,
 * timing, acquisition and model quality. Each page has one function here; each reads the shop's
 * current analysis through app/snapshots (never recomputes) and returns the stored figures as
 * they are, with what a page needs to format them (currency, revenue basis, as-of date).
 * Every query is scoped to `shop`, the shop of the verified session.
 */
import type { StoreAnalysis } from "~/analytics/analyze-store";
import type { CustomerType } from "~/analytics/customer-types/customer-types";
import type { GeographyBreakdown } from "~/analytics/geography/geography-breakdown";
import { SPEND_TIERS, spendTierLowerBounds, type SpendTier } from "~/analytics/groups/spend-tier";
import type { AliveCalibrationGroup, CountingModelName, FrequencyBucket, ModelReadinessReason } from "~/analytics/models/index.ts";
import type { FittedModelSection } from "~/analytics/predictions/store-predictions";
import type { CrossSellPair } from "~/analytics/products/cross-sell-pairs";
import type { ProductRank } from "~/analytics/products/top-products";
import type { WeekdayHourMatrix } from "~/analytics/timing/weekday-hour";
import type { WeekSpan } from "~/analytics/predictions/purchases-by-week";
import { appContext } from "~/services/sync.server";
import type { RevenueBasis } from "~/settings/schema";
import { analysisStatusOf, readAnalysisState, type AnalysisStatus, type CurrentAnalysis } from "~/snapshots/read-analysis.server";

/** What every insight page shows about the figures: when they were computed and in which money. */
export interface InsightBasis {
  asOf: string;
  computedAt: string;
  currencyCode: string | null;
  revenueBasis: RevenueBasis;
}

/**
 * No analysis stored yet (first import running): the page says so instead of drawing zeros.
 * Either way with whether new figures are on their way or the last update failed.
 */
export type Insight<T> = (({ state: "ready"; basis: InsightBasis } & T) | { state: "no-analysis" }) & { analysisStatus: AnalysisStatus };

async function currentFigures(shop: string): Promise<{ analysisStatus: AnalysisStatus; figures: { current: CurrentAnalysis; basis: InsightBasis } | null }> {
  const { prisma } = appContext();
  const [state, shopRow] = await Promise.all([readAnalysisState(prisma, shop), prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } })]);
  const analysisStatus = analysisStatusOf(state);
  const current = state.current;
  if (!current) return { analysisStatus, figures: null };
  return {
    analysisStatus,
    figures: {
      current,
      basis: {
        asOf: current.document.analysis.asOf,
        computedAt: current.computedAt.toISOString(),
        currencyCode: shopRow?.currencyCode ?? null,
        revenueBasis: current.document.revenue.revenueBasis,
      },
    },
  };
}

/** Geography (seed 001 "Waar zitten mijn klanten?"): customers, revenue and LTV by country, region and city. */
export async function geographyInsight(shop: string): Promise<Insight<{ geography: GeographyBreakdown; customers: number }>> {
  const { analysisStatus, figures } = await currentFigures(shop);
  if (!figures) return { state: "no-analysis", analysisStatus };
  const { analysis } = figures.current.document;
  return { state: "ready", basis: figures.basis, geography: analysis.geography, customers: analysis.customers, analysisStatus };
}

export interface SpendTierRow {
  tier: SpendTier;
  customers: number;
  revenue: number;
}

/**
 * Products (seed 001 "Wat kopen mijn klanten?"): the most bought products per customer type and
 * group, the cross-sell audiences, and the spend tiers (thresholds from the analysis, customers
 * and revenue per tier from the same generation's profiles).
 */
export async function productsInsight(shop: string): Promise<
  Insight<{
    topByCustomerType: Record<CustomerType, ProductRank[]>;
    topByGroup: Record<string, ProductRank[]>;
    crossSell: CrossSellPair[];
    spendTiers: { high: number | null; mid: number | null; tiers: SpendTierRow[] };
  }>
> {
  const { analysisStatus, figures } = await currentFigures(shop);
  if (!figures) return { state: "no-analysis", analysisStatus };
  const { prisma } = appContext();
  const { products, spendTiers } = figures.current.document.analysis;
  // A tier is a range of the total spent (spendTierOf compares whole cents): each is counted along
  // the (snapshotId, totalSpent) index alone, without reading a profile row. The snapshot is this
  // shop's (read for `shop` above), so the shop column is left out.
  const bounds = spendTierLowerBounds(spendTiers);
  const ranges: Record<SpendTier, { gte?: string; lt?: string } | null> = {
    high: bounds.high === null ? null : { gte: bounds.high },
    mid: bounds.mid === null ? null : { gte: bounds.mid, ...(bounds.high === null ? {} : { lt: bounds.high }) },
    low: bounds.mid === null ? {} : { lt: bounds.mid },
  };
  const perTier = await Promise.all(
    SPEND_TIERS.map(async (tier) => {
      const range = ranges[tier];
      if (range === null) return { tier, customers: 0, revenue: 0 };
      const totals = await prisma.customerProfile.aggregate({ where: { snapshotId: figures.current.snapshotId, totalSpent: range }, _count: { _all: true }, _sum: { totalSpent: true } });
      return { tier, customers: totals._count._all, revenue: Number(totals._sum.totalSpent ?? 0) };
    }),
  );
  return {
    state: "ready",
    basis: figures.basis,
    analysisStatus,
    topByCustomerType: products.topByCustomerType,
    topByGroup: products.topByGroup,
    crossSell: products.crossSell,
    spendTiers: {
      high: spendTiers.high,
      mid: spendTiers.mid,
      tiers: perTier,
    },
  };
}

/** Why there is no model figure: the stored reasons (translated by the page). */
export type ModelUnavailable = { reason: "insufficient-data"; details: ModelReadinessReason[] } | { reason: "not-in-snapshot" };

/**
 * Timing (seed 001 "Wanneer en hoe vaak kopen mijn klanten?"): orders by weekday × hour, and
 * the repeat purchases the chosen model expects per coming week.
 */
export async function timingInsight(shop: string): Promise<
  Insight<{
    weekdayHour: WeekdayHourMatrix;
    comingWeeks:
      | {
          weeks: (WeekSpan & { expected: number })[];
          model: CountingModelName;
          total: FittedModelSection["totals"]["expectedPurchases"];
          /** Whether the weeks follow the shop's yearly pattern (models/seasonality.ts): why a new month can step up or down. */
          seasonal: boolean;
        }
      | ModelUnavailable;
  }>
> {
  const { analysisStatus, figures } = await currentFigures(shop);
  if (!figures) return { state: "no-analysis", analysisStatus };
  const { timing, models } = figures.current.document.analysis;
  const comingWeeks =
    models.status === "insufficient-data"
      ? { reason: "insufficient-data" as const, details: [...models.details] }
      : models.expectedPurchasesByWeek
        ? { weeks: [...models.expectedPurchasesByWeek], model: models.default, total: models.totals.expectedPurchases, seasonal: models.seasonality.status === "detected" }
        : { reason: "not-in-snapshot" as const };
  return { state: "ready", basis: figures.basis, weekdayHour: timing, comingWeeks, analysisStatus };
}

/**
 * Acquisition (seed 001 "Hoeveel nieuwe klanten werf ik ieder jaar?"): new customers per month
 * and year by the source, the sales channel and the first-visit UTM source of their first order.
 */
export async function acquisitionInsight(shop: string): Promise<Insight<{ acquisition: StoreAnalysis["acquisition"] }>> {
  const { analysisStatus, figures } = await currentFigures(shop);
  if (!figures) return { state: "no-analysis", analysisStatus };
  return { state: "ready", basis: figures.basis, acquisition: figures.current.document.analysis.acquisition, analysisStatus };
}

/** One model's back-test row as the page shows it: the stored row without its per-bucket details. */
type StoredRanking = Exclude<FittedModelSection["backtest"], { skipped: string }>["ranking"][number];
export type ModelRanking = Pick<StoredRanking, "model" | "customers" | "predictedTotal" | "actualTotal" | "relativeErrorOfTotal" | "meanAbsoluteError" | "rootMeanSquaredError">;

export type ModelQuality =
  | { status: "insufficient-data"; details: ModelReadinessReason[] }
  | {
      status: "fitted";
      chosen: CountingModelName;
      chosenBy: "back-test" | "fallback";
      skipped: { model: CountingModelName; reason: string }[];
      backtest:
        | { status: "skipped"; reason: string }
        | {
            status: "ran";
            holdoutDays: number;
            calibrationEnd: string;
            ranking: ModelRanking[];
            excluded: { model: CountingModelName; reason: string }[];
            /** The chosen model's per-week comparison (null in snapshots stored before it existed). */
            weekly: (WeekSpan & { predicted: number; actual: number })[] | null;
            buckets: FrequencyBucket[];
            aliveCalibration: AliveCalibrationGroup[];
            /** Whether the hold-out predictions followed a yearly pattern found before the hold-out. */
            seasonal: boolean;
          };
    };

/**
 * Model quality (issue #12 item 4): the back-test of the churn models as stored — which model was
 * chosen and how, its predictions against what happened in the hold-out (total, per week, per
 * frequency bucket) and how well its P(alive) is calibrated.
 */
export async function modelQualityInsight(shop: string): Promise<Insight<{ quality: ModelQuality }>> {
  const { analysisStatus, figures } = await currentFigures(shop);
  if (!figures) return { state: "no-analysis", analysisStatus };
  const models = figures.current.document.analysis.models;
  if (models.status === "insufficient-data") return { state: "ready", basis: figures.basis, quality: { status: "insufficient-data", details: [...models.details] }, analysisStatus };
  const stored = models.backtest;
  let backtest: Extract<ModelQuality, { status: "fitted" }>["backtest"];
  if ("skipped" in stored) backtest = { status: "skipped", reason: stored.skipped };
  else {
    const chosen = stored.ranking.find((r) => r.model === models.default) ?? stored.ranking[0];
    backtest = {
      status: "ran",
      holdoutDays: stored.holdoutDays,
      calibrationEnd: stored.calibrationEnd,
      ranking: stored.ranking.map(({ model, customers, predictedTotal, actualTotal, relativeErrorOfTotal, meanAbsoluteError, rootMeanSquaredError }) => ({
        model,
        customers,
        predictedTotal,
        actualTotal,
        relativeErrorOfTotal,
        meanAbsoluteError,
        rootMeanSquaredError,
      })),
      excluded: [...stored.excluded],
      weekly: stored.weekly ? [...stored.weekly] : null,
      buckets: [...(chosen.buckets as FrequencyBucket[])],
      aliveCalibration: [...chosen.aliveCalibration],
      seasonal: Array.isArray(stored.seasonalFactors),
    };
  }
  return {
    state: "ready",
    basis: figures.basis,
    analysisStatus,
    quality: { status: "fitted", chosen: models.default, chosenBy: models.defaultChosenBy, skipped: [...models.skipped], backtest },
  };
}
