import { describe, expect, it } from "vitest";
import { analyzeStore } from "../analyze-store";
import { churnRiskBand, type ChurnRisk } from "../scores/customer-score-rows";
import { SYNTHETIC_AS_OF, syntheticStore } from "../testing/synthetic-store";
import { DEFAULT_LIFECYCLE_SETTINGS, type LifecycleStage } from "./lifecycle-stage";
import { lateButLikelyActive } from "./late-but-likely-active";

describe("lateButLikelyActive: late by the lifecycle stage, likely active by the model", () => {
  it("holds only for slipping-away or lost customers with a low churn risk", () => {
    const stages: LifecycleStage[] = ["new", "active", "slipping-away", "lost"];
    const risks: (ChurnRisk | null)[] = ["low", "medium", "high", null];
    const flagged = stages.flatMap((stage) => risks.filter((risk) => lateButLikelyActive(stage, risk)).map((risk) => `${stage}/${risk}`));
    expect(flagged).toEqual(["slipping-away/low", "lost/low"]);
  });

  it("happens to frequent buyers of a store with BG/NBD-like buyers: their pause is long for their rhythm, short for the model", () => {
    const analysis = analyzeStore(syntheticStore(30_000), { asOf: SYNTHETIC_AS_OF });
    const rows = analysis.scores!.rows();
    const late = rows.filter((r) => r.p_alive !== null && lateButLikelyActive(r.lifecycle, churnRiskBand(r.p_alive)));
    expect(late.length).toBeGreaterThan(0);
    for (const r of late) {
      // Late against their own rhythm (past the active factor × usual gap) …
      expect(r.days_since_last_order).toBeGreaterThan(DEFAULT_LIFECYCLE_SETTINGS.activeFactor * r.usual_gap_days);
      // … yet the model gives them at least 70 % to be still active: repeat buyers, not one-timers.
      expect(r.p_alive!).toBeGreaterThanOrEqual(0.7);
      expect(r.orders).toBeGreaterThanOrEqual(2);
    }
  });
});
