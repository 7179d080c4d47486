/**
 * The segments one customer is a member of, as stored by the last membership refresh: what the
 * app's customer page and the admin's customer card list. One query, scoped to the shop; a
 * segment being deleted is left out.
 */
import type { Database } from "~/db.server";
import { segmentLabel, type SegmentLabel } from "./builtin-segments";

export interface CustomerSegment {
  id: number;
  /** The stored name; show it through segmentName (built-ins in the admin's language). */
  name: string;
  label: SegmentLabel | null;
  /** Held out of the tag push as a control group. */
  isControl: boolean;
  joinedAt: Date;
}

export async function segmentsOfCustomer(prisma: Database, shop: string, customerShopifyId: string): Promise<CustomerSegment[]> {
  const memberships = await prisma.segmentMembership.findMany({
    where: { shop, customerShopifyId, segment: { shop, deletingAt: null } },
    select: { isControl: true, joinedAt: true, segment: { select: { id: true, name: true, kind: true, builtinKey: true } } },
    orderBy: { segment: { name: "asc" } },
  });
  return memberships.map((m) => ({ id: m.segment.id, name: m.segment.name, label: segmentLabel(m.segment), isControl: m.isControl, joinedAt: m.joinedAt }));
}
