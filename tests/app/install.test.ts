/**
 * recordInstall runs from afterAuth, which shopify-app-remix calls every time token exchange
 * mints a token. Repeated calls must leave one Shop row and keep the install date; only a
 * reinstall after an uninstall starts a new install.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DIALECTS } from "../db/test-database";
import { startAppUnderTest, type AppUnderTest } from "./app-under-test";

type InstallModule = typeof import("~/services/install.server");

const ALL_SCOPES = "read_customers,write_customers,read_orders,read_all_orders,read_products";

describe.each(TEST_DIALECTS)("recordInstall on %s", (dialect) => {
  let app: AppUnderTest;
  let install: InstallModule;

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    install = await app.load<InstallModule>("~/services/install.server");
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it("creates the shop once and keeps its install date on repeated calls", async () => {
    const shop = "repeat.myshopify.com";
    const first = await install.recordInstall({ shop, session: { scope: ALL_SCOPES } });
    const second = await install.recordInstall({ shop, session: { scope: ALL_SCOPES } });

    expect(first.newlyInstalled).toBe(true);
    expect(second.newlyInstalled).toBe(false);
    expect(second.installedAt.getTime()).toBe(first.installedAt.getTime());
    expect(await app.db.prisma.shop.count({ where: { shop } })).toBe(1);
    expect(second).toMatchObject({
      installState: "installed",
      hasAllOrdersAccess: true,
      grantedScopes: "read_all_orders,read_customers,read_orders,read_products,write_customers",
    });
  });

  it("notices when read_all_orders is missing (only 60 days of orders readable)", async () => {
    const record = await install.recordInstall({
      shop: "limited.myshopify.com",
      session: { scope: "read_customers,read_orders" },
    });
    expect(record.hasAllOrdersAccess).toBe(false);
  });

  it("a reinstall after an uninstall is a new install", async () => {
    const shop = "reinstall.myshopify.com";
    await install.recordInstall({ shop, session: { scope: ALL_SCOPES } });
    const uninstalledAt = new Date("2026-01-01T00:00:00Z");
    await app.db.prisma.shop.update({
      where: { shop },
      data: { installState: "uninstalled", uninstalledAt, installedAt: new Date("2025-01-01T00:00:00Z") },
    });

    const again = await install.recordInstall({ shop, session: { scope: ALL_SCOPES } });
    expect(again.newlyInstalled).toBe(true);
    expect(again.installedAt.getTime()).toBeGreaterThan(uninstalledAt.getTime());
    const row = await app.db.prisma.shop.findUniqueOrThrow({ where: { shop } });
    expect(row.installState).toBe("installed");
    expect(row.uninstalledAt).toBeNull();
  });

  it("deliveries that arrived before the install completed are released to the worker by the install", async () => {
    const shop = "early-webhook.myshopify.com";
    await app.db.prisma.webhookEvent.create({ data: { shop, topic: "CUSTOMERS_UPDATE", webhookId: "early-1", payload: "{}", status: "awaiting-install" } });
    await install.recordInstall({ shop, session: { scope: ALL_SCOPES } });
    expect((await app.db.prisma.webhookEvent.findFirstOrThrow({ where: { shop } })).status).toBe("pending");
  });
});
