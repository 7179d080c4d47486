/**
 * Segments for the pages: list, live preview (count, share, sample), create, edit, duplicate,
 * delete, cross-sell audiences and the segment of a recommended action. Every query is scoped
 * by the shop of the verified session; a merchant's mistake comes back as field errors.
 */
import { z } from "zod";
import type { RecommendedActionId } from "~/analytics/actions/recommended-actions";
import type { TranslationKey } from "~/i18n/translate";
import { countAnalysisCustomers } from "~/segments/analysis-customers.server";
import { ACTION_SEGMENTS, crossSellRule, segmentLabel, type SegmentLabel } from "~/segments/builtin-segments";
import { previewMembers } from "~/segments/preview-members.server";
import { enqueueTagPush, ensureBuiltinSegments, refreshSegmentMemberships } from "~/segments/refresh-memberships.server";
import { everyoneRule, parseStoredRule, RULES_VERSION, serializeRule, validateRule, type RuleError, type RuleGroup } from "~/segments/rule-tree";
import { handleFromName, parseSegmentForm, type SegmentFormErrors, type SegmentFormValues } from "~/segments/segment-form";
import { PICKER_FIELDS, pickerValueOptions, purchaseValueLabels, type ValueOption } from "~/segments/value-options.server";
import { appContext, appNow } from "~/services/sync.server";
import { readShopSettings } from "~/settings/shop-settings.server";
import { analysisStatusOf, readAnalysisState, readCurrentAnalysis, type AnalysisStatus } from "~/snapshots/read-analysis.server";
import type { SyncContext } from "~/sync/sync-context";

export type SegmentValueOptions = { status: "ok"; options: ValueOption[]; selected: ValueOption[] } | { status: "invalid" };

const valueOptionsQuery = z.object({
  field: z.enum(PICKER_FIELDS),
  q: z.string().max(100).default(""),
  selected: z.array(z.string().min(1).max(255)).max(100),
});

/** The builder's picker for product, product type, vendor and tag conditions (app.segments.value-options). */
export async function segmentValueOptions(shop: string, params: URLSearchParams): Promise<SegmentValueOptions> {
  const parsed = valueOptionsQuery.safeParse({ field: params.get("field"), q: params.get("q") ?? undefined, selected: params.getAll("selected") });
  if (!parsed.success) return { status: "invalid" };
  const { prisma, dialect } = appContext();
  const { field, q, selected } = parsed.data;
  const [options, labels] = await Promise.all([pickerValueOptions(prisma, dialect, shop, field, q), purchaseValueLabels(prisma, dialect, shop, field, selected)]);
  return { status: "ok", options, selected: labels };
}

export interface SegmentListRow {
  id: number;
  name: string;
  /** Built-ins: the translated name's key (and values); custom: null (show `name`). */
  label: { key: TranslationKey; values?: Record<string, TranslationKey> } | null;
  kind: "builtin" | "custom";
  handle: string;
  members: number;
  membersAsOf: string | null;
}

export interface CrossSellAudience {
  bought: string;
  boughtTitle: string;
  neverBought: string;
  neverBoughtTitle: string;
  audience: number;
  /** How many times as often the two are bought together as by chance (CrossSellPair.lift). */
  lift: number;
}

export interface SegmentList {
  hasAnalysis: boolean;
  totalCustomers: number;
  segments: SegmentListRow[];
  crossSell: CrossSellAudience[];
  /** Whether new figures are being computed (a setting changed), or the last recompute failed. */
  analysisStatus: AnalysisStatus;
}

export interface SegmentSampleMember {
  customerShopifyId: string;
  name: string | null;
  email: string | null;
  totalSpent: number;
}

export type SegmentPreview =
  | { status: "no-analysis" }
  | { status: "invalid"; errors: RuleError[] }
  | { status: "ok"; members: number; totalCustomers: number; sample: SegmentSampleMember[] };

export class SegmentNotFoundError extends Error {
  constructor() {
    super("segment not found");
  }
}

function context(): SyncContext {
  return appContext();
}

export async function listSegments(shop: string): Promise<SegmentList> {
  const ctx = context();
  const state = await readAnalysisState(ctx.prisma, shop);
  const analysis = state.current;
  const analysisStatus = analysisStatusOf(state);
  if (!analysis) return { hasAnalysis: false, totalCustomers: 0, segments: [], crossSell: [], analysisStatus };
  // Built-ins missing (a shop analysed before segments existed, or the first analysis's
  // refresh-segments job not started yet): created now, their members computed by that job, never
  // in this request (a full refresh of a 1M-order shop takes ~40 s; the list says "not yet").
  if ((await ctx.prisma.segment.count({ where: { shop, kind: "builtin" } })) === 0) {
    await ensureBuiltinSegments(ctx.prisma, shop);
    await ctx.jobs.enqueue("refresh-segments", shop);
  }
  const [rows, total] = await Promise.all([
    ctx.prisma.segment.findMany({ where: { shop, deletingAt: null }, orderBy: [{ kind: "asc" }, { id: "asc" }] }),
    countAnalysisCustomers(ctx.prisma, shop, analysis.snapshotId),
  ]);
  const segments = rows.map((s): SegmentListRow => {
    return {
      id: s.id,
      name: s.name,
      label: segmentLabel(s),
      kind: s.kind === "builtin" ? "builtin" : "custom",
      handle: s.handle,
      members: s.memberCount,
      membersAsOf: s.membersAsOf?.toISOString() ?? null,
    };
  });
  const crossSell = analysis.document.analysis.products.crossSell.map(({ bought, boughtTitle, neverBought, neverBoughtTitle, audience, lift }) => ({ bought, boughtTitle, neverBought, neverBoughtTitle, audience, lift }));
  return { hasAnalysis: true, totalCustomers: total, segments, crossSell, analysisStatus };
}

/** The live count while editing: members, all customers, and a sample of members. */
export async function previewSegment(shop: string, ruleInput: unknown, now = appNow()): Promise<SegmentPreview> {
  const checked = validateRule(ruleInput);
  if (!checked.ok) return { status: "invalid", errors: checked.errors };
  const ctx = context();
  const analysis = await readCurrentAnalysis(ctx.prisma, shop);
  if (!analysis) return { status: "no-analysis" };
  const scope = { dialect: ctx.dialect, shop, snapshotId: analysis.snapshotId, now };
  const [preview, total] = await Promise.all([previewMembers(ctx.prisma, checked.rule, scope), countAnalysisCustomers(ctx.prisma, shop, analysis.snapshotId)]);
  return {
    status: "ok",
    members: preview.members,
    totalCustomers: total,
    sample: preview.sample.map((m) => ({
      customerShopifyId: m.customerShopifyId,
      name: [m.firstName, m.lastName].filter(Boolean).join(" ") || null,
      email: m.email,
      totalSpent: m.totalSpent,
    })),
  };
}

export interface SegmentEditor {
  hasAnalysis: boolean;
  tagPrefix: string;
  currencyCode: string | null;
  segment: {
    id: number | null;
    name: string;
    handle: string;
    description: string;
    controlGroupPercent: number;
    pushEnabled: boolean;
    kind: "builtin" | "custom";
    /** Built-ins: the translated name's key (and values), as on the list. */
    label: SegmentListRow["label"];
    handleLocked: boolean;
    rule: RuleGroup;
  };
}

async function editorBase(shop: string) {
  const ctx = context();
  const [analysis, settings, shopRow] = await Promise.all([
    readCurrentAnalysis(ctx.prisma, shop),
    readShopSettings(ctx.prisma, shop),
    ctx.prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } }),
  ]);
  return { hasAnalysis: analysis !== null, tagPrefix: settings.tagPrefix, currencyCode: shopRow?.currencyCode ?? null };
}

export async function newSegmentEditor(shop: string): Promise<SegmentEditor> {
  return {
    ...(await editorBase(shop)),
    segment: { id: null, name: "", handle: "", description: "", controlGroupPercent: 0, pushEnabled: false, kind: "custom", label: null, handleLocked: false, rule: everyoneRule() },
  };
}

export async function segmentEditor(shop: string, id: number): Promise<SegmentEditor> {
  const segment = await context().prisma.segment.findFirst({ where: { id, shop, deletingAt: null } });
  if (!segment) throw new SegmentNotFoundError();
  return {
    ...(await editorBase(shop)),
    segment: {
      id: segment.id,
      name: segment.name,
      handle: segment.handle,
      description: segment.description ?? "",
      controlGroupPercent: segment.controlGroupPercent,
      pushEnabled: segment.pushEnabled,
      kind: segment.kind === "builtin" ? "builtin" : "custom",
      label: segmentLabel(segment),
      handleLocked: segment.firstPushedAt !== null,
      rule: parseStoredRule(segment.rulesVersion, segment.rules) ?? everyoneRule(),
    },
  };
}

export type SaveSegmentResult = { ok: true; id: number } | { ok: false; errors: SegmentFormErrors };

const fieldError = (fields: SegmentFormErrors["fields"]): SaveSegmentResult => ({ ok: false, errors: { fields, rule: [] } });

async function uniquenessErrors(shop: string, values: Pick<SegmentFormValues, "name" | "handle">, exceptId: number | null): Promise<SegmentFormErrors["fields"]> {
  // Names compare without case ("VIP" and "vip" are one name to a merchant); a shop has few segments.
  const others = await context().prisma.segment.findMany({ where: { shop, id: exceptId === null ? undefined : { not: exceptId } }, select: { name: true, handle: true } });
  const fields: SegmentFormErrors["fields"] = {};
  if (others.some((o) => o.name.toLowerCase() === values.name.toLowerCase())) fields.name = "segments.error.nameTaken";
  if (others.some((o) => o.handle === values.handle)) fields.handle = "segments.error.handleTaken";
  return fields;
}

/** Creates a custom segment from the builder's form, and evaluates its members at once. */
export async function createSegment(shop: string, form: Record<string, unknown>): Promise<SaveSegmentResult> {
  const ctx = context();
  const { tagPrefix, hasAnalysis } = await editorBase(shop);
  const parsed = parseSegmentForm(form, tagPrefix);
  if (!parsed.ok) return parsed;
  if (!hasAnalysis) return fieldError({ rules: "segments.error.noAnalysis" });
  const taken = await uniquenessErrors(shop, parsed.values, null);
  if (Object.keys(taken).length > 0) return fieldError(taken);
  const v = parsed.values;
  const segment = await ctx.prisma.segment.create({
    data: { shop, kind: "custom", name: v.name, handle: v.handle, description: v.description, controlGroupPercent: v.controlGroupPercent, pushEnabled: v.pushEnabled, rules: serializeRule(v.rule), rulesVersion: RULES_VERSION },
  });
  await refreshSegmentMemberships(ctx, shop, { segmentIds: [segment.id] });
  return { ok: true, id: segment.id };
}

/** Saves an edit of a custom segment. Built-ins are read-only; the handle is fixed once pushed. */
export async function updateSegment(shop: string, id: number, form: Record<string, unknown>): Promise<SaveSegmentResult> {
  const ctx = context();
  const existing = await ctx.prisma.segment.findFirst({ where: { id, shop, deletingAt: null } });
  if (!existing) throw new SegmentNotFoundError();
  if (existing.kind === "builtin") return fieldError({ rules: "segments.error.builtinReadOnly" });
  const { tagPrefix } = await editorBase(shop);
  // Once pushed, the tag exists in Shopify under this handle: it stays.
  const input = existing.firstPushedAt ? { ...form, handle: existing.handle } : form;
  const parsed = parseSegmentForm(input, tagPrefix);
  if (!parsed.ok) return parsed;
  if (existing.firstPushedAt && typeof form.handle === "string" && form.handle.trim() !== "" && form.handle.trim() !== existing.handle) {
    return fieldError({ handle: "segments.error.handleLocked" });
  }
  const taken = await uniquenessErrors(shop, parsed.values, id);
  if (Object.keys(taken).length > 0) return fieldError(taken);
  const v = parsed.values;
  await ctx.prisma.segment.update({
    where: { id },
    data: { name: v.name, handle: v.handle, description: v.description, controlGroupPercent: v.controlGroupPercent, pushEnabled: v.pushEnabled, rules: serializeRule(v.rule), rulesVersion: RULES_VERSION },
  });
  if (existing.shopifySegmentId && existing.name !== v.name) await enqueueTagPush(ctx.jobs, shop, id, { mode: "sync-native" });
  await refreshSegmentMemberships(ctx, shop, { segmentIds: [id] });
  return { ok: true, id };
}

/** A free name/handle pair based on `name`: "X (copy)", "X (copy) 2", … */
async function freeNameAndHandle(shop: string, name: string): Promise<{ name: string; handle: string }> {
  const rows = await context().prisma.segment.findMany({ where: { shop }, select: { name: true, handle: true } });
  const names = new Set(rows.map((r) => r.name.toLowerCase()));
  const handles = new Set(rows.map((r) => r.handle));
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name} ${n}`;
    const handle = handleFromName(candidate);
    if (!names.has(candidate.toLowerCase()) && !handles.has(handle)) return { name: candidate.slice(0, 100), handle };
  }
}

/**
 * "Duplicate and edit": a custom copy of any segment (built-ins included). `copyName` is the
 * translated "X (copy)" of the source as the merchant sees it: a built-in by its translated label.
 */
export async function duplicateSegment(shop: string, id: number, copyName: (source: { name: string; label: SegmentLabel | null }) => string): Promise<number> {
  const ctx = context();
  const source = await ctx.prisma.segment.findFirst({ where: { id, shop, deletingAt: null } });
  if (!source) throw new SegmentNotFoundError();
  const { name, handle } = await freeNameAndHandle(shop, copyName({ name: source.name, label: segmentLabel(source) }));
  const copy = await ctx.prisma.segment.create({
    data: { shop, kind: "custom", name, handle, description: source.description, controlGroupPercent: source.controlGroupPercent, rules: source.rules, rulesVersion: source.rulesVersion },
  });
  await refreshSegmentMemberships(ctx, shop, { segmentIds: [copy.id] });
  return copy.id;
}

/**
 * Deletes a segment. One that was ever pushed is marked `deletingAt` and handed to the tag push
 * (which removes its tags when asked, then the row); one never pushed goes at once.
 */
export async function deleteSegment(shop: string, id: number, removeTags: boolean): Promise<{ deleted: "now" | "after-push" }> {
  const ctx = context();
  const segment = await ctx.prisma.segment.findFirst({ where: { id, shop, deletingAt: null } });
  if (!segment) throw new SegmentNotFoundError();
  if (segment.kind === "builtin") throw new SegmentNotFoundError();
  if (segment.firstPushedAt || segment.shopifySegmentId) {
    await ctx.prisma.segment.update({ where: { id }, data: { deletingAt: appNow(), pushEnabled: false } });
    await enqueueTagPush(ctx.jobs, shop, id, { mode: "delete", removeTags });
    return { deleted: "after-push" };
  }
  await ctx.prisma.segment.deleteMany({ where: { id, shop } });
  return { deleted: "now" };
}

/**
 * "Bought X, never bought Y" as a custom segment in one click (opened when it exists), named by
 * `name` from the two products' titles (the route's words, in the admin's language).
 */
export async function createCrossSellSegment(
  shop: string,
  bought: string,
  neverBought: string,
  name: (pair: { boughtTitle: string; neverBoughtTitle: string }) => string,
): Promise<number> {
  const ctx = context();
  const analysis = await readCurrentAnalysis(ctx.prisma, shop);
  const pair = analysis?.document.analysis.products.crossSell.find((p) => p.bought === bought && p.neverBought === neverBought);
  if (!pair) throw new SegmentNotFoundError();
  const rules = serializeRule(crossSellRule(pair.bought, pair.neverBought));
  const existing = await ctx.prisma.segment.findFirst({ where: { shop, kind: "custom", rules, deletingAt: null }, select: { id: true } });
  if (existing) return existing.id;
  const free = await freeNameAndHandle(shop, name(pair).slice(0, 90));
  const segment = await ctx.prisma.segment.create({ data: { shop, kind: "custom", name: free.name, handle: free.handle, rules, rulesVersion: RULES_VERSION } });
  await refreshSegmentMemberships(ctx, shop, { segmentIds: [segment.id] });
  return segment.id;
}

/** The segment of a recommended action (a built-in), created with the built-ins when missing. */
export async function segmentForAction(shop: string, actionId: string): Promise<number | null> {
  if (!Object.hasOwn(ACTION_SEGMENTS, actionId)) return null;
  const ctx = context();
  const builtinKey = ACTION_SEGMENTS[actionId as RecommendedActionId];
  const find = () => ctx.prisma.segment.findFirst({ where: { shop, kind: "builtin", builtinKey, deletingAt: null }, select: { id: true } });
  let segment = await find();
  if (!segment && (await readCurrentAnalysis(ctx.prisma, shop))) {
    await ensureBuiltinSegments(ctx.prisma, shop);
    segment = await find();
    if (segment) await refreshSegmentMemberships(ctx, shop, { segmentIds: [segment.id] });
  }
  return segment?.id ?? null;
}

