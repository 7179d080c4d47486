import { Card, EmptyState, Text } from "@shopify/polaris";

/**
 * An empty page that says what will appear and why it is not there yet. The illustration is
 * served from public/ so the page renders the same offline (tests, the simulator demo).
 */
export function ExplainedEmptyState({ heading, body, note }: { heading: string; body: string; note?: string }) {
  return (
    <Card>
      <EmptyState heading={heading} image="/empty-state.svg">
        <p>{body}</p>
        {note ? (
          <Text as="p" tone="subdued">
            {note}
          </Text>
        ) : null}
      </EmptyState>
    </Card>
  );
}
