/**
 * The segment builder page body: name, handle, description, control group, automatic push, the
 * rule, and the live member count with a sample (debounced preview while editing).
 */
import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, InlineStack, Layout, List, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { figureFormat } from "~/components/figure-format";
import { segmentName } from "~/components/segment-name";
import { SegmentRuleBuilder, type RuleErrorMap } from "~/components/segment-rule-builder";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import type { RuleError, RuleGroup } from "~/segments/rule-tree";
import { handleFromName, segmentTag, type SegmentFormErrors } from "~/segments/segment-form";
import type { SegmentEditor as EditorData, SegmentPreview } from "~/services/segments.server";

const PREVIEW_DELAY_MS = 400;

export function toErrorMap(errors: RuleError[]): RuleErrorMap {
  return Object.fromEntries(errors.map((e) => [e.path, e.key]));
}

export function SegmentEditor({ editor, errors }: { editor: EditorData; errors: SegmentFormErrors | null }) {
  const { t, locale } = useTranslation();
  const format = figureFormat(locale, editor.currencyCode);
  const navigation = useNavigation();
  const segment = editor.segment;
  const readOnly = segment.kind === "builtin";
  // A built-in (read-only) shows its name in the admin's language, as the list does.
  const [name, setName] = useState(segmentName(t, segment));
  const [handle, setHandle] = useState(segment.handle);
  const [handleTouched, setHandleTouched] = useState(segment.id !== null);
  const [description, setDescription] = useState(segment.description);
  const [controlGroupPercent, setControlGroupPercent] = useState(String(segment.controlGroupPercent));
  const [pushEnabled, setPushEnabled] = useState(segment.pushEnabled);
  const [rule, setRule] = useState<RuleGroup>(segment.rule);
  const rulesJson = useMemo(() => JSON.stringify(rule), [rule]);
  const shownHandle = handleTouched ? handle : handleFromName(name);

  const preview = useFetcher<SegmentPreview>();
  useEffect(() => {
    if (!editor.hasAnalysis) return;
    const timer = setTimeout(() => preview.submit({ rules: rulesJson }, { method: "post", action: "/app/segments/preview" }), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
    // The fetcher object changes on every render; the rule and the analysis are what matter.
  }, [rulesJson, editor.hasAnalysis]);

  const previewErrors = preview.data?.status === "invalid" ? toErrorMap(preview.data.errors) : {};
  const ruleErrors = { ...previewErrors, ...toErrorMap(errors?.rule ?? []) };
  const fieldError = (field: keyof SegmentFormErrors["fields"]) => (errors?.fields[field] ? t(errors.fields[field] as TranslationKey) : undefined);

  return (
    <Form method="post" noValidate>
      <input type="hidden" name="rules" value={rulesJson} />
      <input type="hidden" name="pushEnabled" value={pushEnabled ? "true" : "false"} />
      <Layout>
        {readOnly ? (
          <Layout.Section>
            <Banner tone="info">{t("segments.builder.readOnly")}</Banner>
          </Layout.Section>
        ) : null}
        {errors?.fields.rules ? (
          <Layout.Section>
            <Banner tone="critical">{t(errors.fields.rules)}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <TextField label={t("segments.builder.name")} name="name" autoComplete="off" value={name} onChange={setName} error={fieldError("name")} disabled={readOnly} />
                <TextField
                  label={t("segments.builder.handle")}
                  name="handle"
                  autoComplete="off"
                  value={shownHandle}
                  onChange={(value) => {
                    setHandleTouched(true);
                    setHandle(value);
                  }}
                  disabled={readOnly || segment.handleLocked}
                  helpText={segment.handleLocked ? t("segments.builder.handleLocked") : t("segments.builder.handleHelp", { tag: segmentTag(editor.tagPrefix, shownHandle) })}
                  error={fieldError("handle")}
                />
                <TextField label={t("segments.builder.description")} name="description" autoComplete="off" multiline={2} value={description} onChange={setDescription} error={fieldError("description")} disabled={readOnly} />
                <TextField
                  label={t("segments.builder.controlGroup")}
                  name="controlGroupPercent"
                  type="number"
                  suffix="%"
                  autoComplete="off"
                  value={controlGroupPercent}
                  onChange={setControlGroupPercent}
                  error={fieldError("controlGroupPercent")}
                  disabled={readOnly}
                />
                <Checkbox label={t("segments.builder.pushEnabled")} checked={pushEnabled} onChange={setPushEnabled} disabled={readOnly} />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("segments.builder.rules")}
                </Text>
                <SegmentRuleBuilder rule={rule} onChange={setRule} errors={ruleErrors} readOnly={readOnly} />
              </BlockStack>
            </Card>
            {readOnly ? null : (
              <InlineStack align="end">
                <Button submit variant="primary" loading={navigation.state === "submitting"}>
                  {t("segments.builder.save")}
                </Button>
              </InlineStack>
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Box>
                <Text as="p" variant="headingLg" id="segment-live-count">
                  {!editor.hasAnalysis
                    ? t("segments.builder.noAnalysis")
                    : preview.data?.status === "ok"
                      ? t("segments.builder.count", {
                          members: preview.data.members,
                          total: preview.data.totalCustomers,
                          share: format.percent(preview.data.totalCustomers === 0 ? 0 : preview.data.members / preview.data.totalCustomers),
                        })
                      : preview.data?.status === "invalid"
                        ? t("segments.builder.invalid")
                        : t("segments.builder.counting")}
                </Text>
              </Box>
              {preview.data?.status === "ok" ? (
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    {t("segments.builder.sample")}
                  </Text>
                  {preview.data.sample.length === 0 ? (
                    <Text as="p" tone="subdued">
                      {t("segments.builder.sampleEmpty")}
                    </Text>
                  ) : (
                    <>
                      <Text as="p" variant="bodySm" tone="subdued">
                        {t("segments.builder.sampleOrder")}
                      </Text>
                      <List>
                        {preview.data.sample.map((m) => (
                          <List.Item key={m.customerShopifyId}>
                            {m.name ?? m.email ?? m.customerShopifyId.split("/").pop()} · {format.money(m.totalSpent)}
                          </List.Item>
                        ))}
                      </List>
                    </>
                  )}
                </BlockStack>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Form>
  );
}
