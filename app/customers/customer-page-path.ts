/**
 * The customer page's address: `/app/customers/<n>` for `gid://shopify/Customer/<n>` (the
 * number alone keeps the path one segment; the gid is rebuilt on the server).
 */
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/([1-9][0-9]{0,19})$/;
const CUSTOMER_NUMBER = /^[1-9][0-9]{0,19}$/;

export function customerPagePath(customerShopifyId: string): string | null {
  const number = customerShopifyId.match(CUSTOMER_GID)?.[1];
  return number ? `/app/customers/${number}` : null;
}

/** The gid behind a page address's number, or null when it is not a customer number. */
export function customerIdFromPageNumber(value: string | undefined): string | null {
  return value !== undefined && CUSTOMER_NUMBER.test(value) ? `gid://shopify/Customer/${value}` : null;
}
