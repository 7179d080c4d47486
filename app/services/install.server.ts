import type { Session } from "@shopify/shopify-app-remix/server";
import { appContext, appNow } from "~/services/sync.server";
import { AWAITING_INSTALL } from "~/sync/webhooks/shop-lifecycle";

/** Scope that lifts Shopify's 60-day limit on readable orders (PRODUCT.md F1). */
const ALL_ORDERS_SCOPE = "read_all_orders";

export interface RecordInstallInput {
  shop: string;
  session: Pick<Session, "scope">;
}

export interface InstallRecord {
  shop: string;
  installState: string;
  installedAt: Date;
  grantedScopes: string;
  hasAllOrdersAccess: boolean;
  /** True when this call turned an unknown or uninstalled shop into an installed one. */
  newlyInstalled: boolean;
}

/**
 * Records that `shop` has the app installed, with the scopes its session grants.
 *
 * Called from `afterAuth`, which shopify-app-remix runs every time token exchange mints a
 * token (first install, expiry, reinstall), so it must be idempotent: a repeat call changes
 * nothing but the scopes; only a first install or a reinstall after an uninstall resets
 * `installedAt`. `newlyInstalled` tells the sync engine when to start a backfill.
 */
export async function recordInstall({ shop, session }: RecordInstallInput): Promise<InstallRecord> {
  const grantedScopes = normaliseScopes(session.scope);
  const hasAllOrdersAccess = grantedScopes.split(",").includes(ALL_ORDERS_SCOPE);
  return appContext().prisma.$transaction(async (tx) => {
    const existing = await tx.shop.findUnique({ where: { shop }, select: { installState: true } });
    const newlyInstalled = existing === null || existing.installState !== "installed";
    const now = appNow();
    const row = await tx.shop.upsert({
      where: { shop },
      create: { shop, installState: "installed", installedAt: now, grantedScopes, hasAllOrdersAccess },
      update: newlyInstalled
        ? { installState: "installed", installedAt: now, uninstalledAt: null, grantedScopes, hasAllOrdersAccess }
        : { grantedScopes, hasAllOrdersAccess },
    });
    // Deliveries that arrived before the install completed are applied now (the sweep picks them up).
    if (newlyInstalled) await tx.webhookEvent.updateMany({ where: { shop, status: AWAITING_INSTALL }, data: { status: "pending" } });
    return {
      shop: row.shop,
      installState: row.installState,
      installedAt: row.installedAt,
      grantedScopes: row.grantedScopes,
      hasAllOrdersAccess: row.hasAllOrdersAccess,
      newlyInstalled,
    };
  });
}

/** Sorted, de-duplicated, comma-separated: the same grant always stores the same string. */
function normaliseScopes(scope: string | undefined): string {
  if (!scope) return "";
  return [...new Set(scope.split(",").map((s) => s.trim()).filter(Boolean))].sort().join(",");
}
