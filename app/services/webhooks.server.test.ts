import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../tests/db/test-database";

describe.each(TEST_DIALECTS)("recordWebhook on %s", (dialect) => {
  let db: TestDatabase;
  let webhooks: typeof import("./webhooks.server");
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    process.env.DATABASE_URL = db.config.url;
    vi.resetModules();
    globalThis.prismaGlobal = undefined;
    webhooks = await import("./webhooks.server");
  }, 60_000);
  afterAll(async () => {
    await webhooks?.closeWebhookIntake();
    const { prisma } = await import("~/db.server");
    await prisma.$disconnect();
    globalThis.prismaGlobal = undefined;
    process.env.DATABASE_URL = previousUrl;
    await db?.drop();
  });

  const delivery = (webhookId: string, shop = "intake-a.myshopify.com") => ({
    shop,
    topic: "ORDERS_CREATE",
    webhookId,
    eventId: `event-${webhookId}`,
    apiVersion: "2026-10",
    triggeredAt: new Date("2026-11-22T10:00:00.123Z"),
    payload: '{"id":820982911946154508123,"total_price":"19.99"}',
  });

  it("stores a delivery once: a retry with the same webhook id is a duplicate, another shop's is not", async () => {
    const first = await webhooks.recordWebhook(delivery("wh-1"));
    expect(first.recorded).toBe(true);
    expect(await webhooks.recordWebhook(delivery("wh-1"))).toEqual({ recorded: false, reason: "duplicate" });
    expect((await webhooks.recordWebhook(delivery("wh-1", "intake-b.myshopify.com"))).recorded).toBe(true);
    expect(await db.prisma.webhookEvent.count({ where: { webhookId: "wh-1" } })).toBe(2);
  });

  it("Prisma reads the stored row back exactly: timestamps, defaults and the raw body", async () => {
    const before = Date.now();
    const result = await webhooks.recordWebhook(delivery("wh-2"));
    if (!result.recorded) throw new Error("expected a new row");
    const row = await db.prisma.webhookEvent.findUniqueOrThrow({ where: { id: result.id } });
    expect(row).toMatchObject({
      shop: "intake-a.myshopify.com",
      webhookId: "wh-2",
      eventId: "event-wh-2",
      topic: "ORDERS_CREATE",
      apiVersion: "2026-10",
      status: "pending",
      attempts: 0,
      payload: '{"id":820982911946154508123,"total_price":"19.99"}',
    });
    expect(row.triggeredAt?.toISOString()).toBe("2026-11-22T10:00:00.123Z");
    expect(row.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(row.receivedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5);
    // The worker's query for pending rows finds it.
    const pending = await db.prisma.webhookEvent.findMany({ where: { shop: "intake-a.myshopify.com", status: "pending" }, orderBy: { receivedAt: "asc" } });
    expect(pending.map((p) => p.webhookId)).toContain("wh-2");
  });

  it("a burst of concurrent deliveries, with retries among them, is stored once per webhook id and each caller gets its own answer", async () => {
    // 60 distinct deliveries, 20 of them sent twice at the same moment (a retry racing the original).
    const ids = Array.from({ length: 60 }, (_, i) => `burst-${i}`);
    const sent = [...ids, ...ids.slice(0, 20)].map((id) => ({ ...delivery(id), payload: `{"id":${9_000_000_000_000_000_000n + BigInt(id.slice(6))}}` }));
    const results = await Promise.all(sent.map((d) => webhooks.recordWebhook(d)));

    const recordedIds = new Set<number>();
    for (const id of ids) {
      const answers = results.filter((_, i) => sent[i].webhookId === id);
      // Exactly one of the copies is the recorded one, whatever batch each landed in.
      expect(answers.filter((a) => a.recorded)).toHaveLength(1);
      const recorded = answers.find((a) => a.recorded);
      if (recorded?.recorded) recordedIds.add(recorded.id);
    }
    const rows = await db.prisma.webhookEvent.findMany({ where: { webhookId: { startsWith: "burst-" } } });
    expect(rows).toHaveLength(60);
    // Each caller's id is the row of its own delivery.
    expect(new Set(rows.map((r) => r.id))).toEqual(recordedIds);
    for (const row of rows) expect(row.payload).toBe(`{"id":${9_000_000_000_000_000_000n + BigInt(row.webhookId.slice(6))}}`);
  });
});
