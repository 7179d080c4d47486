-- DropForeignKey
ALTER TABLE "CustomerProfile" DROP CONSTRAINT "CustomerProfile_snapshotId_fkey";

-- DropIndex
DROP INDEX "CustomerProfile_shop_customerShopifyId_idx";

-- CreateIndex
CREATE INDEX "CustomerProfile_shop_snapshotId_idx" ON "CustomerProfile"("shop", "snapshotId");


-- Segment pages now reach a member's profile by SegmentMembership.customerId (the profile's
-- primary key). Memberships written before that column was filled get it from their customer.
UPDATE "SegmentMembership" SET "customerId" = (
  SELECT c."id" FROM "Customer" c WHERE c."shop" = "SegmentMembership"."shop" AND c."shopifyId" = "SegmentMembership"."customerShopifyId"
) WHERE "customerId" IS NULL;
