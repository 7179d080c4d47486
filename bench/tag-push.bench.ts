/**
 * Tag push at 100,000 members (issue 11 benchmark):
 * 1. the diff (members × Shopify's current tags × prefix × hold-out) — target ≤ 1 s;
 * 2. preparing the bulk-mutation JSONL and uploading it to the staged target (the simulator's
 *    staged-upload endpoint over loopback HTTP, stagedUploadsCreate included) — target ≤ 3 s.
 * Each is run `runs` times; prints min/median/max.
 *
 *   npx tsx bench/tag-push.bench.ts [members=100000] [runs=5]
 */
import { createAdminApiClient } from "../app/shopify/admin-api-client";
import { buildTagJsonl } from "../app/tag-push/push-runner.server";
import { stageBulkMutationVariables } from "../app/shopify/bulk-operation";
import { diffSegmentTags } from "../app/tag-push/tag-diff";
import { createShopifySimulator } from "../tools/shopify-sim/simulator";

const [membersArg = "100000", runsArg = "5"] = process.argv.slice(2);
const members = Number(membersArg);
const runs = Number(runsArg);
const gid = (n: number) => `gid://shopify/Customer/8${String(n).padStart(18, "0")}`;

// A realistic mix: 10 % hold-out, a third already tagged, a few thousand leavers, everyone
// with a handful of other tags (some with the app's prefix).
const memberRows = Array.from({ length: members }, (_, i) => ({ customerShopifyId: gid(i), isControl: i % 10 === 0 }));
const tags = new Map<string, string[]>();
for (let i = 0; i < members + 5_000; i++) {
  const own = i % 3 === 0 || i >= members ? ["ci-vip"] : [];
  tags.set(gid(i), ["newsletter", `ci-other-${i % 7}`, "Wholesale", ...own]);
}
const holders = [...tags.entries()].filter(([, t]) => t.includes("ci-vip")).map(([id]) => id);

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0].toFixed(0)} ms, median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`;
};

const diffTimes: number[] = [];
let joiners: string[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const diff = diffSegmentTags({ tag: "ci-vip", prefix: "ci-", members: memberRows, holders, tagsOf: (id) => tags.get(id) });
  diffTimes.push(performance.now() - t0);
  joiners = diff.joiners;
  if (r === 0) console.log(`diff: ${diff.joiners.length} joiners, ${diff.leavers.length} leavers, ${diff.heldOut} held out, ${diff.unchanged} unchanged`);
}
console.log(`diff of ${members} members: ${stats(diffTimes)}`);

const sim = await createShopifySimulator({ shops: [{ name: "bench", targetOrders: 1_000 }], mutationWebhooks: false });
const api = createAdminApiClient({ shop: sim.shops.bench.domain, accessToken: sim.shops.bench.accessToken, endpoint: sim.graphqlUrl("bench"), fetch: sim.fetch });
const uploadTimes: number[] = [];
const all = memberRows.map((m) => m.customerShopifyId);
let bytes = 0;
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const jsonl = buildTagJsonl(all, "ci-vip");
  const staged = await stageBulkMutationVariables(api, { name: "tags.jsonl", jsonl }, { fetch });
  if ("refused" in staged) throw new Error(staged.refused);
  uploadTimes.push(performance.now() - t0);
  bytes = Buffer.byteLength(jsonl);
}
console.log(`JSONL of ${all.length} lines (${(bytes / 1e6).toFixed(1)} MB) built and uploaded: ${stats(uploadTimes)} (joiners in the diff: ${joiners.length})`);
await sim.close();
