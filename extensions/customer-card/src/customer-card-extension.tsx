import type { Api } from "@shopify/ui-extensions/admin.customer-details.block.render";
import { useEffect, useState } from "preact/hooks";
import { CustomerCardView } from "./customer-card-view.tsx";
import { loadCustomerCard, type CardResult } from "./load-customer-card.ts";

/** Loads the card of the customer whose page is open and shows it. */
export function CustomerCardExtension({ api }: { api: Pick<Api, "data" | "i18n"> }) {
  const customerId = api.data.selected[0]?.id ?? null;
  // The admin API gives no locale string; each locale file names its own language, so this is
  // the language the admin picked for the card.
  const locale = api.i18n.translate("locale");
  const [result, setResult] = useState<CardResult | null>(null);
  useEffect(() => {
    if (customerId === null) return;
    let current = true;
    void loadCustomerCard(customerId, locale).then((loaded) => {
      if (current) setResult(loaded);
    });
    return () => {
      current = false;
    };
  }, [customerId, locale]);

  const heading = api.i18n.translate("name");
  if (customerId === null) return <CustomerCardView heading={heading} i18n={api.i18n} result={{ kind: "error", status: null }} />;
  if (result === null) {
    return (
      <s-admin-block heading={heading}>
        <s-spinner accessibilityLabel={api.i18n.translate("loading")} />
      </s-admin-block>
    );
  }
  return <CustomerCardView heading={heading} i18n={api.i18n} result={result} />;
}
