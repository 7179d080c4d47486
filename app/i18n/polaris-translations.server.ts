import polarisDa from "@shopify/polaris/locales/da.json";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisNl from "@shopify/polaris/locales/nl.json";
import type { Locale } from "./translate";

/**
 * Two of Polaris' screen-reader strings read wrongly in this app, so they are replaced:
 * - a badge's hidden tone word ("Geslaagd"/"Gennemført" after a green badge): our badges say what
 *   they mean in their own words ("Low risk", "+12 %"), and "Succeeded" after them is false;
 * - a sortable table's "sorteer {direction} op": Polaris fills in the English "descending", so
 *   the Dutch and Danish labels name the action without the untranslatable direction.
 */
function withAppOverrides<T extends { Polaris: { Badge: { TONE_LABELS: Record<string, string> }; DataTable: Record<string, string> } }>(
  translations: T,
  sortLabel: string | null,
): T {
  const polaris = translations.Polaris;
  return {
    ...translations,
    Polaris: {
      ...polaris,
      Badge: { ...polaris.Badge, TONE_LABELS: Object.fromEntries(Object.keys(polaris.Badge.TONE_LABELS).map((tone) => [tone, ""])) },
      DataTable: sortLabel === null ? polaris.DataTable : { ...polaris.DataTable, sortAccessibilityLabel: sortLabel },
    },
  };
}

const POLARIS_TRANSLATIONS = {
  en: withAppOverrides(polarisEn, null),
  nl: withAppOverrides(polarisNl, "sorteren"),
  da: withAppOverrides(polarisDa, "sortér"),
} as const;

/**
 * Polaris' own strings (pagination, close buttons, loading labels) for `locale`. Sent with the
 * layout's loader data so the browser only downloads the one language it shows.
 */
export function polarisTranslations(locale: Locale) {
  return POLARIS_TRANSLATIONS[locale];
}
