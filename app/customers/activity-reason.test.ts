import { describe, expect, it } from "vitest";
import { lifecycleReason } from "~/analytics/lifecycle/lifecycle-reason";
import { DEFAULT_LIFECYCLE_SETTINGS, type LifecycleStage } from "~/analytics/lifecycle/lifecycle-stage";
import { createTranslator } from "~/i18n/translate";
import { lifecycleReasonMessage } from "./activity-reason";

const render = (locale: "en" | "nl" | "da", input: { stage: LifecycleStage; repeatPurchases: number; daysSinceFirstOrder: number; daysSinceLastOrder: number; usualGapDays: number }) => {
  const message = lifecycleReasonMessage(lifecycleReason(input, DEFAULT_LIFECYCLE_SETTINGS));
  return createTranslator(locale)(message.key, message.values);
};

describe("lifecycleReasonMessage", () => {
  it("renders the product's example sentence in each language, 'later than usual' only past the usual gap", () => {
    // PRODUCT.md F7: "usually orders every 32 days; last order 71 days ago".
    const lost = { stage: "lost" as const, repeatPurchases: 3, daysSinceFirstOrder: 167, daysSinceLastOrder: 71, usualGapDays: 32 };
    expect(render("en", lost)).toBe("Usually orders every 32 days; last order 71 days ago, 39 days later than usual");
    expect(render("nl", lost)).toBe("Bestelt meestal elke 32 dagen; laatste bestelling 71 dagen geleden, 39 dagen later dan gewoonlijk");
    expect(render("da", lost)).toBe("Bestiller normalt hver 32. dag; seneste ordre for 71 dage siden, 39 dage senere end normalt");
    const onTime = { ...lost, stage: "active" as const, daysSinceLastOrder: 30 };
    expect(render("en", onTime)).toBe("Usually orders every 32 days; last order 30 days ago");
  });

  it("explains one-time buyers by the shop's usual gap and new customers by their first order, with thousands", () => {
    expect(render("en", { stage: "lost", repeatPurchases: 0, daysSinceFirstOrder: 1200, daysSinceLastOrder: 1200, usualGapDays: 61 })).toBe(
      "Ordered once, 1,200 days ago; customers of this shop usually reorder within 61 days",
    );
    expect(render("nl", { stage: "new", repeatPurchases: 0, daysSinceFirstOrder: 4, daysSinceLastOrder: 4, usualGapDays: 61 })).toBe("Nieuwe klant: eerste bestelling 4 dagen geleden");
  });

  it("says an order of the as-of day was placed today, not 0 days ago", () => {
    const today = { stage: "active" as const, repeatPurchases: 4, daysSinceFirstOrder: 90, daysSinceLastOrder: 0, usualGapDays: 17 };
    expect(render("en", today)).toBe("Usually orders every 17 days; last order today");
    expect(render("nl", today)).toBe("Bestelt meestal elke 17 dagen; laatste bestelling vandaag");
    expect(render("da", today)).toBe("Bestiller normalt hver 17. dag; seneste ordre i dag");
    const firstToday = { stage: "new" as const, repeatPurchases: 0, daysSinceFirstOrder: 0, daysSinceLastOrder: 0, usualGapDays: 61 };
    expect(["en", "nl", "da"].map((locale) => render(locale as "en", firstToday))).toEqual(["New customer: first order today", "Nieuwe klant: eerste bestelling vandaag", "Ny kunde: første ordre i dag"]);
  });
});
