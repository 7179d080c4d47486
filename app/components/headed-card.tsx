import type { ReactNode } from "react";
import { BlockStack, Card, Text } from "@shopify/polaris";

/** A Polaris card with a section heading: the home page's building block. */
export function HeadedCard({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {heading}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}
