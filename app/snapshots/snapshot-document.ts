/**
 * The stored shape of one analysis of a shop (AnalysisSnapshot.data): what `analyzeStore`
 * returned without the per-customer rows (those are the snapshot's CustomerProfile rows), the
 * revenue facts, and the settings the figures were computed with. Versioned: a reader accepts
 * only SNAPSHOT_VERSION and validates the parts pages rely on, so an older document is never
 * half-read; it is treated as missing and recomputed (read-analysis.server.ts). Bump the version
 * whenever a field is renamed or changes meaning.
 */
import { z } from "zod";
import type { StoreAnalysis } from "~/analytics/analyze-store";
import type { AnalysisSettings } from "~/settings/analysis-options";
import { REVENUE_BASES } from "~/settings/schema";
import type { SnapshotRevenue } from "~/settings/snapshot-revenue";

/**
 * 1: the unversioned documents before profiles (analysis fields and revenue facts at the top level).
 * 2: profiles. 3: the customer groups' orders and revenue per year per customer-year (decision 054).
 * 4: the "few VIP customers" action's VIP share is of the customers not lost, against the
 *    settings' VIP share (`vipGroupShare`), not of all customers against a fixed 10 %.
 * 5: cross-sell pairs carry their lift and are ranked and kept by it, not by confidence (decision 061).
 * 6: every customer has P(alive) and CLV intervals; the scoring basis says whether count intervals
 *    are mixed over the draws (`countIntervalsOverDraws`, was `perCustomerIntervals`; decision 063).
 */
export const SNAPSHOT_VERSION = 6;

export interface SnapshotDocument {
  /**
   * `metricsByPeriod` was added within version 2 (the dashboard's period choice): documents
   * written before it lack it, and the dashboard then offers the stored period only until the
   * next recompute (daily at the latest) — no version bump, so no shop loses its figures.
   */
  analysis: Omit<StoreAnalysis, "scores" | "timings" | "metricsByPeriod" | "rangeCounts"> & {
    metricsByPeriod?: StoreAnalysis["metricsByPeriod"];
    /**
     * Added within version 2 as well (the custom range from stored counts, decision 030): a
     * document without it has its custom ranges counted from the shop's orders, as before.
     */
    rangeCounts?: StoreAnalysis["rangeCounts"];
  };
  revenue: SnapshotRevenue;
  settings: AnalysisSettings;
  /** Milliseconds per phase of the recompute that wrote it (load, analyse, write). */
  timings: Record<string, number>;
}

/** The span a stored analysis' expected orders cover ("13 weeks"); null where no model was fitted. */
export interface PredictionHorizon {
  length: number;
  timeUnit: string;
}

export function predictionHorizon(document: SnapshotDocument): PredictionHorizon | null {
  const models = document.analysis.models;
  return models.status === "fitted" ? { length: models.horizon, timeUnit: models.timeUnit } : null;
}

const figure = z.looseObject({ value: z.number().nullable(), previous: z.number().nullable(), change: z.number().nullable() });
const keyMetrics = z.looseObject({
  period: z.looseObject({ start: z.string(), end: z.string(), preset: z.string() }),
  previousPeriod: z.looseObject({ start: z.string(), end: z.string() }).nullable(),
  figures: z.record(z.string(), figure),
});

/** The parts every page reads; the rest of the analysis passes through as the core wrote it. */
const documentSchema = z.object({
  analysis: z.looseObject({
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    customers: z.number().int().nonnegative(),
    orders: z.number().int().nonnegative(),
    metrics: keyMetrics,
    metricsByPeriod: z.record(z.string(), keyMetrics).optional(),
    rangeCounts: z
      .object({
        firstDay: z.number().int(),
        newCustomers: z.array(z.number()),
        secondOrders: z.array(z.number()),
        customerOrders: z.array(z.number()),
        guestOrders: z.array(z.number()),
        customerRevenue: z.array(z.number()),
        guestRevenue: z.array(z.number()),
        absences: z.string(),
      })
      .optional(),
    lifecycle: z.record(z.string(), z.number()),
    groups: z.looseObject({ metrics: z.array(z.looseObject({ group: z.string(), customers: z.number() })) }),
    customerTypes: z.looseObject({ counts: z.record(z.string(), z.number()) }),
    models: z.looseObject({ status: z.enum(["fitted", "insufficient-data"]) }),
  }),
  revenue: z.object({ revenueBasis: z.enum(REVENUE_BASES), ordersWithoutNetSales: z.number().int().nonnegative() }),
  settings: z.object({
    vipShare: z.number(),
    lifecycleActiveFactor: z.number(),
    lifecycleLostFactor: z.number(),
    newCustomerDays: z.number().int(),
    monthlyMarketingSpend: z.string(),
    revenueBasis: z.enum(REVENUE_BASES),
  }),
  timings: z.record(z.string(), z.number()),
});

export function serializeSnapshotDocument(document: SnapshotDocument): string {
  return JSON.stringify(document);
}

/**
 * The document of a stored snapshot, or null when it is of another version or does not have
 * the shape this version promises (never a half-read document).
 */
export function parseSnapshotDocument(version: number, data: string): SnapshotDocument | null {
  if (version !== SNAPSHOT_VERSION) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = documentSchema.safeParse(json);
  return parsed.success ? (json as SnapshotDocument) : null;
}
