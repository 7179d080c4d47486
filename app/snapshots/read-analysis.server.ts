/**
 * The one way pages read what the analysis concluded: the shop's current snapshot (the newest
 * complete generation of this document version) and its state, for the dashboard's "figures
 * from <date>", "being recalculated" and "the last update failed, retrying" lines. Profiles are
 * read with the returned snapshot id, so a page shows one generation only.
 */
import type { Database } from "~/db.server";
import { displayTimeZone } from "~/i18n/display-time-zone";
import { parseSnapshotDocument, SNAPSHOT_VERSION, type SnapshotDocument } from "./snapshot-document";

export interface CurrentAnalysis {
  snapshotId: number;
  /** When the analysis was stored (its generation became current). */
  computedAt: Date;
  /** When a profile of this generation last changed: its latest per-order refresh, else computedAt. */
  profilesUpdatedAt: Date;
  /** Shared between readers of the same snapshot, and frozen: copy before changing any of it. */
  document: SnapshotDocument;
}

export interface AnalysisState {
  current: CurrentAnalysis | null;
  /** Figures were asked for after the current ones were computed (a setting changed, an import finished). */
  recalculating: boolean;
  /** The last recompute failed (the current figures, if any, are older); retried with backoff. */
  lastFailure: { at: Date; error: string } | null;
  /** The shop's zone, which pages state these dates in (display-time-zone.ts). */
  timeZone: string;
}

/**
 * What every page that shows analysed figures says about them (components/analysis-status-banner.tsx:
 * "figures from <date> are being recalculated", "the last update failed, retrying"), as sent to
 * the browser: the AnalysisState of the figures the page shows, without the error text.
 */
export interface AnalysisStatus {
  /** When the figures shown were stored (ISO instant); null before the first analysis. */
  computedAt: string | null;
  /** AnalysisState.recalculating: new figures were asked for and are on their way. */
  recalculating: boolean;
  /** AnalysisState.lastFailure: the last recompute failed; it is retried with backoff. */
  lastFailure: { at: string } | null;
  /** The shop's zone, in which the banner states `computedAt`'s date. */
  timeZone: string;
}

export function analysisStatusOf(state: AnalysisState): AnalysisStatus {
  return {
    computedAt: state.current?.computedAt.toISOString() ?? null,
    recalculating: state.recalculating,
    lastFailure: state.lastFailure ? { at: state.lastFailure.at.toISOString() } : null,
    timeZone: state.timeZone,
  };
}

/**
 * Parsed documents by database client and snapshot id. A snapshot's document is written once,
 * with the snapshot, and never changed (only `completedAt` is set), so each process parses it
 * once instead of on every page load: at 1M orders reading and validating it was most of a
 * preset dashboard's time (bench/RESULTS.md "Pages at scale"). Frozen, so no reader can change
 * what the next one sees. A few per client: the current analyses of the shops being browsed.
 */
const parsedDocuments = new WeakMap<Database, Map<number, SnapshotDocument>>();
const DOCUMENTS_KEPT = 16;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

async function snapshotDocument(prisma: Database, id: number, version: number): Promise<SnapshotDocument | null> {
  let documents = parsedDocuments.get(prisma);
  if (!documents) parsedDocuments.set(prisma, (documents = new Map()));
  const hit = documents.get(id);
  if (hit) {
    // Most recently used last: the oldest is evicted first.
    documents.delete(id);
    documents.set(id, hit);
    return hit;
  }
  const row = await prisma.analysisSnapshot.findUnique({ where: { id }, select: { data: true } });
  const document = row ? parseSnapshotDocument(version, row.data) : null;
  if (!document) return null;
  documents.set(id, deepFreeze(document));
  if (documents.size > DOCUMENTS_KEPT) documents.delete(documents.keys().next().value!);
  return document;
}

export async function readCurrentAnalysis(prisma: Database, shop: string): Promise<CurrentAnalysis | null> {
  const snapshot = await prisma.analysisSnapshot.findFirst({
    where: { shop, version: SNAPSHOT_VERSION, completedAt: { not: null } },
    orderBy: { id: "desc" },
    select: { id: true, completedAt: true, profilesRefreshedAt: true, version: true },
  });
  if (!snapshot) return null;
  const document = await snapshotDocument(prisma, snapshot.id, snapshot.version);
  return document ? { snapshotId: snapshot.id, computedAt: snapshot.completedAt!, profilesUpdatedAt: snapshot.profilesRefreshedAt ?? snapshot.completedAt!, document } : null;
}

export async function readAnalysisState(prisma: Database, shop: string): Promise<AnalysisState> {
  const [current, shopRow] = await Promise.all([
    readCurrentAnalysis(prisma, shop),
    prisma.shop.findUnique({ where: { shop }, select: { analysisRequestedAt: true, analysisFailedAt: true, analysisError: true, ianaTimezone: true } }),
  ]);
  const requested = shopRow?.analysisRequestedAt ?? null;
  return {
    current,
    recalculating: requested !== null && (current === null || requested > current.computedAt),
    lastFailure: shopRow?.analysisFailedAt ? { at: shopRow.analysisFailedAt, error: shopRow.analysisError ?? "" } : null,
    timeZone: displayTimeZone(shopRow?.ianaTimezone),
  };
}
