import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { AnalysisStatusBanner } from "~/components/analysis-status-banner";
import { useTranslation } from "~/i18n/i18n-context";
import type { TranslationKey } from "~/i18n/translate";
import { getSettingsPage, saveShopSettings } from "~/services/settings.server";
import {
  formValuesInLocale,
  parseSettingsForm,
  REVENUE_BASES,
  settingsToFormValues,
  type SettingsField,
  type SettingsFieldErrors,
  type SettingsFormValues,
} from "~/settings/schema";
import { authenticate } from "~/shopify.server";
import { readFormFields } from "~/http/form-fields.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { session } = await authenticate.admin(request);
  const { settings, analysisStatus, currencyCode } = await getSettingsPage(session.shop);
  return { values: settingsToFormValues(settings), analysisStatus, currencyCode };
}

type ActionResult =
  /** `recalculating`: the change affects figures, and their recompute was queued. */
  | { status: "saved"; values: SettingsFormValues; errors: SettingsFieldErrors; recalculating: boolean }
  | { status: "invalid"; values: SettingsFormValues; errors: SettingsFieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  const { session } = await authenticate.admin(request);
  // A body that is not a form (JSON, garbage) is an empty form: field errors, not a 500.
  const fields = await readFormFields(request);
  const parsed = parseSettingsForm(fields);
  if (!parsed.ok) {
    // All or nothing: one bad field means nothing is written.
    return json<ActionResult>({ status: "invalid", values: parsed.values, errors: parsed.errors }, { status: 400 });
  }
  const saved = await saveShopSettings(session.shop, parsed.settings);
  return json<ActionResult>({ status: "saved", values: settingsToFormValues(saved.settings), errors: {}, recalculating: saved.recalculating });
}

export default function Settings() {
  const { values: storedValues, analysisStatus, currencyCode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useTranslation();
  const [values, setValues] = useState<SettingsFormValues>(() => formValuesInLocale(storedValues, locale));
  // What the last save did, kept while the page looks again for the new figures (a revalidation
  // clears the action's data).
  const [saved, setSaved] = useState<{ recalculating: boolean } | null>(null);

  // After a save, show the values as stored (e.g. "0012.50" becomes "12.50").
  useEffect(() => {
    if (result?.status === "saved") {
      setValues(formValuesInLocale(result.values, locale));
      setSaved({ recalculating: result.recalculating });
    } else if (result?.status === "invalid") setSaved(null);
  }, [result, locale]);
  // A save that changed figures: "being recalculated" until they are stored, then "recalculated";
  // a failed recompute is the status banner's to say. While the loader reloads after the save,
  // its status is still the one from before it.
  const savedMessage =
    !saved?.recalculating || analysisStatus.lastFailure
      ? "settings.saved"
      : analysisStatus.recalculating || navigation.state !== "idle"
        ? "settings.savedRecalculating"
        : "settings.savedRecalculated";

  const errors: SettingsFieldErrors = result?.status === "invalid" ? result.errors : {};
  const field = (name: SettingsField) => ({
    name,
    value: values[name],
    onChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
    error: errors[name] ? t(errors[name] as TranslationKey) : undefined,
    label: t(`settings.field.${name}.label` as TranslationKey),
    helpText: t(`settings.field.${name}.help` as TranslationKey),
    autoComplete: "off",
  });

  return (
    <Page title={t("settings.title")}>
      <Form method="post" noValidate>
        <Layout>
          {saved ? (
            <Layout.Section>
              <Banner tone="success">{t(savedMessage)}</Banner>
            </Layout.Section>
          ) : null}
          {saved?.recalculating ? <AnalysisStatusBanner status={analysisStatus} quietWhileRecalculating /> : null}
          {result?.status === "invalid" ? (
            <Layout.Section>
              <Banner tone="critical">{t("settings.invalid")}</Banner>
            </Layout.Section>
          ) : null}
          <SettingsSection title={t("settings.section.tags.title")} description={t("settings.section.tags.description")}>
            <TextField {...field("tagPrefix")} />
          </SettingsSection>
          <SettingsSection
            title={t("settings.section.lifecycle.title")}
            description={t("settings.section.lifecycle.description")}
          >
            <TextField {...field("vipSharePercent")} inputMode="decimal" />
            <FormLayout.Group>
              <TextField {...field("lifecycleActiveFactor")} inputMode="decimal" />
              <TextField {...field("lifecycleLostFactor")} inputMode="decimal" />
            </FormLayout.Group>
            <TextField {...field("newCustomerDays")} inputMode="numeric" />
          </SettingsSection>
          <SettingsSection
            title={t("settings.section.revenue.title")}
            description={t("settings.section.revenue.description")}
          >
            <TextField {...field("monthlyMarketingSpend")} inputMode="decimal" suffix={currencyCode ?? undefined} />
            <Select
              name="revenueBasis"
              label={t("settings.field.revenueBasis.label")}
              helpText={t("settings.field.revenueBasis.help")}
              options={REVENUE_BASES.map((basis) => ({
                value: basis,
                label: t(`settings.revenueBasis.${basis}` as TranslationKey),
              }))}
              value={values.revenueBasis}
              onChange={(value) => setValues((current) => ({ ...current, revenueBasis: value }))}
              error={errors.revenueBasis ? t(errors.revenueBasis) : undefined}
            />
          </SettingsSection>
          <Layout.Section>
            {/* Bottom right, as the segment editor's save and Polaris's page actions. */}
            <InlineStack align="end">
              <Button submit variant="primary" loading={navigation.state === "submitting"}>
                {t("settings.save")}
              </Button>
            </InlineStack>
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}

function SettingsSection({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: React.ReactNode;
}) {
  return (
    <Layout.AnnotatedSection title={title} description={description}>
      <Card>
        <BlockStack gap="300">
          <Text as="h3" variant="headingSm" visuallyHidden>
            {title}
          </Text>
          <FormLayout>{children}</FormLayout>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}
