import { DEFAULT_LOCALE, isLocale, type Locale } from "./translate";

/**
 * Picks the language for a request: the admin user's language first, then the browser's.
 *
 * Shopify opens embedded apps with a `locale` search parameter holding the admin user's
 * language (`nl`, `da`, `en-US`, `pt-BR`…). When it is absent (a direct visit, a request
 * without it), `Accept-Language` decides, by its q-values; otherwise English.
 */
export function resolveLocale(url: URL, acceptLanguage: string | null): Locale {
  const fromAdmin = url.searchParams.get("locale");
  if (fromAdmin) {
    const match = matchLocale(fromAdmin);
    if (match) return match;
  }
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(",")
      .map((part, index) => {
        const [tag, ...params] = part.trim().split(";");
        const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
        const quality = q ? Number(q.slice(2)) : 1;
        return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
      })
      .filter((entry) => entry.tag && entry.quality > 0)
      .sort((a, b) => b.quality - a.quality || a.index - b.index);
    for (const { tag } of ranked) {
      const match = matchLocale(tag);
      if (match) return match;
    }
  }
  return DEFAULT_LOCALE;
}

/** `nl-BE` → `nl`; `NL` → `nl`; languages we don't have → undefined. */
function matchLocale(tag: string): Locale | undefined {
  const language = tag.toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : undefined;
}
