import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ConfirmedAction } from "~/components/confirmed-action";
import { segmentName } from "~/components/segment-name";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, Layout, Page } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { SegmentEditor } from "~/components/segment-editor";
import { useTranslation } from "~/i18n/i18n-context";
import { createTranslator, isLocale } from "~/i18n/translate";
import { deleteSegment, duplicateSegment, segmentEditor, SegmentNotFoundError, updateSegment } from "~/services/segments.server";
import { authenticate } from "~/shopify.server";
import { readFormFields } from "~/http/form-fields.server";

const segmentId = z.coerce.number().int().positive();

function parseId(raw: string | undefined): number {
  const parsed = segmentId.safeParse(raw);
  if (!parsed.success) throw json({ error: "segments.error.notFound" }, { status: 404 });
  return parsed.data;
}

async function orNotFound<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SegmentNotFoundError) throw json({ error: "segments.error.notFound" }, { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const id = parseId(params.id);
  return orNotFound(() => segmentEditor(session.shop, id));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, redirect } = await authenticate.admin(request);
  const id = parseId(params.id);
  const form: Record<string, unknown> = await readFormFields(request);
  if (form.intent === "delete") {
    await orNotFound(() => deleteSegment(session.shop, id, form.removeTags === "true"));
    return redirect("/app/segments");
  }
  if (form.intent === "duplicate") {
    const locale = typeof form.locale === "string" && isLocale(form.locale) ? form.locale : "en";
    const t = createTranslator(locale);
    const copy = await orNotFound(() => duplicateSegment(session.shop, id, (source) => t("segments.copyName", { name: segmentName(t, source) })));
    return redirect(`/app/segments/${copy}/edit`);
  }
  const result = await orNotFound(() => updateSegment(session.shop, id, form));
  if (!result.ok) return json(result, { status: 400 });
  return redirect(`/app/segments/${id}`);
}

export default function EditSegment() {
  const editor = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, locale } = useTranslation();
  const [removeTags, setRemoveTags] = useState(true);
  const builtin = editor.segment.kind === "builtin";
  const label = editor.segment.label;
  const title = label ? segmentName(t, { name: "", label }) : t("segments.builder.editTitle");
  return (
    <Page title={title} backAction={{ content: editor.segment.id ? title : t("segments.title"), url: editor.segment.id ? `/app/segments/${editor.segment.id}` : "/app/segments" }}>
      <BlockStack gap="400">
        <SegmentEditor editor={editor} errors={result && !result.ok ? result.errors : null} />
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Form method="post">
                  <input type="hidden" name="locale" value={locale} />
                  <input type="hidden" name="intent" value="duplicate" />
                  <Button submit>
                    {t("segments.action.duplicate")}
                  </Button>
                </Form>
                {builtin ? null : (
                  <div>
                    <ConfirmedAction
                      label={t("segments.action.delete")}
                      question={t("segments.action.deleteConfirm")}
                      consequence={t("segments.action.deleteConsequence")}
                      confirmLabel={t("segments.action.delete")}
                      fields={
                        <>
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="removeTags" value={removeTags ? "true" : "false"} />
                          <Checkbox label={t("segments.action.removeTags")} checked={removeTags} onChange={setRemoveTags} />
                        </>
                      }
                    />
                  </div>
                )}
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

// A deleted or unknown segment says so, with the way back to the list.
export { SegmentPageErrorBoundary as ErrorBoundary } from "~/components/segment-not-found";
