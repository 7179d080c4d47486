import { z } from "zod";
import type { TranslationKey } from "~/i18n/translate";

/**
 * The Settings form: field names, defaults and validation, shared by the route (which parses
 * the submitted form) and the page (which shows the values and errors).
 *
 * Error messages are translation keys, not text: the server does not know which language the
 * admin user reads, the page does.
 */

export const REVENUE_BASES = ["current_total", "net_sales"] as const;
export type RevenueBasis = (typeof REVENUE_BASES)[number];

/** Settings as stored and used by the analytics (vipShare is a fraction, spend a decimal string). */
export interface ShopSettingsValues {
  tagPrefix: string;
  vipShare: number;
  lifecycleActiveFactor: number;
  lifecycleLostFactor: number;
  newCustomerDays: number;
  /** Exact decimal as a string ("1250.50"); money never passes through a float. */
  monthlyMarketingSpend: string;
  revenueBasis: RevenueBasis;
}

/** The defaults of prisma/schema.prisma's ShopSettings model, for shops that never saved. */
export const DEFAULT_SETTINGS: ShopSettingsValues = {
  tagPrefix: "ci-",
  vipShare: 0.1,
  lifecycleActiveFactor: 1.5,
  lifecycleLostFactor: 2,
  newCustomerDays: 30,
  monthlyMarketingSpend: "0.00",
  revenueBasis: "current_total",
};

export const SETTINGS_FIELDS = [
  "tagPrefix",
  "vipSharePercent",
  "lifecycleActiveFactor",
  "lifecycleLostFactor",
  "newCustomerDays",
  "monthlyMarketingSpend",
  "revenueBasis",
] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

/** What the form fields hold: text as typed. The VIP share is shown as a percentage. */
export type SettingsFormValues = Record<SettingsField, string>;
export type SettingsFieldErrors = Partial<Record<SettingsField, TranslationKey>>;

const ERROR = {
  required: "settings.error.required",
  notANumber: "settings.error.notANumber",
  tagPrefixLength: "settings.error.tagPrefixLength",
  tagPrefixFormat: "settings.error.tagPrefixFormat",
  vipShareRange: "settings.error.vipShareRange",
  activeFactorMin: "settings.error.activeFactorMin",
  factorMax: "settings.error.factorMax",
  lostFactorAboveActive: "settings.error.lostFactorAboveActive",
  newCustomerDaysRange: "settings.error.newCustomerDaysRange",
  spendMin: "settings.error.spendMin",
  spendDecimals: "settings.error.spendDecimals",
  spendMax: "settings.error.spendMax",
  revenueBasis: "settings.error.revenueBasis",
} as const satisfies Record<string, TranslationKey>;

/**
 * A decimal number as typed: digits with one optional "." or "," (Dutch and Danish write
 * 1,5), optional leading minus so "-3" gets the range message, not "not a number".
 */
const DECIMAL = /^-?\d+([.,]\d+)?$/;

/**
 * Upper bounds, so every stored value is a finite number the analytics can use and the
 * database column can hold exactly: a 400-digit factor would be Infinity, and a 40-digit spend
 * overflows PostgreSQL's decimal and loses digits in SQLite's. Lifecycle factors are multiples
 * of a customer's usual time between orders; past 100 every customer is "active".
 */
export const MAX_LIFECYCLE_FACTOR = 100;
/** Monthly marketing spend below 10^12 (13 digits and 2 decimals: exact in a double and in both databases). */
export const MAX_MONTHLY_SPEND = 1e12;
/** No field's text is longer than this; longer input is refused before it is parsed. */
const MAX_FIELD_LENGTH = 40;

const requiredText = z
  .string({ error: ERROR.required })
  .transform((value) => value.trim())
  .refine((value) => value.length > 0, { error: ERROR.required });

const decimalText = requiredText
  .refine((value) => value.length <= MAX_FIELD_LENGTH, { error: ERROR.notANumber, abort: true })
  .refine((value) => value === "" || DECIMAL.test(value), { error: ERROR.notANumber, abort: true })
  .transform((value) => value.replace(",", "."));

const decimalNumber = decimalText.transform(Number);

export const settingsFormSchema = z
  .object({
    tagPrefix: requiredText
      .refine((value) => value.length <= 20, { error: ERROR.tagPrefixLength, abort: true })
      .refine((value) => /^[a-z0-9\-_:]+$/.test(value), { error: ERROR.tagPrefixFormat }),
    vipSharePercent: decimalNumber.refine((percent) => percent > 0 && percent <= 50, {
      error: ERROR.vipShareRange,
    }),
    lifecycleActiveFactor: decimalNumber
      .refine((factor) => factor >= 1, { error: ERROR.activeFactorMin, abort: true })
      .refine((factor) => factor <= MAX_LIFECYCLE_FACTOR, { error: ERROR.factorMax }),
    lifecycleLostFactor: decimalNumber.refine((factor) => factor <= MAX_LIFECYCLE_FACTOR, { error: ERROR.factorMax, abort: true }),
    newCustomerDays: requiredText
      .refine((value) => value.length <= MAX_FIELD_LENGTH && /^-?\d+$/.test(value), { error: ERROR.newCustomerDaysRange, abort: true })
      .transform(Number)
      .refine((days) => days >= 1 && days <= 365, { error: ERROR.newCustomerDaysRange }),
    monthlyMarketingSpend: decimalText
      .refine((value) => !value.startsWith("-"), { error: ERROR.spendMin, abort: true })
      .refine((value) => !/\.\d{3,}$/.test(value), { error: ERROR.spendDecimals, abort: true })
      .refine((value) => Number(value) < MAX_MONTHLY_SPEND, { error: ERROR.spendMax }),
    revenueBasis: z.enum(REVENUE_BASES, { error: ERROR.revenueBasis }),
  });

export type SettingsParseResult =
  | { ok: true; settings: ShopSettingsValues }
  | { ok: false; errors: SettingsFieldErrors; values: SettingsFormValues };

/**
 * Validates a submitted Settings form. Either every field is valid and the stored shape is
 * returned, or nothing is: the field errors (translation keys) plus the text as typed, so the
 * form can show both.
 */
export function parseSettingsForm(input: Record<string, unknown>): SettingsParseResult {
  const values = Object.fromEntries(
    SETTINGS_FIELDS.map((field) => [field, typeof input[field] === "string" ? (input[field] as string) : ""]),
  ) as SettingsFormValues;
  const result = settingsFormSchema.safeParse(values);
  const errors: SettingsFieldErrors = {};
  for (const issue of result.error?.issues ?? []) errors[issue.path[0] as SettingsField] ??= issue.message as TranslationKey;
  // The lost factor must be above the active one: checked whenever both are valid on their own, so
  // this error shows with the form's others (an object's refinement runs only once every field
  // is valid, which left it for a second save).
  const active = settingsFormSchema.shape.lifecycleActiveFactor.safeParse(values.lifecycleActiveFactor);
  const lost = settingsFormSchema.shape.lifecycleLostFactor.safeParse(values.lifecycleLostFactor);
  if (active.success && lost.success && !(lost.data > active.data)) errors.lifecycleLostFactor ??= ERROR.lostFactorAboveActive;
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors, values };
  const form = result.data;
  return {
    ok: true,
    settings: {
      tagPrefix: form.tagPrefix,
      vipShare: form.vipSharePercent / 100,
      lifecycleActiveFactor: form.lifecycleActiveFactor,
      lifecycleLostFactor: form.lifecycleLostFactor,
      newCustomerDays: form.newCustomerDays,
      monthlyMarketingSpend: canonicalDecimal(form.monthlyMarketingSpend),
      revenueBasis: form.revenueBasis,
    },
  };
}

/** Stored settings as the form shows them (VIP share as a percentage). */
export function settingsToFormValues(settings: ShopSettingsValues): SettingsFormValues {
  return {
    tagPrefix: settings.tagPrefix,
    // Rounded to hide binary noise: 0.07 * 100 is 7.000000000000001.
    vipSharePercent: String(Number((settings.vipShare * 100).toFixed(6))),
    lifecycleActiveFactor: String(settings.lifecycleActiveFactor),
    lifecycleLostFactor: String(settings.lifecycleLostFactor),
    newCustomerDays: String(settings.newCustomerDays),
    monthlyMarketingSpend: settings.monthlyMarketingSpend,
    revenueBasis: settings.revenueBasis,
  };
}

/** The form's decimal fields. */
const DECIMAL_FIELDS = ["vipSharePercent", "lifecycleActiveFactor", "lifecycleLostFactor", "monthlyMarketingSpend"] as const;

/**
 * The form's values as the admin's language writes decimals ("1,5" in Dutch and Danish, where
 * "1.5" reads as a typo); the form reads either separator back.
 */
export function formValuesInLocale(values: SettingsFormValues, locale: string): SettingsFormValues {
  const separator = new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === "decimal")?.value ?? ".";
  if (separator === ".") return values;
  const local = { ...values };
  for (const field of DECIMAL_FIELDS) local[field] = values[field].replace(".", separator);
  return local;
}

/** "0012.5" → "12.5": leading zeros dropped, the typed decimals kept (never via a float). */
function canonicalDecimal(value: string): string {
  const [whole, fraction] = value.split(".");
  const trimmedWhole = whole.replace(/^0+(?=\d)/, "");
  return fraction === undefined ? trimmedWhole : `${trimmedWhole}.${fraction}`;
}
