import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseSegmentId } from "~/segment-page/segment-page-query";
import { exportSegmentMembers, SegmentNotFoundError } from "~/services/segment-page.server";
import { authenticate } from "~/shopify.server";

/** The segment's members as a CSV download, streamed from the database page by page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const id = parseSegmentId(params.id);
  if (id === null) return new Response("segment not found", { status: 404 });
  try {
    const { fileName, body } = await exportSegmentMembers(session.shop, id);
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof SegmentNotFoundError) return new Response("segment not found", { status: 404 });
    throw error;
  }
}
