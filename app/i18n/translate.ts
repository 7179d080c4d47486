import da from "./da.json";
import en from "./en.json";
import nl from "./nl.json";

/**
 * The app's own translations: one flat JSON file per language, keys typed from en.json.
 *
 * Why not i18next or @shopify/react-i18n: the app needs lookup and `{name}` interpolation in
 * three bundled languages, identical on server and client, with the key set checked by the
 * compiler. That is ~40 lines here, against a library plus SSR wiring (remix-i18next) and a
 * runtime backend. Revisit when the app needs plural rules or lazy-loaded languages.
 */
export const SUPPORTED_LOCALES = ["en", "nl", "da"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

export type TranslationKey = keyof typeof en;
export type Messages = Record<TranslationKey, string>;

/** Every language's messages; the parity test checks they all have en.json's keys. */
export const MESSAGES: Record<Locale, Messages> = { en, nl, da };

export type TranslationValues = Record<string, string | number>;
export type Translate = (key: TranslationKey, values?: TranslationValues) => string;

export function isLocale(value: string): value is Locale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/**
 * Returns `t(key, values)` for one language. `{name}` placeholders are replaced by `values`,
 * numbers formatted for the language (1.234,5 in Dutch and Danish). A missing key falls back
 * to English, then to the key itself, so a gap shows up on screen instead of a blank.
 */
export function createTranslator(locale: Locale): Translate {
  const messages = MESSAGES[locale];
  const numberFormat = new Intl.NumberFormat(locale);
  return (key, values) => {
    const template = messages[key] || MESSAGES[DEFAULT_LOCALE][key] || key;
    if (!values) return template;
    return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const value = values[name];
      if (value === undefined) return placeholder;
      return typeof value === "number" ? numberFormat.format(value) : value;
    });
  };
}
