/**
 * Delivers webhooks the way Shopify does (SHOPIFY.md §5): POST of the raw JSON body with
 * `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app secret, raw bytes)) and the other
 * `X-Shopify-*` headers; a non-2xx answer, a timeout or a network error is retried 8 times over
 * 4 hours with exponential backoff (compressible through the clock). Faults on demand:
 * duplicate deliveries, extra delays and reordering.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { SimClock } from "./clock.ts";
import type { RandomSource } from "./random-source.ts";

export const WEBHOOK_API_VERSION = "2026-10";
/** Shopify retries a failed delivery 8 times over 4 hours (changelog, 10 Sep 2024). */
export const MAX_RETRIES = 8;
export const RETRY_WINDOW_MS = 4 * 3_600_000;
/** First backoff b with b·(2^8 − 1) = 4 h, so the 8th retry lands exactly 4 hours after the first attempt. */
export const FIRST_RETRY_DELAY_MS = RETRY_WINDOW_MS / (2 ** MAX_RETRIES - 1);
const RESPONSE_TIMEOUT_MS = 5_000;

/** Delay before retry number `retry` (1-based). */
export function retryDelayMs(retry: number): number {
  return FIRST_RETRY_DELAY_MS * 2 ** (retry - 1);
}

export interface WebhookFaults {
  /** Probability that a webhook is delivered twice (same webhook id and event id). */
  duplicateProbability?: number;
  /** Extra delay before the first attempt, in simulated ms: fixed or [min, max]. */
  delayMs?: number | [number, number];
  /** Each delivery gets a random extra delay in [0, reorderWindowMs), so close webhooks arrive out of order. */
  reorderWindowMs?: number;
}

export interface WebhookSubscription {
  topic: string;
  /** Absolute URL, or a path relative to the app URL. */
  uri: string;
  /** Sent as X-Shopify-Name. */
  name?: string;
}

export interface DeliveryAttempt {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  attempt: number;
  /** HTTP status, or 0 for a network error / timeout. */
  status: number;
  at: number;
  duplicate: boolean;
}

export interface WebhookMessage {
  topic: string;
  shop: string;
  body: string;
  webhookId: string;
  eventId: string;
  triggeredAt: number;
}

/** HMAC-SHA256 of the raw body, base64 — what X-Shopify-Hmac-Sha256 carries. */
export function signWebhookBody(body: string | Uint8Array, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

export class WebhookSender {
  readonly attempts: DeliveryAttempt[] = [];
  readonly abandoned: WebhookMessage[] = [];
  private inFlight = new Set<Promise<void>>();
  private scheduled = 0;

  constructor(
    private readonly options: {
      clock: SimClock;
      random: RandomSource;
      apiSecret: string;
      appUrl: string | null;
      subscriptions: WebhookSubscription[];
      faults: WebhookFaults;
      fetch?: typeof fetch;
    },
  ) {}

  setFaults(faults: WebhookFaults) {
    this.options.faults = faults;
  }

  private urlFor(topic: string): { url: string; name?: string } | null {
    const sub = this.options.subscriptions.find((s) => s.topic === topic) ?? this.options.subscriptions.find((s) => s.topic === "*");
    if (!sub) return null;
    if (/^https?:\/\//.test(sub.uri)) return { url: sub.uri, name: sub.name };
    if (!this.options.appUrl) return null;
    const uri = sub.uri.replace("{topic}", topic.replace(/[./]/g, "/"));
    return { url: new URL(uri, this.options.appUrl.endsWith("/") ? this.options.appUrl : `${this.options.appUrl}/`).toString(), name: sub.name };
  }

  /**
   * Queues one webhook for `shop`. Returns the message (with its ids) or null when no
   * subscription matches the topic.
   */
  send(shop: string, topic: string, body: string, faults: WebhookFaults = this.options.faults): WebhookMessage | null {
    const target = this.urlFor(topic);
    if (!target) return null;
    const message: WebhookMessage = {
      topic, shop, body,
      webhookId: randomUUID(),
      eventId: randomUUID(),
      triggeredAt: this.options.clock.now(),
    };
    const { random } = this.options;
    const baseDelay = Array.isArray(faults.delayMs)
      ? faults.delayMs[0] + random.next() * (faults.delayMs[1] - faults.delayMs[0])
      : faults.delayMs ?? 0;
    const copies = random.next() < (faults.duplicateProbability ?? 0) ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      const jitter = faults.reorderWindowMs ? random.next() * faults.reorderWindowMs : 0;
      this.schedule(baseDelay + jitter + copy, () => this.attempt(message, target, 1, copy > 0));
    }
    return message;
  }

  private schedule(delayMs: number, run: () => Promise<void>) {
    this.scheduled++;
    this.options.clock.schedule(delayMs, () => {
      this.scheduled--;
      const task = run();
      this.inFlight.add(task);
      void task.finally(() => this.inFlight.delete(task));
      return task;
    });
  }

  private async attempt(message: WebhookMessage, target: { url: string; name?: string }, attempt: number, duplicate: boolean): Promise<void> {
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "X-Shopify-Topic": message.topic,
      "X-Shopify-Shop-Domain": message.shop,
      "X-Shopify-API-Version": WEBHOOK_API_VERSION,
      "X-Shopify-Webhook-Id": message.webhookId,
      "X-Shopify-Event-Id": message.eventId,
      "X-Shopify-Triggered-At": new Date(message.triggeredAt).toISOString(),
      "X-Shopify-Hmac-Sha256": signWebhookBody(message.body, this.options.apiSecret),
    };
    if (target.name) headers["X-Shopify-Name"] = target.name;
    let status = 0;
    try {
      const response = await (this.options.fetch ?? fetch)(target.url, {
        method: "POST", headers, body: message.body, redirect: "manual", signal: AbortSignal.timeout(RESPONSE_TIMEOUT_MS),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      status = 0;
    }
    this.attempts.push({
      webhookId: message.webhookId, eventId: message.eventId, topic: message.topic, shop: message.shop,
      url: target.url, attempt, status, at: this.options.clock.now(), duplicate,
    });
    // 3xx counts as failure, like Shopify.
    if (status >= 200 && status < 300) return;
    if (attempt > MAX_RETRIES) {
      this.abandoned.push(message);
      return;
    }
    this.schedule(retryDelayMs(attempt), () => this.attempt(message, target, attempt + 1, duplicate));
  }

  /** Resolves once no delivery is in flight (scheduled future attempts are not awaited). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  pendingCount(): number {
    return this.scheduled + this.inFlight.size;
  }
}
