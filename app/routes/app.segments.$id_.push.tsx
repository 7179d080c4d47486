import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { segmentName } from "~/components/segment-name";
import { ConfirmedAction } from "~/components/confirmed-action";
import { progressPercent } from "~/components/progress-percent";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, DataTable, InlineStack, Layout, Link, List, Page, ProgressBar, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { figureFormat } from "~/components/figure-format";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import { handleTagPushAction, getTagPushPage, SegmentNotFoundError, type PushRow } from "~/services/tag-push.server";
import { authenticate } from "~/shopify.server";
import { liftTableRows } from "~/components/lift-table-rows";
import { readFormFields } from "~/http/form-fields.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  try {
    return await getTagPushPage(session.shop, Number(params.id));
  } catch (error) {
    if (error instanceof SegmentNotFoundError) throw json({ error: "segments.error.notFound" }, { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { session, sessionToken } = await authenticate.admin(request);
  // A body that is not a form is an empty form: a field error, not a 500.
  const form = await readFormFields(request);
  try {
    const result = await handleTagPushAction(session.shop, Number(params.id), form, { session, userId: sessionToken?.sub ?? null });
    return json(result, { status: result.status === "invalid" ? 400 : 200 });
  } catch (error) {
    if (error instanceof SegmentNotFoundError) throw json({ error: "segments.error.notFound" }, { status: 404 });
    throw error;
  }
}

export default function SegmentPush() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useTranslation();
  const format = figureFormat(locale, page.currencyCode);
  const busy = navigation.state !== "idle";

  // While a push runs, look again every 1.5 s: the bar moves without a reload.
  const revalidator = useRevalidator();
  const running = page.running !== null || result?.status === "queued";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1_500);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  const [pushEnabled, setPushEnabled] = useState(page.segment.pushEnabled);
  const [percent, setPercent] = useState(String(page.segment.controlGroupPercent));
  const dryRun = result?.status === "dry-run" ? result.dryRun : null;
  const percentError = result?.status === "invalid" ? result.errors.controlGroupPercent : undefined;
  const formatDateTime = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: page.timeZone }).format(new Date(iso));

  return (
    <Page title={t("tagPush.title", { name: segmentName(t, page.segment) })} backAction={{ content: segmentName(t, page.segment), url: `/app/segments/${page.segment.id}` }}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("tagPush.tag.heading")}</Text>
              {page.tag ? (
                <InlineStack gap="200" blockAlign="center">
                  <Badge>{page.tag}</Badge>
                  <Text as="span" tone="subdued">{t("tagPush.tag.help", { members: page.segment.memberCount, held: page.segment.controlCount })}</Text>
                </InlineStack>
              ) : (
                <Banner tone="critical">{t(`tagPush.tag.problem.${page.tagProblem}` as TranslationKey)}</Banner>
              )}
              {page.nativeSegmentUrl ? (
                <Link url={page.nativeSegmentUrl} target="_blank">{t("tagPush.native.link")}</Link>
              ) : (
                <Text as="p" tone="subdued">{t("tagPush.native.none")}</Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        {page.running ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">{t(page.running.mode === "undo" ? "tagPush.progress.undoHeading" : "tagPush.progress.heading")}</Text>
                <ProgressBar progress={progressPercent(page.running.done, page.running.total) ?? 0} tone="primary" />
                <Text as="p" data-testid="push-progress">{t("tagPush.progress.done", { done: format.count(page.running.done), total: format.count(page.running.total) })}</Text>
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("tagPush.dryRun.heading")}</Text>
              <Text as="p" tone="subdued">{t("tagPush.dryRun.help")}</Text>
              {result?.status === "queued" ? <Banner tone="success">{t(result.mode === "undo" ? "tagPush.undo.queued" : "tagPush.push.queued")}</Banner> : null}
              {dryRun ? (
                <BlockStack gap="200">
                  <List>
                    <List.Item>{t("tagPush.dryRun.joiners", { count: dryRun.joiners })}</List.Item>
                    <List.Item>{t("tagPush.dryRun.leavers", { count: dryRun.leavers })}</List.Item>
                    <List.Item>{t("tagPush.dryRun.unchanged", { count: dryRun.unchanged })}</List.Item>
                    <List.Item>{t("tagPush.dryRun.heldOut", { count: dryRun.heldOut })}</List.Item>
                    <List.Item>{t("tagPush.dryRun.overLimit", { count: dryRun.overLimit })}</List.Item>
                  </List>
                  {dryRun.joinerSample.length ? <Text as="p">{t("tagPush.dryRun.joinerSample", { names: dryRun.joinerSample.map((c) => c.name).join(", ") })}</Text> : null}
                  {dryRun.leaverSample.length ? <Text as="p">{t("tagPush.dryRun.leaverSample", { names: dryRun.leaverSample.map((c) => c.name).join(", ") })}</Text> : null}
                </BlockStack>
              ) : null}
              <InlineStack gap="200">
                <Form method="post">
                  <input type="hidden" name="intent" value="dry-run" />
                  <Button submit disabled={busy || !page.tag}>{t("tagPush.dryRun.button")}</Button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="push" />
                  <Button submit variant="primary" disabled={busy || !page.tag || page.running !== null}>{t("tagPush.push.button")}</Button>
                </Form>
                <ConfirmedAction
                  label={t("tagPush.undo.button")}
                  question={t("tagPush.undo.question", { tag: page.tag ?? "" })}
                  consequence={t("tagPush.undo.consequence")}
                  confirmLabel={t("tagPush.undo.confirm")}
                  disabled={busy || !page.tag || page.running !== null || !page.tagHeld}
                  fields={<input type="hidden" name="intent" value="undo" />}
                />
              </InlineStack>
              {page.tag && !page.tagHeld && page.running === null ? (
                <Text as="p" tone="subdued">
                  {t("tagPush.undo.nothingHeld", { tag: page.tag })}
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <Form method="post" noValidate>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t("tagPush.settings.heading")}</Text>
                <input type="hidden" name="intent" value="settings" />
                <Checkbox label={t("tagPush.settings.pushEnabled")} helpText={t("tagPush.settings.pushEnabledHelp")} checked={pushEnabled} onChange={setPushEnabled} name="pushEnabled" />
                {pushEnabled ? <input type="hidden" name="pushEnabled" value="on" /> : null}
                <TextField
                  label={t("tagPush.settings.controlGroupPercent")}
                  helpText={t("tagPush.settings.controlGroupPercentHelp")}
                  name="controlGroupPercent"
                  value={percent}
                  onChange={setPercent}
                  autoComplete="off"
                  suffix="%"
                  error={percentError ? t(percentError) : undefined}
                />
                {result?.status === "saved" ? <Banner tone="success">{t("tagPush.settings.saved")}</Banner> : null}
                <InlineStack>
                  <Button submit disabled={busy}>{t("tagPush.settings.save")}</Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("tagPush.lift.heading")}</Text>
              <Text as="p" tone="subdued">{t("tagPush.lift.definition")}</Text>
              {page.lift.membersAt && <Text as="p" data-testid="lift-members-at">{t("tagPush.lift.membersAt", { date: formatDateTime(page.lift.membersAt) })}</Text>}
              {page.lift.state === "measured" ? (
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric", "numeric", "text", "text"]}
                  headings={[t("tagPush.lift.metric"), t("tagPush.lift.tagged", { count: format.count(page.lift.tagged) }), t("tagPush.lift.holdOut", { count: format.count(page.lift.holdOut) }), t("tagPush.lift.difference"), t("tagPush.lift.interval"), t("tagPush.lift.verdict")]}
                  rows={liftTableRows(page.lift, format, t)}
                />
              ) : (
                <Text as="p">{t(`tagPush.lift.state.${page.lift.state}` as TranslationKey)}</Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("tagPush.history.heading")}</Text>
              {page.history.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "numeric", "numeric", "numeric", "text"]}
                  headings={[t("tagPush.history.when"), t("tagPush.history.startedBy"), t("tagPush.history.kind"), t("tagPush.history.status"), t("tagPush.history.added"), t("tagPush.history.removed"), t("tagPush.history.failed"), t("tagPush.history.errors")]}
                  rows={page.history.map((row: PushRow) => [
                    formatDateTime(row.startedAt),
                    row.startedBy === "automatic" ? t("tagPush.history.automatic") : (row.startedBy ?? "—"),
                    t(row.mode === "undo" ? "tagPush.history.kind.undo" : "tagPush.history.kind.push"),
                    t(`tagPush.history.status.${row.status}` as TranslationKey),
                    format.count(row.added),
                    format.count(row.removed),
                    format.count(row.failed),
                    [row.error, ...row.errors.slice(0, 3).map((e) => `${e.customerShopifyId.split("/").pop()}: ${e.message}`), row.overTagLimit ? t("tagPush.history.overLimit", { count: row.overTagLimit }) : null]
                      .filter(Boolean)
                      .join("; ") || "—",
                  ])}
                />
              ) : (
                <Text as="p" tone="subdued">{t("tagPush.history.empty")}</Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

// A deleted or unknown segment says so, with the way back to the list.
export { SegmentPageErrorBoundary as ErrorBoundary } from "~/components/segment-not-found";
