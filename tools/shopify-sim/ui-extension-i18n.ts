/**
 * Stand-in for the `shopify.i18n` object the admin gives a UI extension: `translate` over the
 * extension's locales/*.json (nested keys, `{{name}}` placeholders, plural forms chosen by
 * `count` with Intl.PluralRules, falling back to en.default.json) and Intl formatters in the
 * admin user's locale.
 * @see https://shopify.dev/docs/apps/build/customer-accounts/localization (same locale-file format for every UI extension surface)
 *
 * Browser-safe (no Node imports): the simulator's customer page bundles it for the browser and
 * the extension's tests use it as is. `missingKeys` records keys that had no translation, so a
 * test can fail on them instead of reading the key on screen.
 */

export type ExtensionTranslations = { readonly [key: string]: string | ExtensionTranslations };

export interface ExtensionI18n {
  translate(key: string, options?: Record<string, string | number>): string;
  formatNumber(value: number | bigint, options?: Intl.NumberFormatOptions & { inExtensionLocale?: boolean }): string;
  formatCurrency(value: number | bigint, options?: Intl.NumberFormatOptions & { inExtensionLocale?: boolean }): string;
  formatDate(date: Date, options?: Intl.DateTimeFormatOptions & { inExtensionLocale?: boolean }): string;
  readonly missingKeys: string[];
}

const PLURAL_FORMS = new Set(["zero", "one", "two", "few", "many", "other"]);

function lookUp(translations: ExtensionTranslations, key: string): string | ExtensionTranslations | undefined {
  let node: string | ExtensionTranslations | undefined = translations;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[part];
  }
  return node;
}

/** `translations` is the locale's file, `fallback` the extension's en.default.json. */
export function createExtensionI18n(locale: string, translations: ExtensionTranslations, fallback: ExtensionTranslations): ExtensionI18n {
  const missingKeys: string[] = [];
  const plural = new Intl.PluralRules(locale);
  // The formatters take only Intl's options; `inExtensionLocale` is Shopify's own switch.
  const intl = <T extends { inExtensionLocale?: boolean }>(options: T | undefined): Omit<T, "inExtensionLocale"> => {
    const { inExtensionLocale: _ignored, ...rest } = options ?? ({} as T);
    return rest;
  };

  return {
    missingKeys,
    translate(key, options = {}) {
      let found = lookUp(translations, key) ?? lookUp(fallback, key);
      if (found !== undefined && typeof found !== "string" && typeof options.count === "number") {
        const forms = Object.keys(found);
        if (forms.every((form) => PLURAL_FORMS.has(form))) found = found[plural.select(options.count)] ?? found.other;
      }
      if (typeof found !== "string") {
        missingKeys.push(key);
        return key;
      }
      return found.replace(/\{\{\s*(\w+)\s*\}\}/g, (placeholder, name: string) => (name in options ? String(options[name]) : placeholder));
    },
    formatNumber: (value, options) => new Intl.NumberFormat(locale, intl(options)).format(value),
    formatCurrency: (value, options) => new Intl.NumberFormat(locale, { style: "currency", ...intl(options) }).format(value),
    formatDate: (date, options) => new Intl.DateTimeFormat(locale, intl(options)).format(date),
  };
}
