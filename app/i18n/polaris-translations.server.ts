import polarisDa from "@shopify/polaris/locales/da.json";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisNl from "@shopify/polaris/locales/nl.json";
import type { Locale } from "./translate";

const POLARIS_TRANSLATIONS = { en: polarisEn, nl: polarisNl, da: polarisDa } as const;

/**
 * Polaris' own strings (pagination, close buttons, loading labels) for `locale`. Sent with the
 * layout's loader data so the browser only downloads the one language it shows.
 */
export function polarisTranslations(locale: Locale) {
  return POLARIS_TRANSLATIONS[locale];
}
