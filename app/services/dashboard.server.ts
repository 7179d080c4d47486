import { prisma } from "~/db.server";

export interface DashboardState {
  install: {
    state: "installed" | "uninstalled";
    installedAt: string;
    uninstalledAt: string | null;
    hasAllOrdersAccess: boolean;
  } | null;
  lastSync: {
    kind: string;
    status: string;
    objectsDone: number;
    objectsTotal: number | null;
    startedAt: string;
    finishedAt: string | null;
    error: string | null;
  } | null;
}

/**
 * What the home page shows before analytics exist: the shop's install record and its most
 * recent sync run, exactly as stored (no placeholder figures).
 */
export async function getDashboardState(shop: string): Promise<DashboardState> {
  const [shopRow, syncRun] = await Promise.all([
    prisma.shop.findUnique({ where: { shop } }),
    prisma.syncRun.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } }),
  ]);
  return {
    install: shopRow
      ? {
          state: shopRow.installState === "uninstalled" ? "uninstalled" : "installed",
          installedAt: shopRow.installedAt.toISOString(),
          uninstalledAt: shopRow.uninstalledAt?.toISOString() ?? null,
          hasAllOrdersAccess: shopRow.hasAllOrdersAccess,
        }
      : null,
    lastSync: syncRun
      ? {
          kind: syncRun.kind,
          status: syncRun.status,
          objectsDone: syncRun.objectsDone,
          objectsTotal: syncRun.objectsTotal,
          startedAt: syncRun.startedAt.toISOString(),
          finishedAt: syncRun.finishedAt?.toISOString() ?? null,
          error: syncRun.error ?? syncRun.errorCode ?? null,
        }
      : null,
  };
}
