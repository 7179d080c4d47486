import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { SegmentEditor } from "~/components/segment-editor";
import { useTranslation } from "~/i18n/i18n-context";
import { createSegment, newSegmentEditor } from "~/services/segments.server";
import { authenticate } from "~/shopify.server";
import { readFormFields } from "~/http/form-fields.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  return newSegmentEditor(session.shop);
}

export async function action({ request }: ActionFunctionArgs) {
  const { session, redirect } = await authenticate.admin(request);
  // A body that is not a form is an empty form: field errors, not a 500.
  const form = await readFormFields(request);
  const result = await createSegment(session.shop, form);
  if (!result.ok) return json(result, { status: 400 });
  return redirect(`/app/segments/${result.id}`);
}

export default function NewSegment() {
  const editor = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <Page title={t("segments.builder.newTitle")} backAction={{ content: t("segments.title"), url: "/app/segments" }}>
      <SegmentEditor editor={editor} errors={result && !result.ok ? result.errors : null} />
    </Page>
  );
}
