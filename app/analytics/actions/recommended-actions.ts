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
  /**
   * VIP-group customers not lost ÷ customers with an order not lost. The VIP group is a fixed
   * share of all customers (the setting), so this falls below that share exactly when VIPs are
   * lost more often than the rest; of all customers it would always be at most the setting.
   */
  readonly vipShare: number | null;
  /** The settings' VIP share: the VIPs' share of all customers (seed 000's "small" line, 10 % by default). */
  readonly vipGroupShare: number;
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
  /** Retention below which retention is weak (below the "good" band, 40 %). */
  readonly weakRetention: number;
}

export const DEFAULT_ACTION_THRESHOLDS: ActionThresholds = { weakRetention: 0.4 };

const gt = (a: number | null, b: number | null) => a !== null && b !== null && a > b;

/**
 * Evaluates the four seed-000 rules and returns each with the figures that (would) trigger it:
 * - few VIP customers: VIPs under their share (the setting; seed: 10 %) of the customers not
 *   lost, i.e. lost more often than the rest;
 * - rising churn: monthly churn in the period > in the previous period;
 * - strong acquisition, weak retention: new customers up on the previous period and retention
 *   below the "good" band (40 %);
 * - growing at-risk group: repeat customers slipping away or lost now > at the period start.
 */
export function recommendedActions(inputs: ActionInputs, thresholds: ActionThresholds = DEFAULT_ACTION_THRESHOLDS): RecommendedAction[] {
  return [
    {
      id: "small-vip-segment",
      triggered: inputs.vipShare !== null && inputs.vipShare < inputs.vipGroupShare,
      rule: `VIP customers are less than ${Number((inputs.vipGroupShare * 100).toFixed(2))}% of the customers not lost`,
      figures: { vipShare: inputs.vipShare, vipGroupShare: inputs.vipGroupShare },
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
