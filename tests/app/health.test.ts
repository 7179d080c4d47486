/**
 * The start-up check: a migrated database passes, and on SQLite the order indexes that a
 * crashed first import left unbuilt are rebuilt before the server serves pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppUnderTest, type AppUnderTest } from "./app-under-test";

describe("checkDatabaseConnection on sqlite", () => {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await startAppUnderTest("sqlite");
  });
  afterAll(async () => {
    await app?.close();
  });

  it("rebuilds order indexes that an interrupted first import dropped", async () => {
    const indexNames = async () =>
      (await app.db.prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('Order', 'OrderLine')`)).map((r) => r.name);
    const before = await indexNames();
    expect(before).toContain("Order_shop_customerShopifyId_shopifyCreatedAt_idx");
    await app.db.prisma.$executeRawUnsafe(`DROP INDEX "Order_shop_customerShopifyId_shopifyCreatedAt_idx"`);
    await app.db.prisma.$executeRawUnsafe(`DROP INDEX "OrderLine_orderId_idx"`);

    const { checkDatabaseConnection } = await app.load<typeof import("~/services/health.server")>("~/services/health.server");
    expect(await checkDatabaseConnection()).toEqual({ ok: true });
    expect((await indexNames()).sort()).toEqual(before.sort());
  });
});
