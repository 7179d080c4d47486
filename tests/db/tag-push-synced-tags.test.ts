/**
 * The webhooks our own push causes (customer.tags_added/removed) leave the synced tags as the
 * push left them, on SQLite and PostgreSQL: no duplicate, no recompute (so no re-push loop), and a
 * late delivery from an earlier push cannot bring back a tag an undo removed (no flapping). Whether
 * anyone holds a segment's tag (what the push page's undo would remove) compares as Shopify does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anyTagHolder, applySyncedTagChange } from "../../app/tag-push/synced-tags.server";
import { applyWebhookEvent } from "../../app/sync/webhooks/apply-webhook";
import type { SyncContext } from "../../app/sync/sync-context";
import { createTestDatabase, TEST_DIALECTS, testSyncContext, type QueuedJob, type TestDatabase } from "./test-database";

const SHOP = "synced-tags.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/8000000000000000042";

describe.each(TEST_DIALECTS)("synced tags after a push (%s)", (dialect) => {
  let db: TestDatabase;
  let ctx: SyncContext;
  let queued: QueuedJob[];
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    ({ ctx, queued } = testSyncContext(db));
    await db.prisma.shop.create({ data: { shop: SHOP } });
    await db.prisma.customer.create({ data: { shop: SHOP, shopifyId: CUSTOMER, tags: JSON.stringify(["Stammkunde", "vip"]) } });
  });
  afterAll(async () => db?.drop());

  let n = 0;
  const webhook = (topic: string, tags: string[], at: string) =>
    applyWebhookEvent(ctx, { id: ++n, shop: SHOP, topic, payload: JSON.stringify({ customerId: CUSTOMER, tags }), triggeredAt: new Date(at), receivedAt: new Date() });
  const tags = async () => JSON.parse((await db.prisma.customer.findUniqueOrThrow({ where: { shop_shopifyId: { shop: SHOP, shopifyId: CUSTOMER } } })).tags);

  it("push, its own webhook, undo, then the push's webhook again late: the tag stays removed, other tags untouched", async () => {
    await applySyncedTagChange(db.prisma, dialect, SHOP, [CUSTOMER], { add: ["ci-vip"], at: new Date("2026-11-01T10:00:00Z") });
    expect(await tags()).toEqual(["Stammkunde", "vip", "ci-vip"]);
    const result = await webhook("customer.tags_added", ["ci-vip"], "2026-11-01T10:00:00Z");
    // Nothing changed, so no customer is marked for the refresh that would re-push.
    expect(result).toEqual({ recompute: false, profilesChanged: [] });
    expect(await tags()).toEqual(["Stammkunde", "vip", "ci-vip"]);

    await applySyncedTagChange(db.prisma, dialect, SHOP, [CUSTOMER], { remove: ["ci-vip"], at: new Date("2026-11-01T11:00:00Z") });
    await webhook("customer.tags_added", ["ci-vip"], "2026-11-01T10:00:00Z"); // a retry of the first delivery
    await webhook("customer.tags_removed", ["ci-vip"], "2026-11-01T11:00:00Z");
    expect(await tags()).toEqual(["Stammkunde", "vip"]);
    expect(queued).toEqual([]);
  });

  it("finds a holder of the tag in any case, among the shop's customers that are not deleted, and only as a whole tag", async () => {
    const OTHER_SHOP = "other-synced-tags.myshopify.com";
    await db.prisma.shop.create({ data: { shop: OTHER_SHOP } });
    const customer = (shop: string, id: number, tags: string[], deletedAt: Date | null = null) =>
      db.prisma.customer.create({ data: { shop, shopifyId: `gid://shopify/Customer/${id}`, tags: JSON.stringify(tags), deletedAt } });
    // Nobody holds ci-loyal: a longer tag that starts with it, another shop's customer and a
    // deleted one do not count.
    await customer(SHOP, 1, ["ci-loyal-old", "loyal", 'say "ci-loyal"']);
    await customer(OTHER_SHOP, 2, ["ci-loyal"]);
    await customer(SHOP, 3, ["ci-loyal"], new Date("2026-11-02T00:00:00Z"));
    expect(await anyTagHolder(db.prisma, dialect, SHOP, "ci-loyal")).toBe(false);
    expect(await anyTagHolder(db.prisma, dialect, OTHER_SHOP, "ci-loyal")).toBe(true);
    // Typed by hand in another case: Shopify's tagsRemove would remove it, so it counts.
    await customer(SHOP, 4, ["VIP", "CI-Loyal"]);
    expect(await anyTagHolder(db.prisma, dialect, SHOP, "ci-loyal")).toBe(true);
    // A tag's _ and % are letters, not LIKE's wildcards; then the push writes the tag itself.
    await customer(SHOP, 5, ["CIX50-OFF"]);
    expect(await anyTagHolder(db.prisma, dialect, SHOP, "ci_50%")).toBe(false);
    await applySyncedTagChange(db.prisma, dialect, SHOP, [CUSTOMER], { add: ["ci_50%"], at: new Date("2026-11-03T10:00:00Z") });
    expect(await anyTagHolder(db.prisma, dialect, SHOP, "ci_50%")).toBe(true);
  });
});
