/**
 * The push page's service (app/routes/app.segments.$id_.push.tsx): the segment's tag, the dry
 * run, starting a push or its undo (the `push-tags` job, one per segment at a time), the push
 * settings (automatic re-push, control group share), progress, history and the lift report.
 * Every query is scoped to the shop of the verified session.
 */
import { type SegmentLabel, segmentLabel } from "~/segments/builtin-segments";
import { refreshSegmentMemberships } from "~/segments/refresh-memberships.server";
import { appContext } from "~/services/sync.server";
import type { LiftReport } from "~/tag-push/lift";
import { liftWindow, readSegmentLift } from "~/tag-push/lift-data.server";
import { computeSegmentDiff } from "~/tag-push/push-runner.server";
import { anyTagHolder } from "~/tag-push/synced-tags.server";
import { segmentTag } from "~/tag-push/tag-diff";
import { displayTimeZone } from "~/i18n/display-time-zone";

export class SegmentNotFoundError extends Error {
  constructor() {
    super("segment not found");
    this.name = "SegmentNotFoundError";
  }
}

const SAMPLE = 10;
const HISTORY = 20;

export interface PushRow {
  id: number;
  mode: string;
  startedBy: string | null;
  status: string;
  stage: string | null;
  startedAt: string;
  finishedAt: string | null;
  added: number;
  removed: number;
  failed: number;
  done: number;
  total: number;
  overTagLimit: number;
  errors: { customerShopifyId: string; message: string }[];
  error: string | null;
}

export interface TagPushPage {
  segment: { id: number; name: string; label: SegmentLabel | null; handle: string; memberCount: number; controlCount: number; pushEnabled: boolean; controlGroupPercent: number; firstPushedAt: string | null; lastPushedAt: string | null };
  tag: string | null;
  tagProblem: string | null;
  /** Whether any customer holds the tag now: an undo has something to remove. */
  tagHeld: boolean;
  nativeSegmentUrl: string | null;
  running: PushRow | null;
  history: PushRow[];
  /** `since`: the first push (orders counted from then); `membersAt`: when its members (tagged and held out) were fixed. */
  lift: LiftReport & { since: string | null; membersAt: string | null };
  currencyCode: string | null;
  /** The shop's zone, in which the page states its dates and times (display-time-zone.ts). */
  timeZone: string;
}

async function findSegment(shop: string, segmentId: number) {
  const segment = Number.isSafeInteger(segmentId) ? await appContext().prisma.segment.findFirst({ where: { id: segmentId, shop } }) : null;
  if (!segment) throw new SegmentNotFoundError();
  return segment;
}

/** The admin page of a native segment: admin.shopify.com/store/<handle>/customers/segments/<id>. */
export function nativeSegmentAdminUrl(shop: string, shopifySegmentId: string | null): string | null {
  if (!shopifySegmentId) return null;
  const id = shopifySegmentId.split("/").pop();
  return `https://admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}/customers/segments/${id}`;
}

function pushRow(p: { id: number; mode: string; startedBy: string | null; status: string; stage: string | null; startedAt: Date; finishedAt: Date | null; added: number; removed: number; failed: number; done: number; total: number; overTagLimit: number; errors: string; error: string | null }): PushRow {
  return { ...p, startedAt: p.startedAt.toISOString(), finishedAt: p.finishedAt?.toISOString() ?? null, errors: JSON.parse(p.errors) };
}

export async function getTagPushPage(shop: string, segmentId: number): Promise<TagPushPage> {
  const { prisma } = appContext();
  const segment = await findSegment(shop, segmentId);
  const [settings, shopRow, pushes] = await Promise.all([
    prisma.shopSettings.findUnique({ where: { shop }, select: { tagPrefix: true } }),
    prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true, ianaTimezone: true } }),
    prisma.tagPush.findMany({ where: { shop, segmentId }, orderBy: { id: "desc" }, take: HISTORY }),
  ]);
  const tag = segmentTag(settings?.tagPrefix ?? "ci-", segment.handle);
  const tagHeld = tag.ok && (await anyTagHolder(prisma, appContext().dialect, shop, tag.tag));
  const rows = pushes.map(pushRow);
  const window = await liftWindow(prisma, shop, segmentId, segment.firstPushedAt);
  return {
    segment: {
      id: segment.id,
      name: segment.name,
      label: segmentLabel(segment),
      handle: segment.handle,
      memberCount: segment.memberCount,
      controlCount: segment.controlCount,
      pushEnabled: segment.pushEnabled,
      controlGroupPercent: segment.controlGroupPercent,
      firstPushedAt: segment.firstPushedAt?.toISOString() ?? null,
      lastPushedAt: segment.lastPushedAt?.toISOString() ?? null,
    },
    tag: tag.ok ? tag.tag : null,
    tagProblem: tag.ok ? null : tag.reason,
    tagHeld,
    nativeSegmentUrl: nativeSegmentAdminUrl(shop, segment.shopifySegmentId),
    running: rows.find((r) => r.status === "running") ?? null,
    history: rows,
    lift: {
      ...(await readSegmentLift(prisma, appContext().dialect, shop, segmentId, window)),
      since: window?.since.toISOString() ?? null,
      membersAt: window?.cohortAt.toISOString() ?? null,
    },
    currencyCode: shopRow?.currencyCode ?? null,
    timeZone: displayTimeZone(shopRow?.ianaTimezone),
  };
}

export interface DryRun {
  tag: string;
  joiners: number;
  leavers: number;
  unchanged: number;
  heldOut: number;
  overLimit: number;
  joinerSample: { id: string; name: string }[];
  leaverSample: { id: string; name: string }[];
}

/** What a push would change, computed exactly as the push plans it; nothing is sent. */
export async function dryRunPush(shop: string, segmentId: number): Promise<DryRun> {
  const { prisma, dialect } = appContext();
  await findSegment(shop, segmentId);
  const { tag, diff } = await computeSegmentDiff(prisma, dialect, shop, segmentId, "push");
  const names = async (ids: string[]) => {
    const rows = await prisma.customer.findMany({ where: { shop, shopifyId: { in: ids } }, select: { shopifyId: true, firstName: true, lastName: true } });
    const byId = new Map(rows.map((r) => [r.shopifyId, [r.firstName, r.lastName].filter(Boolean).join(" ")]));
    return ids.map((id) => ({ id, name: byId.get(id) || id.split("/").pop()! }));
  };
  return {
    tag,
    joiners: diff.joiners.length,
    leavers: diff.leavers.length,
    unchanged: diff.unchanged,
    heldOut: diff.heldOut,
    overLimit: diff.overLimit.length,
    joinerSample: await names(diff.joiners.slice(0, SAMPLE)),
    leaverSample: await names(diff.leavers.slice(0, SAMPLE)),
  };
}

/** Queues a push (or its undo); a second request while one runs is queued once after it. */
export async function startTagPush(shop: string, segmentId: number, mode: "push" | "undo", startedBy: string): Promise<void> {
  await findSegment(shop, segmentId);
  await appContext().jobs.enqueue("push-tags", shop, { segmentId, mode, startedBy }, { key: `segment-${segmentId}` });
}

export type PushSettingsField = "controlGroupPercent";
export type PushSettingsResult = { ok: true } | { ok: false; errors: Partial<Record<PushSettingsField, "tagPush.error.controlGroupPercent">> };

/**
 * Automatic re-push and the control group share (0–50 %); a bad share writes nothing. A new share
 * sets the members' hold-out flags at once (the segment's refresh, as an edit of the segment does):
 * a dry run or push right after the save tagged the new control group too.
 */
export async function savePushSettings(shop: string, segmentId: number, form: { pushEnabled?: unknown; controlGroupPercent?: unknown }): Promise<PushSettingsResult> {
  const before = await findSegment(shop, segmentId);
  const raw = typeof form.controlGroupPercent === "string" ? form.controlGroupPercent.trim().replace(",", ".") : "";
  const percent = raw === "" ? NaN : Number(raw);
  if (!Number.isFinite(percent) || percent < 0 || percent > 50) return { ok: false, errors: { controlGroupPercent: "tagPush.error.controlGroupPercent" } };
  await appContext().prisma.segment.updateMany({
    where: { id: segmentId, shop },
    data: { pushEnabled: form.pushEnabled === "on" || form.pushEnabled === "true", controlGroupPercent: percent },
  });
  if (percent !== before.controlGroupPercent) await refreshSegmentMemberships(appContext(), shop, { segmentIds: [segmentId] });
  return { ok: true };
}


export type TagPushActionResult =
  | { status: "dry-run"; dryRun: DryRun }
  | { status: "queued"; mode: "push" | "undo" }
  | { status: "saved" }
  | { status: "invalid"; errors: Partial<Record<PushSettingsField, "tagPush.error.controlGroupPercent">> };

/**
 * Who started a push, for the history: the staff member's name when the session carries it
 * (online tokens), else their user id from the session token; never an e-mail.
 */
export function staffName(session: { onlineAccessInfo?: { associated_user?: { first_name?: string; last_name?: string } } | null }, userId: string | null): string {
  const user = session.onlineAccessInfo?.associated_user;
  const name = [user?.first_name, user?.last_name].filter(Boolean).join(" ");
  if (name) return name;
  return userId ? `staff ${String(userId).split("/").pop()}` : "staff";
}

/** The push page's form: dry run, push, undo, or its settings (an unknown intent is a field error). */
export async function handleTagPushAction(
  shop: string,
  segmentId: number,
  form: Record<string, unknown>,
  who: { session: Parameters<typeof staffName>[0]; userId: string | null },
): Promise<TagPushActionResult> {
  switch (form.intent) {
    case "dry-run":
      return { status: "dry-run", dryRun: await dryRunPush(shop, segmentId) };
    case "push":
    case "undo":
      await startTagPush(shop, segmentId, form.intent, staffName(who.session, who.userId));
      return { status: "queued", mode: form.intent };
    case "settings": {
      const saved = await savePushSettings(shop, segmentId, form);
      return saved.ok ? { status: "saved" } : { status: "invalid", errors: saved.errors };
    }
    default:
      await findSegment(shop, segmentId);
      return { status: "invalid", errors: {} };
  }
}
