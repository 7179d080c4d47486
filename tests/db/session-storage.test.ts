/**
 * Shopify sessions persist on both databases through app/session-storage.server.ts,
 * including the refresh token that expiring offline tokens need (mandatory from 1 Jan 2027).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "../../app/session-storage.server";
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from "./test-database";

describe.each(TEST_DIALECTS)("session storage on %s", (dialect) => {
  let db: TestDatabase;
  let storage: PrismaSessionStorage;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    storage = new PrismaSessionStorage(db.prisma);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("stores, loads and deletes an expiring offline session with its refresh token", async () => {
    const expires = new Date(Date.UTC(2026, 10, 22, 13, 0, 0));
    const refreshTokenExpires = new Date(Date.UTC(2027, 1, 20, 12, 0, 0));
    const session = new Session({
      id: "offline_demo.myshopify.com",
      shop: "demo.myshopify.com",
      state: "state-1",
      isOnline: false,
      scope: "read_customers,write_customers,read_orders,read_all_orders,read_products",
      expires,
      accessToken: "shpat_access",
      refreshToken: "shprt_refresh",
      refreshTokenExpires,
    });
    expect(await storage.storeSession(session)).toBe(true);

    const loaded = await storage.loadSession(session.id);
    expect(loaded).toBeInstanceOf(Session);
    expect(loaded?.shop).toBe("demo.myshopify.com");
    expect(loaded?.accessToken).toBe("shpat_access");
    expect(loaded?.refreshToken).toBe("shprt_refresh");
    expect(loaded?.expires?.getTime()).toBe(expires.getTime());
    expect(loaded?.refreshTokenExpires?.getTime()).toBe(refreshTokenExpires.getTime());
    expect(loaded?.isOnline).toBe(false);

    // A refresh rotates both tokens; storing again updates in place.
    session.accessToken = "shpat_access_2";
    session.refreshToken = "shprt_refresh_2";
    await storage.storeSession(session);
    expect((await storage.loadSession(session.id))?.refreshToken).toBe("shprt_refresh_2");
    expect(await storage.findSessionsByShop("demo.myshopify.com")).toHaveLength(1);

    expect(await storage.deleteSession(session.id)).toBe(true);
    expect(await storage.loadSession(session.id)).toBeUndefined();
  });

  it("deletes all sessions of one shop without touching another shop", async () => {
    for (const shop of ["a.myshopify.com", "b.myshopify.com"]) {
      await storage.storeSession(new Session({ id: `offline_${shop}`, shop, state: "s", isOnline: false, accessToken: "t" }));
    }
    const ofA = await storage.findSessionsByShop("a.myshopify.com");
    await storage.deleteSessions(ofA.map((s) => s.id));
    expect(await storage.findSessionsByShop("a.myshopify.com")).toHaveLength(0);
    expect(await storage.findSessionsByShop("b.myshopify.com")).toHaveLength(1);
  });
});

describe.each(TEST_DIALECTS)("online sessions on %s", (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("keeps the associated user of an online session", async () => {
    const storage = new PrismaSessionStorage(db.prisma);
    const session = new Session({
      id: "demo.myshopify.com_42",
      shop: "demo.myshopify.com",
      state: "s",
      isOnline: true,
      accessToken: "online-token",
      onlineAccessInfo: {
        expires_in: 3600,
        associated_user_scope: "read_customers",
        associated_user: { id: 42, first_name: "Sanne", last_name: "de Vries", email: "sanne@example.com", email_verified: true, account_owner: true, locale: "nl", collaborator: false },
      },
    });
    await storage.storeSession(session);
    const loaded = await storage.loadSession(session.id);
    expect(loaded?.onlineAccessInfo?.associated_user.id).toBe(42);
    expect(loaded?.onlineAccessInfo?.associated_user.locale).toBe("nl");
    expect(loaded?.onlineAccessInfo?.associated_user.account_owner).toBe(true);
  });
});
