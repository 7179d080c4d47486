/**
 * The one way pages read what the analysis concluded: the shop's current snapshot (the newest
 * complete generation of this document version) and its state, for the dashboard's "figures
 * from <date>", "being recalculated" and "the last update failed, retrying" lines. Profiles are
 * read with the returned snapshot id, so a page shows one generation only.
 */
import type { Database } from "~/db.server";
import { parseSnapshotDocument, SNAPSHOT_VERSION, type SnapshotDocument } from "./snapshot-document";

export interface CurrentAnalysis {
  snapshotId: number;
  /** When the analysis was stored (its generation became current). */
  computedAt: Date;
  /** When a profile of this generation last changed: its latest per-order refresh, else computedAt. */
  profilesUpdatedAt: Date;
  document: SnapshotDocument;
}

export interface AnalysisState {
  current: CurrentAnalysis | null;
  /** Figures were asked for after the current ones were computed (a setting changed, an import finished). */
  recalculating: boolean;
  /** The last recompute failed (the current figures, if any, are older); retried with backoff. */
  lastFailure: { at: Date; error: string } | null;
}

export async function readCurrentAnalysis(prisma: Database, shop: string): Promise<CurrentAnalysis | null> {
  const snapshot = await prisma.analysisSnapshot.findFirst({
    where: { shop, version: SNAPSHOT_VERSION, completedAt: { not: null } },
    orderBy: { id: "desc" },
    select: { id: true, completedAt: true, profilesRefreshedAt: true, version: true, data: true },
  });
  if (!snapshot) return null;
  const document = parseSnapshotDocument(snapshot.version, snapshot.data);
  return document ? { snapshotId: snapshot.id, computedAt: snapshot.completedAt!, profilesUpdatedAt: snapshot.profilesRefreshedAt ?? snapshot.completedAt!, document } : null;
}

export async function readAnalysisState(prisma: Database, shop: string): Promise<AnalysisState> {
  const [current, shopRow] = await Promise.all([
    readCurrentAnalysis(prisma, shop),
    prisma.shop.findUnique({ where: { shop }, select: { analysisRequestedAt: true, analysisFailedAt: true, analysisError: true } }),
  ]);
  const requested = shopRow?.analysisRequestedAt ?? null;
  return {
    current,
    recalculating: requested !== null && (current === null || requested > current.computedAt),
    lastFailure: shopRow?.analysisFailedAt ? { at: shopRow.analysisFailedAt, error: shopRow.analysisError ?? "" } : null,
  };
}
