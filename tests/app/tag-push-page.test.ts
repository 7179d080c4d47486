/**
 * The push page's loader and action (app/routes/app.segments.$id_.push.tsx) on both databases:
 * scoped to the session's shop (another shop's segment is a 404), a dry run that sends nothing,
 * the control group share with a field error outside 0–50 (nothing written), and "Push now"
 * queueing one push-tags job for the segment with who started it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isControlMember } from "~/segments/hold-out";
import { RULES_VERSION } from "~/segments/rule-tree";
import { seedCurrentAnalysis } from "../db/seed-analysis";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type PushModule = typeof import("~/routes/app.segments.$id_.push");

const SHOP = "push-page.myshopify.com";
const OTHER_SHOP = "other-push-page.myshopify.com";
const HOLD_OUT_SHOP = "push-page-hold-out.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;

describe.each(TEST_DIALECTS)("push page on %s", (dialect) => {
  let app: AppUnderTest;
  let route: PushModule;
  let segmentId: number;

  const request = (shop: string, id: number, form?: Record<string, string>) =>
    new Request(`${APP_URL}/app/segments/${id}/push`, {
      method: form ? "POST" : "GET",
      headers: { Authorization: `Bearer ${mintSessionToken({ shop })}` },
      body: form ? new URLSearchParams(form) : undefined,
    });
  const submit = async (shop: string, id: number, form: Record<string, string>) => {
    const response = (await responseOf(() => route.action({ request: request(shop, id, form), params: { id: String(id) }, context: {} }))) as Response;
    return { status: response.status, data: await response.json() };
  };
  const load = async (shop: string, id: number) => responseOf(() => route.loader({ request: request(shop, id), params: { id: String(id) }, context: {} }));

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    route = await app.load<PushModule>("~/routes/app.segments.$id_.push");
    await app.storeOfflineSession(SHOP);
    await app.storeOfflineSession(OTHER_SHOP);
    const prisma = app.db.prisma;
    await prisma.shop.create({ data: { shop: SHOP, ianaTimezone: "America/Chicago" } });
    await prisma.customer.createMany({
      data: [
        { shop: SHOP, shopifyId: gid(1), firstName: "Anne", lastName: "de Vries", tags: "[]" },
        { shop: SHOP, shopifyId: gid(2), firstName: "Søren", tags: JSON.stringify(["ci-loyal"]) },
        { shop: SHOP, shopifyId: gid(3), firstName: "Karin", tags: JSON.stringify(["CI-LOYAL", "vip"]) },
        { shop: SHOP, shopifyId: gid(4), firstName: "Jens", tags: "[]" },
      ],
    });
    const segment = await prisma.segment.create({ data: { shop: SHOP, handle: "loyal", name: "Trouwe klanten", memberCount: 3, controlCount: 1 } });
    segmentId = segment.id;
    await prisma.segmentMembership.createMany({
      data: [
        { shop: SHOP, segmentId, customerShopifyId: gid(1), isControl: false },
        { shop: SHOP, segmentId, customerShopifyId: gid(2), isControl: false },
        { shop: SHOP, segmentId, customerShopifyId: gid(4), isControl: true },
      ],
    });
    // As the refresh records them: each member's join, with the hold-out status it joined with.
    const members = await prisma.segmentMembership.findMany({ where: { segmentId }, select: { shop: true, segmentId: true, customerShopifyId: true, isControl: true } });
    await prisma.segmentMembershipChange.createMany({ data: members.map((m) => ({ ...m, joined: true, at: new Date("2026-09-01T00:00:00Z") })) });
  }, 60_000);
  afterAll(async () => app?.close());

  it("shows the segment's tag and an empty history", async () => {
    const page = (await load(SHOP, segmentId)) as Awaited<ReturnType<PushModule["loader"]>>;
    expect(page).toMatchObject({ tag: "ci-loyal", running: null, history: [], nativeSegmentUrl: null, lift: { state: "no-hold-out" } });
    // The pushes' times are stated in the shop's zone: the same text on the server and in the browser.
    expect(page.timeZone).toBe("America/Chicago");
  });

  it("answers 404 for another shop's segment, and for an id that is not one", async () => {
    expect(((await load(OTHER_SHOP, segmentId)) as Response).status).toBe(404);
    expect(((await load(SHOP, Number.NaN)) as Response).status).toBe(404);
    expect(((await responseOf(() => route.action({ request: request(OTHER_SHOP, segmentId, { intent: "push" }), params: { id: String(segmentId) }, context: {} }))) as Response).status).toBe(404);
  });

  it("a dry run counts joiners, leavers and hold-outs with names, and sends nothing", async () => {
    const { status, data } = await submit(SHOP, segmentId, { intent: "dry-run" });
    expect(status).toBe(200);
    expect(data.dryRun).toMatchObject({ tag: "ci-loyal", joiners: 1, leavers: 1, unchanged: 1, heldOut: 1, overLimit: 0 });
    expect(data.dryRun.joinerSample).toEqual([{ id: gid(1), name: "Anne de Vries" }]);
    expect(data.dryRun.leaverSample).toEqual([{ id: gid(3), name: "Karin" }]);
    expect(await app.db.prisma.tagPush.count()).toBe(0);
  });

  it.each(["51", "-1", "abc", "", "1e3"])("refuses a control group share of %j with a field error and writes nothing", async (value) => {
    const { status, data } = await submit(SHOP, segmentId, { intent: "settings", controlGroupPercent: value, pushEnabled: "on" });
    expect(status).toBe(400);
    expect(data.errors).toEqual({ controlGroupPercent: "tagPush.error.controlGroupPercent" });
    expect(await app.db.prisma.segment.findUniqueOrThrow({ where: { id: segmentId } })).toMatchObject({ controlGroupPercent: 0, pushEnabled: false });
  });

  it("saves the share (a decimal comma is fine) and the automatic re-push", async () => {
    const { status } = await submit(SHOP, segmentId, { intent: "settings", controlGroupPercent: "12,5", pushEnabled: "on" });
    expect(status).toBe(200);
    expect(await app.db.prisma.segment.findUniqueOrThrow({ where: { id: segmentId } })).toMatchObject({ controlGroupPercent: 12.5, pushEnabled: true });
  });

  it.runIf(dialect === "sqlite")("Push now queues one push-tags job for the segment, with who started it", async () => {
    const { data } = await submit(SHOP, segmentId, { intent: "push" });
    expect(data).toEqual({ status: "queued", mode: "push" });
    await submit(SHOP, segmentId, { intent: "push" });
    const jobs = await app.db.prisma.job.findMany({ where: { kind: "push-tags", shop: SHOP } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0].key).toBe(`segment-${segmentId}`);
    expect(JSON.parse(jobs[0].payload)).toMatchObject({ segmentId, mode: "push", startedBy: expect.stringMatching(/^staff /) });
  });

  it("a new control group share holds its members out at once: the dry run right after the save counts them, and the push would not tag them", async () => {
    await app.storeOfflineSession(HOLD_OUT_SHOP);
    const customers = Array.from({ length: 60 }, (_, i) => gid(500 + i));
    await seedCurrentAnalysis(app.db.prisma, HOLD_OUT_SHOP, customers.map((customerShopifyId) => ({ customerShopifyId, orderCount: 2 })));
    const rules = JSON.stringify({ type: "group", match: "all", children: [{ type: "condition", field: "orderCount", operator: "gte", value: 1 }] });
    const segment = await app.db.prisma.segment.create({ data: { shop: HOLD_OUT_SHOP, kind: "custom", handle: "everyone", name: "Everyone", rules, rulesVersion: RULES_VERSION } });
    const { refreshSegmentMemberships } = await app.load<typeof import("~/segments/refresh-memberships.server")>("~/segments/refresh-memberships.server");
    const { appContext } = await app.load<typeof import("~/services/sync.server")>("~/services/sync.server");
    await refreshSegmentMemberships(appContext(), HOLD_OUT_SHOP, { segmentIds: [segment.id] });
    const before = await submit(HOLD_OUT_SHOP, segment.id, { intent: "dry-run" });
    expect(before.data.dryRun).toMatchObject({ joiners: 60, heldOut: 0 });

    expect((await submit(HOLD_OUT_SHOP, segment.id, { intent: "settings", controlGroupPercent: "30" })).status).toBe(200);
    const held = customers.filter((id) => isControlMember(segment.id, id, 30));
    expect(held.length).toBeGreaterThan(0);
    const after = await submit(HOLD_OUT_SHOP, segment.id, { intent: "dry-run" });
    expect(after.data.dryRun).toMatchObject({ joiners: 60 - held.length, heldOut: held.length });
    const controls = await app.db.prisma.segmentMembership.findMany({ where: { segmentId: segment.id, isControl: true }, select: { customerShopifyId: true } });
    expect(controls.map((m) => m.customerShopifyId).sort()).toEqual([...held].sort());
  });

  it("after the first push the lift report names the moment its groups were fixed: when that push started", async () => {
    const prisma = app.db.prisma;
    const started = new Date("2026-10-01T09:00:00Z");
    const finished = new Date("2026-10-01T09:05:00Z");
    await prisma.tagPush.create({ data: { shop: SHOP, segmentId, tag: "ci-loyal", status: "completed", startedAt: started, finishedAt: finished } });
    await prisma.segment.update({ where: { id: segmentId }, data: { firstPushedAt: finished } });
    const page = (await load(SHOP, segmentId)) as Awaited<ReturnType<PushModule["loader"]>>;
    expect(page.lift).toMatchObject({ since: finished.toISOString(), membersAt: started.toISOString() });
  });
});
