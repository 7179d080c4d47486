import { describe, expect, it } from "vitest";
import { createTranslator } from "~/i18n/translate";
import { activityReasonMessage, storedActivityReason } from "./activity-reason";

const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000);
const render = (locale: "en" | "nl" | "da", row: Parameters<typeof storedActivityReason>[0]) => {
  const reason = storedActivityReason(row);
  if (!reason) return null;
  const message = activityReasonMessage(reason);
  return createTranslator(locale)(message.key, message.values);
};

describe("storedActivityReason + activityReasonMessage", () => {
  it("renders the product's example sentence in each language from the stored row", () => {
    // PRODUCT.md F7: "usually orders every 32 days; last order 71 days ago": 3 repeat purchases
    // over 96 days (gaps of 32 on average), last one 71 days before the as-of date.
    const regular = { x: 3, firstOrderAt: day(10), lastOrderAt: day(106), daysSinceLastOrder: 71 };
    // 71 > 1.5 × 32: overdue.
    expect(render("en", regular)).toBe("Usually orders every 32 days; last order 71 days ago (overdue)");
    expect(render("nl", { ...regular, daysSinceLastOrder: 40 })).toBe("Bestelt meestal elke 32 dagen; laatste bestelling 40 dagen geleden");
    expect(render("da", regular)).toBe("Bestiller normalt hver 32. dag; seneste ordre for 71 dage siden (forsinket)");
  });

  it("handles one-time buyers (days since the first order) and thousands", () => {
    expect(render("en", { x: 0, firstOrderAt: day(0), lastOrderAt: day(0), daysSinceLastOrder: 1200 })).toBe("Ordered once, 1,200 days ago");
  });

  it("is on schedule up to 1.5 typical gaps and overdue beyond", () => {
    const at = (since: number) => storedActivityReason({ x: 2, firstOrderAt: day(0), lastOrderAt: day(20), daysSinceLastOrder: since })!.kind;
    expect(at(15)).toBe("on-schedule");
    expect(at(16)).toBe("overdue");
  });

  it("gives no reason for a row that is not a purchase history", () => {
    expect(storedActivityReason({ x: 1, firstOrderAt: day(10), lastOrderAt: day(10), daysSinceLastOrder: -5 })).toBeNull();
  });
});
