import { useEffect, useRef, useState, type ReactNode } from "react";
import { BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n/i18n-context";

/** The same figures as the chart, as rows: what a screen reader (or a curious merchant) reads. */
export interface ChartTable {
  headings: string[];
  rows: (string | number)[][];
  /** Column types for alignment: "text" left, "numeric" right. Defaults to text then numeric. */
  columnContentTypes?: ("text" | "numeric")[];
}

/**
 * Every chart in the app sits in one of these (issue "dashboard and insight pages", item 7):
 * a title, its definition in one sentence, the chart itself, and the same data as a table
 * behind a "Show as table" toggle, so the figures are reachable without seeing the chart.
 * When there is nothing honest to draw, `empty` says why instead of an empty axis.
 */
export function ChartCard({
  title,
  definition,
  table,
  empty,
  actions,
  children,
}: {
  title: string;
  definition: string;
  table: ChartTable;
  /** Set when the chart cannot be drawn: the sentence saying why ("not enough history for …"). */
  empty?: string | null;
  /** Controls in the card's header (a period or time-frame choice). */
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [showTable, setShowTable] = useState(false);
  const picture = useRef<HTMLDivElement>(null);
  // The chart is hidden from screen readers (the table says the same), so nothing in it may
  // take keyboard focus either (WCAG 4.1.2; axe "aria-hidden-focus"): polaris-viz makes its
  // legend and bars focusable, and redraws them, so this holds for every redraw. Pointer
  // tooltips stay.
  useEffect(() => {
    const root = picture.current;
    if (!root) return;
    const unfocus = () => {
      for (const el of root.querySelectorAll<HTMLElement>("a[href], button, input, select, textarea, [tabindex]")) {
        if (el.getAttribute("tabindex") !== "-1") el.setAttribute("tabindex", "-1");
      }
    };
    unfocus();
    const observer = new MutationObserver(unfocus);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["tabindex"] });
    return () => observer.disconnect();
  }, [empty]);
  const types = table.columnContentTypes ?? table.headings.map((_, i) => (i === 0 ? "text" : "numeric"));
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="start" gap="200" wrap>
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {title}
            </Text>
            <Text as="p" tone="subdued">
              {definition}
            </Text>
          </BlockStack>
          {actions}
        </InlineStack>
        {empty ? (
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        ) : (
          <>
            {/* The chart is a picture of the table below; screen readers get the table. */}
            <div aria-hidden="true" ref={picture}>
              {children}
            </div>
            <div>
              <Button variant="plain" onClick={() => setShowTable((shown) => !shown)} ariaExpanded={showTable}>
                {showTable ? t("chart.hideTable") : t("chart.showTable")}
              </Button>
            </div>
            {showTable ? (
              <DataTable columnContentTypes={types} headings={table.headings} rows={table.rows} />
            ) : (
              <Text as="span" visuallyHidden>
                <table>
                  <caption>{title}</caption>
                  <thead>
                    <tr>
                      {table.headings.map((heading) => (
                        <th key={heading} scope="col">
                          {heading}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {table.rows.map((row, r) => (
                      <tr key={r}>
                        {row.map((cell, c) => (
                          <td key={c}>{cell}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Text>
            )}
          </>
        )}
      </BlockStack>
    </Card>
  );
}
