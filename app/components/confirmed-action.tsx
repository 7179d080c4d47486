import { Form } from "@remix-run/react";
import { Banner, BlockStack, Button, ButtonGroup, Text } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { useTranslation } from "~/i18n/i18n-context";

/**
 * A destructive form action that asks first: the button opens a critical banner saying what will
 * happen, and only its confirm button posts the form (with `fields`: the form's hidden inputs and
 * any choice that belongs to the question). One misplaced click must not remove a tag from
 * thousands of customers or delete a segment.
 */
export function ConfirmedAction({
  label,
  question,
  consequence,
  confirmLabel,
  disabled,
  fields,
}: {
  label: string;
  question: string;
  consequence?: string;
  confirmLabel: string;
  disabled?: boolean;
  fields: ReactNode;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking || disabled) {
    return (
      <Button tone="critical" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <Banner tone="critical" title={question}>
      <Form method="post">
        <BlockStack gap="200">
          {consequence ? <Text as="p">{consequence}</Text> : null}
          {fields}
          <ButtonGroup>
            <Button submit variant="primary" tone="critical">
              {confirmLabel}
            </Button>
            <Button onClick={() => setAsking(false)}>{t("segments.action.cancel")}</Button>
          </ButtonGroup>
        </BlockStack>
      </Form>
    </Banner>
  );
}
