import da from "./da.json";
import en from "./en.json";
import nl from "./nl.json";

/**
 * The app's own translations: one flat JSON file per language, keys typed from en.json.
 *
 * Why not i18next or @shopify/react-i18n: the app needs lookup and `{name}` interpolation in
 * three bundled languages, identical on server and client, with the key set checked by the
 * compiler. That is ~50 lines here, against a library plus SSR wiring (remix-i18next) and a
 * runtime backend. Plurals are one placeholder form (below) over the platform's Intl.PluralRules:
 * English, Dutch and Danish have only "one" and "other" for whole numbers. Revisit for a language
 * with more plural forms, or lazy-loaded languages.
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

/** `{name}`, or for a count `{name|one form|other form}` with `#` where the number goes ("{days|# dag|# dagen}"). */
export const PLACEHOLDER = /\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g;

/**
 * Returns `t(key, values)` for one language. Placeholders are replaced by `values`, numbers
 * formatted for the language (1.234,5 in Dutch and Danish); a count's form follows the
 * language's plural rule ("1 dag", "2 dagen"). A missing key falls back to English, then to the
 * key itself, so a gap shows up on screen instead of a blank.
 */
export function createTranslator(locale: Locale): Translate {
  const messages = MESSAGES[locale];
  const numberFormat = new Intl.NumberFormat(locale);
  const pluralRules = new Intl.PluralRules(locale);
  return (key, values) => {
    const template = messages[key] || MESSAGES[DEFAULT_LOCALE][key] || key;
    if (!values) return template;
    return template.replace(PLACEHOLDER, (placeholder, name: string, one: string | undefined, other: string | undefined) => {
      const value = values[name];
      if (value === undefined) return placeholder;
      const text = typeof value === "number" ? numberFormat.format(value) : value;
      if (one === undefined || other === undefined) return text;
      return (typeof value === "number" && pluralRules.select(value) === "one" ? one : other).replace(/#/g, text);
    });
  };
}
