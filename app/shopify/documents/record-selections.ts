/**
 * The fields the app reads from Shopify for customers, orders (with line items) and products
 * (issue 5 §2). `Customer.email`, `emailMarketingConsent` and `Order.channelInformation` are
 * deprecated in 2026-10 but still served; their replacements (`defaultEmailAddress`,
 * `app`) are not implemented by the simulator the end-to-end tests run against, and one
 * selection must serve both. Phone numbers are not read (the analytics never use them). The same selections serve the bulk backfill and the paginated reconcile, so a
 * record looks the same whichever path brought it; app/sync/records maps them to rows.
 */

export const CUSTOMER_FIELDS = `
  id
  createdAt
  updatedAt
  firstName
  lastName
  email
  emailMarketingConsent { marketingState }
  defaultAddress { countryCodeV2 country provinceCode province city }
  tags
  numberOfOrders
  amountSpent { amount currencyCode }
  statistics { predictedSpendTier rfmGroup }
`;

export const ORDER_FIELDS = `
  id
  name
  createdAt
  processedAt
  updatedAt
  cancelledAt
  test
  currencyCode
  customer { id }
  currentTotalPriceSet { shopMoney { amount currencyCode } }
  totalRefundedSet { shopMoney { amount } }
  currentSubtotalPriceSet { shopMoney { amount } }
  currentTotalTaxSet { shopMoney { amount } }
  taxesIncluded
  sourceName
  channelInformation { channelDefinition { channelName } }
  customerJourneySummary { firstVisit { source utmParameters { source medium campaign } } }
`;

export const LINE_ITEM_FIELDS = `
  id
  quantity
  title
  vendor
  product { id productType }
  discountedTotalSet { shopMoney { amount } }
`;

export const PRODUCT_FIELDS = `
  id
  title
  productType
  vendor
  updatedAt
`;

export interface MoneyNode {
  shopMoney: { amount: string; currencyCode?: string };
}

/** A customer as the selection above returns it (UnsignedInt64 arrives as a string). */
export interface CustomerNode {
  id: string;
  createdAt: string;
  updatedAt: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  emailMarketingConsent: { marketingState: string } | null;
  defaultAddress: {
    countryCodeV2: string | null;
    country: string | null;
    provinceCode: string | null;
    province: string | null;
    city: string | null;
  } | null;
  tags: string[];
  numberOfOrders: string | number;
  amountSpent: { amount: string; currencyCode: string };
  statistics: { predictedSpendTier: string | null; rfmGroup: string | null } | null;
}

export interface OrderNode {
  id: string;
  name: string;
  createdAt: string;
  processedAt: string | null;
  updatedAt: string;
  cancelledAt: string | null;
  test: boolean;
  currencyCode: string;
  customer: { id: string } | null;
  currentTotalPriceSet: MoneyNode;
  totalRefundedSet: MoneyNode | null;
  /** Line items after discounts, returns and refunds; includes their tax when `taxesIncluded`. */
  currentSubtotalPriceSet?: MoneyNode | null;
  currentTotalTaxSet?: MoneyNode | null;
  taxesIncluded?: boolean | null;
  sourceName: string | null;
  channelInformation: { channelDefinition: { channelName: string } | null } | null;
  customerJourneySummary: {
    firstVisit: { source: string; utmParameters: { source: string | null; medium: string | null; campaign: string | null } | null } | null;
  } | null;
}

export interface LineItemNode {
  id: string;
  quantity: number;
  title: string;
  vendor: string | null;
  product: { id: string; productType: string | null } | null;
  discountedTotalSet: MoneyNode;
}

export interface ProductNode {
  id: string;
  title: string;
  productType: string | null;
  vendor: string | null;
  updatedAt: string;
}
