import { describe, expect, it } from "vitest";
import { createTranslator } from "~/i18n/translate";
import { activityReasonMessage } from "./activity-reason";

const render = (locale: "en" | "nl" | "da", reason: string) => {
  const message = activityReasonMessage(reason);
  return message ? createTranslator(locale)(message.key, message.values) : null;
};

describe("activityReasonMessage(reason)", () => {
  it("renders the product's example sentence in each language", () => {
    // PRODUCT.md F7: "usually orders every 32 days; last order 71 days ago".
    expect(render("en", "usually orders every 32 days; last order 71 days ago")).toBe("Usually orders every 32 days; last order 71 days ago");
    expect(render("nl", "usually orders every 32 days; last order 71 days ago")).toBe("Bestelt meestal elke 32 dagen; laatste bestelling 71 dagen geleden");
    expect(render("da", "usually orders every 32 days; last order 71 days ago (overdue)")).toBe(
      "Bestiller normalt hver 32. dag; seneste ordre for 71 dage siden (forsinket)",
    );
  });

  it("handles one-time buyers, singular days and thousands", () => {
    expect(render("en", "ordered once, 1200 days ago")).toBe("Ordered once, 1,200 days ago");
    expect(activityReasonMessage("usually orders every 1 day; last order 3 days ago")).toEqual({
      key: "customers.reason.regular",
      values: { gap: 1, days: 3 },
    });
  });

  it("leaves an unknown sentence to be shown as stored", () => {
    expect(activityReasonMessage("something new from a later model")).toBeNull();
  });
});
