/**
 * withShopLock: one holder per (purpose, shop) at a time, in one process and — on PostgreSQL —
 * across two processes' clients (two Prisma clients stand in for two app instances).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "~/db.server";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../tests/db/test-database";
import { withShopLock } from "./shop-lock.server";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(TEST_DIALECTS)("withShopLock on %s", (dialect) => {
  let db: TestDatabase;
  const previousUrl = process.env.DATABASE_URL;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    process.env.DATABASE_URL = db.config.url;
  }, 60_000);
  afterAll(async () => {
    process.env.DATABASE_URL = previousUrl;
    await db?.drop();
  });

  /** Runs `holders` lock holders per shop and reports the most that ever held one shop's lock at once. */
  async function maxOverlap(clients: ReturnType<typeof createPrismaClient>[], shops: string[], holders: number) {
    const inside = new Map<string, number>();
    let worst = 0;
    let together = 0;
    let allInside = 0;
    await Promise.all(
      shops.flatMap((shop) =>
        Array.from({ length: holders }, (_, i) =>
          withShopLock(clients[i % clients.length], "offline-token", shop, async () => {
            inside.set(shop, (inside.get(shop) ?? 0) + 1);
            worst = Math.max(worst, inside.get(shop)!);
            together++;
            allInside = Math.max(allInside, together);
            await pause(30);
            together--;
            inside.set(shop, inside.get(shop)! - 1);
          }),
        ),
      ),
    );
    return { perShop: worst, acrossShops: allInside };
  }

  it("one holder per shop at a time; different shops do not wait for each other", async () => {
    const { perShop, acrossShops } = await maxOverlap([db.prisma], ["a.myshopify.com", "b.myshopify.com"], 4);
    expect(perShop).toBe(1);
    expect(acrossShops).toBe(2);
  });

  it("a failing holder releases the lock", async () => {
    await expect(withShopLock(db.prisma, "offline-token", "c.myshopify.com", async () => Promise.reject(new Error("refresh failed")))).rejects.toThrow("refresh failed");
    await expect(withShopLock(db.prisma, "offline-token", "c.myshopify.com", async () => "next")).resolves.toBe("next");
  });

  it.runIf(dialect === "postgresql")("two instances never hold one shop's lock together", async () => {
    // The in-process queue is per module, so the second "instance" must be a second module copy.
    const { vi } = await import("vitest");
    vi.resetModules();
    const other = await import("./shop-lock.server");
    const second = createPrismaClient(db.config);
    try {
      const inside: string[] = [];
      let overlap = false;
      const hold = (lock: typeof withShopLock, client: typeof db.prisma, name: string) =>
        lock(client, "offline-token", "d.myshopify.com", async () => {
          if (inside.length) overlap = true;
          inside.push(name);
          await pause(50);
          inside.pop();
        });
      await Promise.all([hold(withShopLock, db.prisma, "one"), hold(other.withShopLock, second, "two"), hold(withShopLock, db.prisma, "three"), hold(other.withShopLock, second, "four")]);
      expect(overlap).toBe(false);
    } finally {
      await second.$disconnect();
    }
  });
});
