/**
 * Reading and updating the tags Shopify holds, as synced into `Customer.tags`, for a tag push.
 *
 * After Shopify confirms a tagsAdd/tagsRemove we apply the same change to the synced tags at
 * once, through the same rule the `customer.tags_added/removed` webhooks use
 * (customer-tag-events.ts). The webhooks our own push causes then arrive carrying a change that
 * is already there (adding a present tag or removing an absent one changes nothing), so they
 * cannot loop back into another push; and each tag remembers the time of its latest change, so a
 * late webhook from an earlier push cannot flip the tag back (no flapping after an undo).
 */
import type { Database } from "~/db.server";
import { applyTagChange, type TagChange, type TagEventLog } from "~/sync/records/customer-tag-events";
import { inList, likeContains, placeholder, type SqlDialect } from "~/sync/store/sql-dialect";

const CHUNK = 500;

/**
 * Customers of the shop whose synced tags hold `tag` (case-insensitive), with their tags. The
 * LIKE narrows on the JSON text; the exact comparison is made on the parsed list.
 */
export async function readTagHolders(prisma: Database, dialect: SqlDialect, shop: string, tag: string): Promise<Map<string, string[]>> {
  const pattern = likeContains(tag.toLowerCase());
  const rows = (await prisma.$queryRawUnsafe(
    `SELECT "shopifyId", "tags" FROM "Customer" WHERE "shop" = ${placeholder(dialect, 1)} AND "deletedAt" IS NULL AND LOWER("tags") LIKE ${placeholder(dialect, 2)} ESCAPE '\\'`,
    shop,
    pattern,
  )) as { shopifyId: string; tags: string }[];
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const tags = JSON.parse(row.tags) as string[];
    if (tags.some((t) => t.toLowerCase() === tag.toLowerCase())) out.set(row.shopifyId, tags);
  }
  return out;
}

/**
 * Whether any customer of the shop holds `tag` (case-insensitive, as Shopify compares tags): what
 * the push page's undo would remove. The tag rows' (shop, tag) index answers at once for the tag
 * as the app writes it (segmentTag lower-cases it); only when no customer holds it so are the
 * synced tags read for another case, as a whole JSON element (`"ci-vip"`, quotes included, so
 * "ci-vip-old" does not count): about 0.1 s at 289k customers on SQLite (bench/RESULTS.md).
 */
export async function anyTagHolder(prisma: Database, dialect: SqlDialect, shop: string, tag: string): Promise<boolean> {
  if (await prisma.customerTag.findFirst({ where: { shop, tag, customer: { deletedAt: null } }, select: { customerId: true } })) return true;
  const element = likeContains(JSON.stringify(tag.toLowerCase()));
  const rows = (await prisma.$queryRawUnsafe(
    `SELECT 1 AS "held" FROM "Customer" WHERE "shop" = ${placeholder(dialect, 1)} AND "deletedAt" IS NULL AND LOWER("tags") LIKE ${placeholder(dialect, 2)} ESCAPE '\\' LIMIT 1`,
    shop,
    element,
  )) as unknown[];
  return rows.length > 0;
}

/** Among `ids` only: the customers whose synced tags hold `tag` (case-insensitive), with their tags. */
export async function readTagHoldersAmong(prisma: Database, shop: string, tag: string, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const wanted = tag.toLowerCase();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await prisma.customer.findMany({ where: { shop, deletedAt: null, shopifyId: { in: ids.slice(i, i + CHUNK) } }, select: { shopifyId: true, tags: true } });
    for (const row of rows) {
      const tags = JSON.parse(row.tags) as string[];
      if (tags.some((t) => t.toLowerCase() === wanted)) out.set(row.shopifyId, tags);
    }
  }
  return out;
}

/** Applies one tag change (confirmed by Shopify at `at`) to the synced tags of many customers. */
export async function applySyncedTagChange(
  prisma: Database,
  dialect: SqlDialect,
  shop: string,
  ids: readonly string[],
  change: Omit<TagChange, "at"> & { at: Date },
): Promise<void> {
  const asOf = dialect === "sqlite" ? `"tagsAsOf"` : `to_char("tagsAsOf", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await prisma.$transaction(async (tx) => {
      const rows = (await tx.$queryRawUnsafe(
        `SELECT "shopifyId", "tags", ${asOf} AS "tagsAsOf", "tagEvents" FROM "Customer" WHERE "shop" = ${placeholder(dialect, 1)} AND "shopifyId" IN (${inList(dialect, chunk.length, 1)})`,
        shop,
        ...chunk,
      )) as { shopifyId: string; tags: string; tagsAsOf: string | null; tagEvents: string }[];
      const updates = rows.map((row) => {
        const next = applyTagChange(
          { tags: JSON.parse(row.tags) as string[], tagsAsOf: row.tagsAsOf ? new Date(row.tagsAsOf) : null, events: JSON.parse(row.tagEvents) as TagEventLog },
          change,
        );
        return [row.shopifyId, JSON.stringify(next.tags), JSON.stringify(next.events)];
      });
      if (updates.length === 0) return;
      if (dialect === "postgresql") {
        // One statement per chunk: a round trip per row is what a 50k push would wait on.
        await tx.$executeRawUnsafe(
          `UPDATE "Customer" AS c SET "tags" = v."tags", "tagEvents" = v."tagEvents"
             FROM (VALUES ${updates.map((_, i) => `($${3 * i + 2}, $${3 * i + 3}, $${3 * i + 4})`).join(", ")}) AS v("shopifyId", "tags", "tagEvents")
            WHERE c."shop" = $1 AND c."shopifyId" = v."shopifyId"`,
          shop,
          ...updates.flat(),
        );
        return;
      }
      for (const [id, tags, events] of updates) {
        await tx.$executeRawUnsafe(`UPDATE "Customer" SET "tags" = ?, "tagEvents" = ? WHERE "shop" = ? AND "shopifyId" = ?`, tags, events, shop, id);
      }
    });
  }
}
