import type { CustomerCard, CustomerCardState } from "../../../app/customers/customer-card-contract.ts";

/** What the card shows: the app's answer, or that it could not get one. */
export type CardResult = { kind: "card"; card: CustomerCard } | { kind: "error"; status: number | null };

const STATES: readonly CustomerCardState[] = ["profile", "not-enough-data", "not-imported", "no-orders", "unknown-customer"];

function isCustomerCard(body: unknown): body is CustomerCard {
  return typeof body === "object" && body !== null && STATES.includes((body as { state?: CustomerCardState }).state as CustomerCardState);
}

/**
 * Asks the app for the customer's card. The relative URL resolves against the app's URL and the
 * admin adds the session token (Authorization: Bearer …) to the request itself. `locale` is the
 * language the admin shows this extension in, so the app names segments in the same language.
 */
export async function loadCustomerCard(customerId: string, locale: string): Promise<CardResult> {
  try {
    const response = await fetch(`/api/customer-card?customerId=${encodeURIComponent(customerId)}&locale=${encodeURIComponent(locale)}`);
    // 404 carries a card too: the "unknown customer" state.
    if (response.ok || response.status === 404) {
      const body: unknown = await response.json();
      if (isCustomerCard(body)) return { kind: "card", card: body };
    }
    return { kind: "error", status: response.status };
  } catch {
    return { kind: "error", status: null };
  }
}
