/**
 * Fixed reference tables the generator draws from: names, places, channels, UTM sources and
 * product catalogue pieces. Kept small: the point is realistic variety, not a census.
 */
export const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Ava", "Elijah", "Sophia", "Lucas",
  "Mia", "Mateo", "Isabella", "Levi", "Charlotte", "Hugo", "Léa", "Jonas", "Sofía", "Kenji",
  "Aisha", "Ravi", "Zoë", "Finn", "Chloé", "Ines", "Tomás", "Yuki", "Freya", "Omar",
] as const;

export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martin", "Lee",
  "Müller", "Schmidt", "Dubois", "Bernard", "Rossi", "Ferrari", "Tanaka", "Sato", "Nguyen", "Kim",
  "O'Brien", "Walsh", "Silva", "Santos", "Kowalski", "Nowak", "Jensen", "Hansen", "Patel", "Singh",
] as const;

export interface Place {
  country: string;
  countryCode: string;
  province: string | null;
  provinceCode: string | null;
  city: string;
  /** Relative share of customers. */
  weight: number;
}

export const PLACES: readonly Place[] = [
  { country: "United States", countryCode: "US", province: "California", provinceCode: "CA", city: "Los Angeles", weight: 9 },
  { country: "United States", countryCode: "US", province: "California", provinceCode: "CA", city: "San Francisco", weight: 5 },
  { country: "United States", countryCode: "US", province: "New York", provinceCode: "NY", city: "New York", weight: 9 },
  { country: "United States", countryCode: "US", province: "Texas", provinceCode: "TX", city: "Austin", weight: 5 },
  { country: "United States", countryCode: "US", province: "Illinois", provinceCode: "IL", city: "Chicago", weight: 5 },
  { country: "Canada", countryCode: "CA", province: "Ontario", provinceCode: "ON", city: "Toronto", weight: 5 },
  { country: "Canada", countryCode: "CA", province: "Quebec", provinceCode: "QC", city: "Montréal", weight: 3 },
  { country: "United Kingdom", countryCode: "GB", province: "England", provinceCode: "ENG", city: "London", weight: 7 },
  { country: "United Kingdom", countryCode: "GB", province: "Scotland", provinceCode: "SCT", city: "Edinburgh", weight: 2 },
  { country: "Germany", countryCode: "DE", province: null, provinceCode: null, city: "Berlin", weight: 5 },
  { country: "France", countryCode: "FR", province: null, provinceCode: null, city: "Paris", weight: 5 },
  { country: "Australia", countryCode: "AU", province: "New South Wales", provinceCode: "NSW", city: "Sydney", weight: 4 },
  { country: "Australia", countryCode: "AU", province: "Victoria", provinceCode: "VIC", city: "Melbourne", weight: 3 },
  { country: "Japan", countryCode: "JP", province: "Tokyo", provinceCode: "JP-13", city: "Tokyo", weight: 3 },
  { country: "Spain", countryCode: "ES", province: "Madrid", provinceCode: "M", city: "Madrid", weight: 2 },
  { country: "Netherlands", countryCode: "NL", province: null, provinceCode: null, city: "Amsterdam", weight: 2 },
];

/** Admin GraphQL `CustomerEmailMarketingState` values with their shares. */
export const MARKETING_STATES = [
  { state: "SUBSCRIBED", weight: 45 },
  { state: "NOT_SUBSCRIBED", weight: 40 },
  { state: "UNSUBSCRIBED", weight: 12 },
  { state: "PENDING", weight: 3 },
] as const;

/** Sales channels: REST `source_name` and the GraphQL `channelDefinition`. */
export const SALES_CHANNELS = [
  { sourceName: "web", handle: "online_store", channelName: "Online Store", weight: 70 },
  { sourceName: "pos", handle: "pos", channelName: "Point of Sale", weight: 12 },
  { sourceName: "shopify_draft_order", handle: "draft_orders", channelName: "Draft Orders", weight: 5 },
  { sourceName: "iphone", handle: "shop", channelName: "Shop", weight: 13 },
] as const;

/** First-visit attribution; `source: null` means a direct visit with no UTM parameters. */
export const FIRST_VISIT_SOURCES = [
  { source: "google", utmSource: "google", utmMedium: "cpc", utmCampaign: "brand-search", weight: 25 },
  { source: "facebook", utmSource: "facebook", utmMedium: "paid_social", utmCampaign: "spring-sale", weight: 15 },
  { source: "instagram", utmSource: "instagram", utmMedium: "social", utmCampaign: "influencer", weight: 12 },
  { source: "newsletter", utmSource: "klaviyo", utmMedium: "email", utmCampaign: "weekly-digest", weight: 10 },
  { source: "google", utmSource: null, utmMedium: null, utmCampaign: null, weight: 18 },
  { source: null, utmSource: null, utmMedium: null, utmCampaign: null, weight: 20 },
] as const;

export const PRODUCT_TYPES = ["T-Shirts", "Hoodies", "Mugs", "Posters", "Socks", "Caps", "Notebooks", "Tote Bags"] as const;
export const VENDORS = ["Northwind Goods", "Acme Apparel", "Blue Fjord", "Kiln & Co", "Paper Pilot"] as const;
export const PRODUCT_ADJECTIVES = ["Classic", "Vintage", "Organic", "Everyday", "Limited", "Summit", "Coastal", "Midnight"] as const;

/** Customer tags present before the app touches the store, with the share of customers carrying each. */
export const INITIAL_CUSTOMER_TAGS = [
  { tag: "newsletter", share: 0.2 },
  { tag: "VIP", share: 0.03 },
  { tag: "wholesale", share: 0.02 },
  { tag: "imported", share: 0.1 },
] as const;

/** Cumulative weights for {@link RandomSource.weighted}. */
export function cumulativeWeights(items: readonly { weight: number }[]): Float64Array {
  const out = new Float64Array(items.length);
  let total = 0;
  items.forEach((item, i) => {
    total += item.weight;
    out[i] = total;
  });
  return out;
}
