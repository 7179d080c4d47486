/**
 * The segment routes on SQLite and PostgreSQL: the list shows the built-ins after the first
 * analysis, with their member counts once the refresh-segments job it queued has run; the live preview counts and samples a rule and answers a
 * bad rule with errors by path (400, not 500); saving gives field errors for a bad form and a
 * taken name, and a valid one redirects to the segment's page with its members stored;
 * built-ins are read-only and duplicate into an editable copy; a recommended action opens its
 * segment; deleting a never-pushed segment removes it; another shop's segment is a 404.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { JOB_KINDS, type JobHandler, type JobKind, type JobQueue } from "~/sync/jobs/job-queue";
import { seedCurrentAnalysis } from "../db/seed-analysis";
import { TEST_DIALECTS } from "../db/test-database";
import { APP_URL, responseOf, startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { mintSessionToken } from "./session-token";

type ListRoute = typeof import("~/routes/app.segments._index");
type NewRoute = typeof import("~/routes/app.segments.new");
type EditRoute = typeof import("~/routes/app.segments.$id_.edit");
type PreviewRoute = typeof import("~/routes/app.segments.preview");
type ActionRoute = typeof import("~/routes/app.segments.from-action.$actionId");
type SegmentList = import("~/services/segments.server").SegmentList;
type SegmentPreview = import("~/services/segments.server").SegmentPreview;

const SHOP = "segments-shop.myshopify.com";
const OTHER_SHOP = "segments-other.myshopify.com";
const gid = (n: number) => `gid://shopify/Customer/${n}`;

const highChurn = JSON.stringify({ type: "group", match: "all", children: [{ type: "condition", field: "churnRisk", operator: "in", value: ["high"] }] });

describe.each(TEST_DIALECTS)("segment routes on %s", (dialect) => {
  let app: AppUnderTest;
  let list: ListRoute;
  let create: NewRoute;
  let edit: EditRoute;
  let preview: PreviewRoute;
  let fromAction: ActionRoute;

  const headers = (shop = SHOP) => ({ Authorization: `Bearer ${mintSessionToken({ shop })}` });
  const get = (path: string, shop = SHOP) => new Request(`${APP_URL}${path}`, { headers: headers(shop) });
  const post = (path: string, form: Record<string, string>, shop = SHOP) => new Request(`${APP_URL}${path}`, { method: "POST", headers: headers(shop), body: new URLSearchParams(form) });
  const locationOf = (response: unknown) => (response as Response).headers.get("location") ?? "";
  const jsonOf = async (response: unknown) => ({ status: (response as Response).status, body: await (response as Response).json() });

  beforeAll(async () => {
    app = await startAppUnderTest(dialect);
    list = await app.load<ListRoute>("~/routes/app.segments._index");
    create = await app.load<NewRoute>("~/routes/app.segments.new");
    edit = await app.load<EditRoute>("~/routes/app.segments.$id_.edit");
    preview = await app.load<PreviewRoute>("~/routes/app.segments.preview");
    fromAction = await app.load<ActionRoute>("~/routes/app.segments.from-action.$actionId");
    await app.storeOfflineSession(SHOP);
    await app.storeOfflineSession(OTHER_SHOP);
    await seedCurrentAnalysis(app.db.prisma, SHOP, [
      { customerShopifyId: gid(1), churnRisk: "high", lifecycleStage: "lost" },
      { customerShopifyId: gid(2), churnRisk: "high", lifecycleStage: "slipping-away" },
      { customerShopifyId: gid(3), churnRisk: "low", lifecycleStage: "active" },
      { customerShopifyId: gid(4), churnRisk: null, lifecycleStage: "new" },
    ]);
    await app.db.prisma.customer.update({ where: { shop_shopifyId: { shop: SHOP, shopifyId: gid(1) } }, data: { firstName: "Ada", lastName: "Lovelace" } });
  }, 120_000);
  afterAll(async () => app?.close());

  it("lists the built-ins after the first analysis at once, and their members once the refresh-segments job has run, never in the request", async () => {
    const first = (await list.loader({ request: get("/app/segments"), params: {}, context: {} })) as SegmentList;
    expect(first.hasAnalysis).toBe(true);
    expect(first.totalCustomers).toBe(4);
    // Listed, not yet computed: the request queued the job instead of refreshing every segment itself.
    expect(first.segments.find((s) => s.handle === "churn-high")).toMatchObject({ kind: "builtin", membersAsOf: null, label: { key: "segments.builtin.churn.high" } });
    expect(await app.db.prisma.segmentMembership.count({ where: { shop: SHOP } })).toBe(0);

    const { appContext } = await app.load<typeof import("~/services/sync.server")>("~/services/sync.server");
    const { refreshSegmentsJob } = await app.load<typeof import("~/jobs/handlers/refresh-segments")>("~/jobs/handlers/refresh-segments");
    const queue = appContext().jobs as JobQueue;
    const ran: JobKind[] = [];
    const refresh = refreshSegmentsJob({ context: appContext() });
    const handlers = Object.fromEntries(
      JOB_KINDS.map((kind): [JobKind, JobHandler] => [
        kind,
        async (job) => {
          ran.push(job.kind);
          if (kind === "refresh-segments") await refresh(job);
        },
      ]),
    ) as Record<JobKind, JobHandler>;
    await queue.startWorker(handlers);
    try {
      await vi.waitFor(async () => expect(await app.db.prisma.segment.count({ where: { shop: SHOP, kind: "builtin", membersAsOf: null } })).toBe(0), { timeout: 30_000, interval: 200 });
    } finally {
      await queue.stopWorker();
    }
    expect(ran).toEqual(["refresh-segments"]);
    const data = (await list.loader({ request: get("/app/segments"), params: {}, context: {} })) as SegmentList;
    expect(data.segments.find((s) => s.handle === "churn-high")).toMatchObject({ kind: "builtin", members: 2 });
    expect(data.segments.find((s) => s.handle === "lifecycle-new")?.members).toBe(1);
  }, 60_000);

  it("previews a rule: count, all customers and a sample; a bad rule gets its errors by path", async () => {
    const ok = await jsonOf(await preview.action({ request: post("/app/segments/preview", { rules: highChurn }), params: {}, context: {} }));
    expect(ok.status).toBe(200);
    const body = ok.body as Extract<SegmentPreview, { status: "ok" }>;
    expect(body).toMatchObject({ status: "ok", members: 2, totalCustomers: 4 });
    expect(body.sample.map((m) => m.customerShopifyId).sort()).toEqual([gid(1), gid(2)]);
    expect(body.sample.find((m) => m.customerShopifyId === gid(1))?.name).toBe("Ada Lovelace");

    const bad = JSON.stringify({ type: "group", match: "all", children: [{ type: "condition", field: "orderCount", operator: "gt", value: -1 }] });
    expect(await jsonOf(await preview.action({ request: post("/app/segments/preview", { rules: bad }), params: {}, context: {} }))).toEqual({
      status: 400,
      body: { status: "invalid", errors: [{ path: "children.0.value", key: "segmentRule.error.range" }] },
    });
    const garbage = await jsonOf(await preview.action({ request: post("/app/segments/preview", { rules: "{not json" }), params: {}, context: {} }));
    expect(garbage.status).toBe(400);
    // Another shop has no analysis: nothing of this shop leaks into its preview.
    expect((await jsonOf(await preview.action({ request: post("/app/segments/preview", { rules: highChurn }, OTHER_SHOP), params: {}, context: {} }))).body).toEqual({ status: "no-analysis" });
  });

  it("saves a valid segment with its members and redirects to its page; a bad form gets field errors and writes nothing", async () => {
    const invalid = await jsonOf(await create.action({ request: post("/app/segments/new", { name: "", handle: "Bad Handle", rules: highChurn }), params: {}, context: {} }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.fields).toEqual({ name: "segments.error.nameRequired", handle: "segments.error.handleFormat" });
    const before = await app.db.prisma.segment.count({ where: { shop: SHOP, kind: "custom" } });
    expect(before).toBe(0);

    const saved = await responseOf(() => create.action({ request: post("/app/segments/new", { name: "Win back", handle: "", rules: highChurn, controlGroupPercent: "0" }), params: {}, context: {} }));
    const segment = await app.db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, kind: "custom" } });
    expect(locationOf(saved)).toContain(`/app/segments/${segment.id}`);
    expect(segment).toMatchObject({ name: "Win back", handle: "win-back", memberCount: 2 });
    const members = await app.db.prisma.segmentMembership.findMany({ where: { segmentId: segment.id }, orderBy: { customerShopifyId: "asc" } });
    expect(members.map((m) => m.customerShopifyId)).toEqual([gid(1), gid(2)]);

    const taken = await jsonOf(await create.action({ request: post("/app/segments/new", { name: "win BACK", handle: "other", rules: highChurn }), params: {}, context: {} }));
    expect(taken.body.errors.fields).toEqual({ name: "segments.error.nameTaken" });
  });

  it("edits a custom segment, refreshing its members; keeps built-ins read-only; duplicates a built-in into an editable copy", async () => {
    const custom = await app.db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, handle: "win-back" } });
    const lost = JSON.stringify({ type: "group", match: "all", children: [{ type: "condition", field: "lifecycleStage", operator: "in", value: ["lost"] }] });
    const saved = await responseOf(() => edit.action({ request: post(`/app/segments/${custom.id}/edit`, { name: "Win back", handle: "win-back", rules: lost }), params: { id: String(custom.id) }, context: {} }));
    expect(locationOf(saved)).toContain(`/app/segments/${custom.id}`);
    expect((await app.db.prisma.segment.findUniqueOrThrow({ where: { id: custom.id } })).memberCount).toBe(1);

    const builtin = await app.db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, builtinKey: "churn:high" } });
    const refused = await jsonOf(await edit.action({ request: post(`/app/segments/${builtin.id}/edit`, { name: "Mine now", rules: lost }), params: { id: String(builtin.id) }, context: {} }));
    expect(refused).toMatchObject({ status: 400, body: { ok: false, errors: { fields: { rules: "segments.error.builtinReadOnly" } } } });
    expect((await app.db.prisma.segment.findUniqueOrThrow({ where: { id: builtin.id } })).rules).toBe(builtin.rules);

    const duplicated = await responseOf(() => edit.action({ request: post(`/app/segments/${builtin.id}/edit`, { intent: "duplicate", locale: "nl" }), params: { id: String(builtin.id) }, context: {} }));
    const copy = await app.db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, kind: "custom", rules: builtin.rules } });
    expect(locationOf(duplicated)).toContain(`/app/segments/${copy.id}/edit`);
    // Named after the built-in as the merchant reads it, in the admin's language.
    expect(copy).toMatchObject({ name: "Hoog verlooprisico (kopie)", memberCount: 2 });
  });

  it("opens the segment of a recommended action, and 404s an unknown one", async () => {
    const opened = await responseOf(() => fromAction.loader({ request: get("/app/segments/from-action/small-vip-segment"), params: { actionId: "small-vip-segment" }, context: {} }));
    const vip = await app.db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, builtinKey: "type:vip" } });
    expect(locationOf(opened)).toContain(`/app/segments/${vip.id}`);
    const unknown = await responseOf(() => fromAction.loader({ request: get("/app/segments/from-action/nope"), params: { actionId: "nope" }, context: {} }));
    expect((unknown as Response).status).toBe(404);
  });

  it("deletes a never-pushed segment at once; another shop's segment is a 404", async () => {
    const custom = await app.db.prisma.segment.findFirstOrThrow({ where: { shop: SHOP, handle: "win-back" } });
    const foreign = await responseOf(() => edit.loader({ request: get(`/app/segments/${custom.id}/edit`, OTHER_SHOP), params: { id: String(custom.id) }, context: {} }));
    expect((foreign as Response).status).toBe(404);
    const notANumber = await responseOf(() => edit.loader({ request: get(`/app/segments/x/edit`), params: { id: "x" }, context: {} }));
    expect((notANumber as Response).status).toBe(404);
    const deleted = await responseOf(() => edit.action({ request: post(`/app/segments/${custom.id}/edit`, { intent: "delete", removeTags: "true" }), params: { id: String(custom.id) }, context: {} }));
    expect(locationOf(deleted)).toContain("/app/segments");
    expect(await app.db.prisma.segment.count({ where: { id: custom.id } })).toBe(0);
  });

  it.runIf(dialect === "sqlite")("marks a pushed segment as deleting and hands it to the tag push with the merchant's choice", async () => {
    // The queued job is read from SQLite's Job table (pg-boss keeps its own tables).
    const pushed = await app.db.prisma.segment.create({ data: { shop: SHOP, handle: "pushed", name: "Pushed", rules: highChurn, firstPushedAt: new Date() } });
    await responseOf(() => edit.action({ request: post(`/app/segments/${pushed.id}/edit`, { intent: "delete", removeTags: "false" }), params: { id: String(pushed.id) }, context: {} }));
    expect((await app.db.prisma.segment.findUniqueOrThrow({ where: { id: pushed.id } })).deletingAt).not.toBeNull();
    const job = await app.db.prisma.job.findFirstOrThrow({ where: { shop: SHOP, kind: "push-tags" } });
    expect(JSON.parse(job.payload)).toEqual({ segmentId: pushed.id, mode: "delete", removeTags: false });
  });
});
