import type { I18n } from "@shopify/ui-extensions/admin";
import type { CardLifecycleReason, CardReadinessReason, CustomerCard } from "../../../app/customers/customer-card-contract.ts";
import type { CardResult } from "./load-customer-card.ts";

type Tone = "info" | "success" | "warning" | "critical";

const LIFECYCLE_TONE: Record<NonNullable<CustomerCard["lifecycleStage"]>, Tone> = {
  new: "info",
  active: "success",
  "slipping-away": "warning",
  lost: "critical",
};
const CHURN_RISK_TONE: Record<NonNullable<CustomerCard["churnRisk"]>, Tone> = { low: "success", medium: "warning", high: "critical" };

/** Shop-local days travel as ISO dates; formatting them in UTC keeps the day the app computed. */
const formatDay = (i18n: I18n, iso: string) => i18n.formatDate(new Date(`${iso}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" });

function formatMoney(i18n: I18n, amount: number, currencyCode: string | null) {
  return currencyCode
    ? i18n.formatCurrency(amount, { currency: currencyCode, maximumFractionDigits: 0 })
    : i18n.formatNumber(amount, { maximumFractionDigits: 0 });
}

/** "Updated 12 s ago" (freshness: the per-order refresh rewrites a profile seconds after an order). */
export function updatedText(i18n: I18n, iso: string, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (seconds < 60) return i18n.translate("updated.seconds", { count: i18n.formatNumber(seconds) });
  if (seconds < 3600) return i18n.translate("updated.minutes", { count: i18n.formatNumber(Math.floor(seconds / 60)) });
  if (seconds < 86_400) return i18n.translate("updated.hours", { count: i18n.formatNumber(Math.floor(seconds / 3600)) });
  return i18n.translate("updated.date", { date: i18n.formatDate(new Date(iso), { dateStyle: "medium" }) });
}

/** The same sentences as the app's Customers page (app/customers/activity-reason.ts), "today" for an order of the as-of day. */
function reasonText(i18n: I18n, reason: CardLifecycleReason): string {
  // A sentence holds up to three counts, and the admin's plural forms follow one `count`: each
  // count is its own phrase ("1 day", "every 20 days"), the sentence takes the phrases.
  const days = (count: number) => i18n.translate("reason.days", { count });
  if (reason.kind === "new-customer") {
    return reason.daysSinceFirstOrder === 0 ? i18n.translate("reason.newToday") : i18n.translate("reason.new", { days: days(reason.daysSinceFirstOrder) });
  }
  if (reason.rhythmOf === "shop") return i18n.translate("reason.oneTime", { days: days(reason.daysSinceLastOrder), gap: days(reason.usualGapDays) });
  const every = i18n.translate("reason.every", { count: reason.usualGapDays });
  if (reason.daysPastRhythm > 0) {
    return i18n.translate("reason.pastRhythm", { every, days: days(reason.daysSinceLastOrder), past: days(reason.daysPastRhythm) });
  }
  if (reason.daysSinceLastOrder === 0) return i18n.translate("reason.regularToday", { every });
  return i18n.translate("reason.regular", { every, days: days(reason.daysSinceLastOrder) });
}

function readinessText(i18n: I18n, reason: CardReadinessReason): string {
  return reason.kind === "too-few-repeat-customers"
    ? i18n.translate("state.notEnoughData.tooFewRepeat", { count: reason.repeatCustomers, required: reason.required })
    : i18n.translate("state.notEnoughData.historyTooShort", { days: i18n.translate("reason.days", { count: reason.historyDays }), required: reason.required });
}

/** One labelled figure of the card. */
function Fact({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <s-stack direction="block" gap="small-500">
      <s-text color="subdued">{label}</s-text>
      <s-text type="strong">{children}</s-text>
    </s-stack>
  );
}

function Notice({ i18n, heading, body, tone = "info" }: { i18n: I18n; heading: string; body: string; tone?: "info" | "warning" }) {
  return (
    <s-banner tone={tone} heading={i18n.translate(heading)}>
      <s-paragraph>{body}</s-paragraph>
    </s-banner>
  );
}

/** Lifecycle stage, RFM group and customer group: known whenever the customer is in the analysis. */
function DescriptiveFacts({ i18n, card }: { i18n: I18n; card: CustomerCard }) {
  return (
    <>
      {card.rfm && (
        <Fact label={i18n.translate("fact.rfm")}>
          {i18n.translate(`rfm.${card.rfm.group}`)} ·{" "}
          {i18n.translate("fact.rfmScores", { recency: card.rfm.recency, frequency: card.rfm.frequency, monetary: card.rfm.monetary })}
        </Fact>
      )}
      {card.customerGroup && <Fact label={i18n.translate("fact.group")}>{i18n.translate(`group.${card.customerGroup}`)}</Fact>}
    </>
  );
}

function Badges({ i18n, card }: { i18n: I18n; card: CustomerCard }) {
  return (
    <s-stack direction="inline" gap="small-200">
      {card.lifecycleStage && (
        <s-badge tone={LIFECYCLE_TONE[card.lifecycleStage]}>
          {i18n.translate("fact.lifecycle")}: {i18n.translate(`lifecycle.${card.lifecycleStage}`)}
        </s-badge>
      )}
      {card.churnRisk && (
        <s-badge tone={CHURN_RISK_TONE[card.churnRisk]}>
          {i18n.translate("fact.churnRisk")}: {i18n.translate(`churnRisk.${card.churnRisk}`)}
        </s-badge>
      )}
    </s-stack>
  );
}

function ProfileFacts({ i18n, card }: { i18n: I18n; card: CustomerCard }) {
  const clv = card.predictedClv;
  return (
    <s-grid gridTemplateColumns="1fr 1fr" gap="base">
      {card.pAlive !== null && (
        <Fact label={i18n.translate("fact.pAlive")}>{i18n.formatNumber(card.pAlive, { style: "percent", maximumFractionDigits: 0 })}</Fact>
      )}
      {clv && (
        <Fact label={i18n.translate("fact.clv")}>
          {formatMoney(i18n, clv.value, card.currencyCode)}
          {clv.low !== null && clv.high !== null && (
            <>
              {" "}({i18n.translate("fact.clvInterval", { low: formatMoney(i18n, clv.low, card.currencyCode), high: formatMoney(i18n, clv.high, card.currencyCode) })})
            </>
          )}
        </Fact>
      )}
      <Fact label={i18n.translate("fact.nextOrder")}>
        {card.nextOrderAt ? formatDay(i18n, card.nextOrderAt) : i18n.translate("fact.notExpected")}
      </Fact>
      <DescriptiveFacts i18n={i18n} card={card} />
    </s-grid>
  );
}

/** The segments the customer is in, each linking to its page in the app; says so when none. */
function Segments({ i18n, card }: { i18n: I18n; card: CustomerCard }) {
  return (
    <s-stack direction="block" gap="small-300">
      <s-text color="subdued">{i18n.translate("segments.heading")}</s-text>
      {card.segments.length === 0 ? (
        <s-text>{i18n.translate("segments.none")}</s-text>
      ) : (
        <s-stack direction="inline" gap="small-200">
          {card.segments.map((segment) => (
            <s-link key={segment.id} href={`app:app/segments/${segment.id}`}>
              {segment.controlGroup ? i18n.translate("segments.controlGroup", { name: segment.name }) : segment.name}
            </s-link>
          ))}
        </s-stack>
      )}
    </s-stack>
  );
}

/**
 * The card for one customer in every state the app can answer with. Pure: what it shows
 * depends only on its props (the admin's i18n and the app's answer).
 */
export function CustomerCardView({ heading, i18n, result }: { heading: string; i18n: I18n; result: CardResult }) {
  if (result.kind === "error") {
    return (
      <s-admin-block heading={heading}>
        <Notice i18n={i18n} tone="warning" heading="state.error.heading" body={i18n.translate("state.error.body")} />
      </s-admin-block>
    );
  }
  const { card } = result;
  const summary = card.lifecycleStage ? i18n.translate(`lifecycle.${card.lifecycleStage}`) : undefined;
  const appLink = `app:app/customers?${new URLSearchParams({ customer: card.customerId })}`;
  return (
    <s-admin-block heading={heading} collapsedSummary={summary}>
      <s-stack direction="block" gap="base">
        {card.state === "profile" && (
          <>
            <Badges i18n={i18n} card={card} />
            {card.reason && <s-paragraph>{reasonText(i18n, card.reason)}</s-paragraph>}
            {card.lateButLikelyActive && <s-text color="subdued">{i18n.translate("stageVsChance")}</s-text>}
            <ProfileFacts i18n={i18n} card={card} />
          </>
        )}
        {card.state === "not-enough-data" && (
          <>
            <Badges i18n={i18n} card={card} />
            {card.reason && <s-paragraph>{reasonText(i18n, card.reason)}</s-paragraph>}
            <s-grid gridTemplateColumns="1fr 1fr" gap="base">
              <DescriptiveFacts i18n={i18n} card={card} />
            </s-grid>
            <s-banner tone="info" heading={i18n.translate("state.notEnoughData.heading")}>
              <s-paragraph>{i18n.translate("state.notEnoughData.body")}</s-paragraph>
              {card.notEnoughData.map((reason) => (
                <s-paragraph key={reason.kind}>{readinessText(i18n, reason)}</s-paragraph>
              ))}
            </s-banner>
          </>
        )}
        {card.state === "not-imported" && <Notice i18n={i18n} heading="state.notImported.heading" body={i18n.translate("state.notImported.body")} />}
        {card.state === "no-orders" && (
          <Notice i18n={i18n} heading="state.noOrders.heading" body={i18n.translate("state.noOrders.body", { date: card.analysedAt ? formatDay(i18n, card.analysedAt) : "—" })} />
        )}
        {card.state === "unknown-customer" && <Notice i18n={i18n} heading="state.unknown.heading" body={i18n.translate("state.unknown.body")} />}
        {(card.state === "profile" || card.state === "not-enough-data" || card.state === "no-orders") && <Segments i18n={i18n} card={card} />}
        {card.analysedAt && (card.state === "profile" || card.state === "not-enough-data") && (
          <s-text color="subdued">{i18n.translate("analysedAt", { date: formatDay(i18n, card.analysedAt) })}</s-text>
        )}
        {card.profileUpdatedAt && <s-text color="subdued">{updatedText(i18n, card.profileUpdatedAt, Date.now())}</s-text>}
        {card.state !== "unknown-customer" && card.state !== "not-imported" && <s-link href={appLink}>{i18n.translate("openInApp")}</s-link>}
      </s-stack>
    </s-admin-block>
  );
}
