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

  const date = status.computedAt ? new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(status.computedAt)) : null;
  if (failed) {
    return (
      <Layout.Section>
        <div data-analysis-status="failed">
          <Banner tone="warning" title={t("dashboard.analysis.failedTitle")}>
            <p>{date ? t("dashboard.analysis.failed", { date }) : t("dashboard.analysis.failedFirst")}</p>
          </Banner>
        </div>
      </Layout.Section>
    );
  }
  if (!status.recalculating || quietWhileRecalculating) return null;
  return (
    <Layout.Section>
      <div data-analysis-status="recalculating">
        <Banner tone="info" title={t("dashboard.analysis.recalculatingTitle")}>
          <p>{date ? t("dashboard.analysis.recalculating", { date }) : t("dashboard.analysis.recalculatingFirst")}</p>
        </Banner>
      </div>
    </Layout.Section>
  );
}
