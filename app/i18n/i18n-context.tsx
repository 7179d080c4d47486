import { createContext, useContext, useMemo, type ReactNode } from "react";
import { createTranslator, DEFAULT_LOCALE, type Locale, type Translate } from "./translate";

interface I18nValue {
  locale: Locale;
  t: Translate;
}

const I18nContext = createContext<I18nValue>({ locale: DEFAULT_LOCALE, t: createTranslator(DEFAULT_LOCALE) });

/** Makes `useTranslation()` answer in `locale` for everything below it. */
export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo(() => ({ locale, t: createTranslator(locale) }), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language and its `t()`; English outside an `I18nProvider` (root error page). */
export function useTranslation(): I18nValue {
  return useContext(I18nContext);
}
