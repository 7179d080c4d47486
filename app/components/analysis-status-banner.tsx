import { useRevalidator } from "@remix-run/react";
import { Banner, Layout } from "@shopify/polaris";
import { useEffect } from "react";
import { useTranslation } from "~/i18n/i18n-context";
import type { AnalysisStatus } from "~/snapshots/read-analysis.server";

/** How often a page looks again while new figures are on their way. */
const ANALYSIS_POLL_MS = 3_000;

/**
 * What every page that shows analysed figures says about them (issue #9 item 1, #16 item 3):
 * "being recalculated; the figures below are from <date>" while a recompute is on its way, and
 * "the last update failed, retrying" after a failed one. Meanwhile the page reloads its data
 * every few seconds, so the new figures appear by themselves; after a failure it stops (the
 * banner says so) until the merchant opens a page again. It renders a Layout.Section (or nothing):
 * place it at the top of the page's <Layout>. The status comes from the page's loader
 * (analysisStatusOf in snapshots/read-analysis.server.ts).
 */
export function AnalysisStatusBanner({
  status,
  alsoPollWhile = false,
  quietWhileRecalculating = false,
}: {
  status: AnalysisStatus;
  /** Look again while this holds too (the home page: an import running, its first analysis on its way). */
  alsoPollWhile?: boolean;
  /** The page says "being recalculated" in its own words (Settings' save message): only the failure banner. */
  quietWhileRecalculating?: boolean;
}) {
  const { t, locale } = useTranslation();
  const revalidator = useRevalidator();
  const failed = status.lastFailure !== null;
  const waiting = (status.recalculating && !failed) || alsoPollWhile;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, ANALYSIS_POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, revalidator]);

  if (!failed && (!status.recalculating || quietWhileRecalculating)) return null;
  const date = status.computedAt ? new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: status.timeZone }).format(new Date(status.computedAt)) : null;
  const text = failed
    ? { kind: "failed", tone: "warning" as const, title: t("dashboard.analysis.failedTitle"), body: date ? t("dashboard.analysis.failed", { date }) : t("dashboard.analysis.failedFirst") }
    : { kind: "recalculating", tone: "info" as const, title: t("dashboard.analysis.recalculatingTitle"), body: date ? t("dashboard.analysis.recalculating", { date }) : t("dashboard.analysis.recalculatingFirst") };
  return (
    <Layout.Section>
      <div data-analysis-status={text.kind}>
        <Banner tone={text.tone} title={text.title}>
          <p>{text.body}</p>
        </Banner>
      </div>
    </Layout.Section>
  );
}
