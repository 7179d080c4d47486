/** F5 recommended actions (seed 000 "Wat je met deze data kunt doen"). */
export type RecommendedActionId = "small-vip-segment" | "rising-churn" | "leaky-bucket" | "growing-at-risk";

export interface RecommendedAction {
  readonly id: RecommendedActionId;
  readonly triggered: boolean;
  /** The rule, in words, with its threshold. */
  readonly rule: string;
  /** The figures the rule looked at (null when not computable). */
  readonly figures: Readonly<Record<string, number | null>>;
  /** The customer type the action targets (its one-click segment is built from it). */
  readonly customerType: "vip" | "at-risk" | "returning" | "one-time-inactive";
  readonly advice: string;
}

export interface ActionInputs {
  /** VIP slice of the donut ÷ all customers. */
  readonly vipShare: number | null;
  readonly churnRate: number | null;
  readonly previousChurnRate: number | null;
  readonly newCustomers: number | null;
  readonly previousNewCustomers: number | null;
  readonly retentionRate: number | null;
  /** Repeat customers slipping away or lost now and at the start of the period. */
  readonly atRiskNow: number | null;
  readonly atRiskAtPeriodStart: number | null;
}

export interface ActionThresholds {
  /** VIP share below which the VIP segment is "small" (seed: 10 %). */
  readonly smallVipShare: number;
  /** Retention below which retention is weak (below the "good" band, 40 %). */
  readonly weakRetention: number;
}

export const DEFAULT_ACTION_THRESHOLDS: ActionThresholds = { smallVipShare: 0.1, weakRetention: 0.4 };

const gt = (a: number | null, b: number | null) => a !== null && b !== null && a > b;

/**
 * Evaluates the four seed-000 rules and returns each with the figures that (would) trigger it:
 * - small VIP segment: VIP share < 10 %;
 * - rising churn: monthly churn in the period > in the previous period;
 * - strong acquisition, weak retention: new customers up on the previous period and retention
 *   below the "good" band (40 %);
 * - growing at-risk group: repeat customers slipping away or lost now > at the period start.
 */
export function recommendedActions(inputs: ActionInputs, thresholds: ActionThresholds = DEFAULT_ACTION_THRESHOLDS): RecommendedAction[] {
  return [
    {
      id: "small-vip-segment",
      triggered: inputs.vipShare !== null && inputs.vipShare < thresholds.smallVipShare,
      rule: `VIP customers (not lost) are less than ${thresholds.smallVipShare * 100}% of customers`,
      figures: { vipShare: inputs.vipShare },
      customerType: "vip",
      advice: "Create a loyalty or VIP programme to reward and keep your best customers.",
    },
    {
      id: "rising-churn",
      triggered: gt(inputs.churnRate, inputs.previousChurnRate),
      rule: "Monthly churn in the period is higher than in the previous period",
      figures: { churnRate: inputs.churnRate, previousChurnRate: inputs.previousChurnRate },
      customerType: "at-risk",
      advice: "Survey recently lost customers, check product quality and review post-purchase e-mails.",
    },
    {
      id: "leaky-bucket",
      triggered: gt(inputs.newCustomers, inputs.previousNewCustomers) && inputs.retentionRate !== null && inputs.retentionRate < thresholds.weakRetention,
      rule: `New customers grew on the previous period while retention is below ${thresholds.weakRetention * 100}%`,
      figures: { newCustomers: inputs.newCustomers, previousNewCustomers: inputs.previousNewCustomers, retentionRate: inputs.retentionRate },
      customerType: "one-time-inactive",
      advice: "You are filling a leaky bucket: invest in the post-purchase experience and e-mail nurturing before more acquisition.",
    },
    {
      id: "growing-at-risk",
      triggered: gt(inputs.atRiskNow, inputs.atRiskAtPeriodStart),
      rule: "More repeat customers are slipping away or lost than at the start of the period",
      figures: { atRiskNow: inputs.atRiskNow, atRiskAtPeriodStart: inputs.atRiskAtPeriodStart },
      customerType: "at-risk",
      advice: "Set up win-back campaigns with personalised offers based on earlier purchases.",
    },
  ];
}
