/**
 * Rows from GraphQL nodes: bulk JSONL lines and reconcile pages (the fragments of
 * app/shopify/documents/records.graphql; their types are generated, see record-selections.ts).
 * Values are still checked at run time: a JSONL line is not type-checked.
 */
import type { CustomerNode, LineItemNode, OrderNode, ProductNode } from "../../shopify/documents/record-selections";
import {
  optionalBoolean,
  optionalDate,
  optionalDecimal,
  optionalGid,
  optionalString,
  readTags,
  requireDate,
  requireDecimal,
  requireGid,
  requireInt,
  requireString,
} from "./record-fields";
import { netSalesOf } from "./net-sales";
import type { CustomerRow, OrderLineRow, OrderRow, ProductRow } from "./record-rows";

export function customerRowFromNode(node: CustomerNode): CustomerRow {
  const address = node.defaultAddress;
  return {
    shopifyId: requireGid(node.id, "id", "Customer"),
    email: optionalString(node.email, "email"),
    firstName: optionalString(node.firstName, "firstName"),
    lastName: optionalString(node.lastName, "lastName"),
    phone: null,
    emailMarketingState: optionalString(node.emailMarketingConsent?.marketingState, "emailMarketingConsent.marketingState"),
    countryCode: optionalString(address?.countryCodeV2, "defaultAddress.countryCodeV2"),
    country: optionalString(address?.country, "defaultAddress.country"),
    provinceCode: optionalString(address?.provinceCode, "defaultAddress.provinceCode"),
    province: optionalString(address?.province, "defaultAddress.province"),
    city: optionalString(address?.city, "defaultAddress.city"),
    tags: readTags(node.tags, "tags") ?? [],
    numberOfOrders: requireInt(node.numberOfOrders, "numberOfOrders"),
    amountSpent: requireDecimal(node.amountSpent?.amount, "amountSpent.amount"),
    shopifyRfmGroup: optionalString(node.statistics?.rfmGroup, "statistics.rfmGroup"),
    predictedSpendTier: optionalString(node.statistics?.predictedSpendTier, "statistics.predictedSpendTier"),
    shopifyCreatedAt: requireDate(node.createdAt, "createdAt"),
    shopifyUpdatedAt: requireDate(node.updatedAt, "updatedAt"),
  };
}

export function orderRowFromNode(node: OrderNode): OrderRow {
  const firstVisit = node.customerJourneySummary?.firstVisit ?? null;
  const currentSubtotal = optionalDecimal(node.currentSubtotalPriceSet?.shopMoney?.amount, "currentSubtotalPriceSet.shopMoney.amount");
  return {
    shopifyId: requireGid(node.id, "id", "Order"),
    name: optionalString(node.name, "name"),
    customerShopifyId: optionalGid(node.customer?.id, "customer.id", "Customer"),
    currencyCode: optionalString(node.currentTotalPriceSet?.shopMoney?.currencyCode ?? node.currencyCode, "currencyCode"),
    totalPrice: requireDecimal(node.currentTotalPriceSet?.shopMoney?.amount, "currentTotalPriceSet.shopMoney.amount"),
    subtotalPrice: currentSubtotal,
    totalRefunded: optionalDecimal(node.totalRefundedSet?.shopMoney?.amount, "totalRefundedSet.shopMoney.amount") ?? "0",
    netSales: netSalesOf({
      currentSubtotal,
      currentTotalTax: optionalDecimal(node.currentTotalTaxSet?.shopMoney?.amount, "currentTotalTaxSet.shopMoney.amount"),
      taxesIncluded: optionalBoolean(node.taxesIncluded, "taxesIncluded"),
    }),
    test: node.test === true,
    sourceName: optionalString(node.sourceName, "sourceName"),
    channel: optionalString(node.channelInformation?.channelDefinition?.channelName, "channelInformation.channelDefinition.channelName"),
    firstVisitSource: optionalString(firstVisit?.source, "customerJourneySummary.firstVisit.source"),
    utmSource: optionalString(firstVisit?.utmParameters?.source, "customerJourneySummary.firstVisit.utmParameters.source"),
    utmMedium: optionalString(firstVisit?.utmParameters?.medium, "customerJourneySummary.firstVisit.utmParameters.medium"),
    utmCampaign: optionalString(firstVisit?.utmParameters?.campaign, "customerJourneySummary.firstVisit.utmParameters.campaign"),
    shopifyCreatedAt: requireDate(node.createdAt, "createdAt"),
    processedAt: optionalDate(node.processedAt, "processedAt"),
    cancelledAt: optionalDate(node.cancelledAt, "cancelledAt"),
    shopifyUpdatedAt: requireDate(node.updatedAt, "updatedAt"),
  };
}

export function lineRowFromNode(node: LineItemNode, orderShopifyId: string): OrderLineRow {
  return {
    shopifyId: requireGid(node.id, "id", "LineItem"),
    orderShopifyId: requireGid(orderShopifyId, "__parentId", "Order"),
    productShopifyId: optionalGid(node.product?.id, "product.id", "Product"),
    title: requireString(node.title, "title"),
    productType: optionalString(node.product?.productType, "product.productType"),
    vendor: optionalString(node.vendor, "vendor"),
    quantity: requireInt(node.quantity, "quantity"),
    amount: requireDecimal(node.discountedTotalSet?.shopMoney?.amount, "discountedTotalSet.shopMoney.amount"),
  };
}

export function productRowFromNode(node: ProductNode): ProductRow {
  return {
    shopifyId: requireGid(node.id, "id", "Product"),
    title: requireString(node.title, "title"),
    productType: optionalString(node.productType, "productType"),
    vendor: optionalString(node.vendor, "vendor"),
    shopifyUpdatedAt: optionalDate(node.updatedAt, "updatedAt"),
  };
}
