-- AlterTable
ALTER TABLE "Segment" ADD COLUMN     "builtinKey" TEXT,
ADD COLUMN     "controlCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deletingAt" TIMESTAMP(3),
ADD COLUMN     "description" TEXT,
ADD COLUMN     "firstPushedAt" TIMESTAMP(3),
ADD COLUMN     "lastPushedAt" TIMESTAMP(3),
ADD COLUMN     "membersAsOf" TIMESTAMP(3),
ADD COLUMN     "membersSnapshotId" INTEGER,
ADD COLUMN     "rulesVersion" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "SegmentMembership" ADD COLUMN     "customerId" INTEGER;

-- AlterTable
ALTER TABLE "TagPush" ADD COLUMN     "done" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "errors" TEXT NOT NULL DEFAULT '[]',
ADD COLUMN     "failed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "mode" TEXT NOT NULL DEFAULT 'push',
ADD COLUMN     "overTagLimit" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stage" TEXT,
ADD COLUMN     "startedBy" TEXT;

-- CreateTable
CREATE TABLE "SegmentMemberCount" (
    "segmentId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "members" INTEGER NOT NULL,
    "controls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SegmentMemberCount_pkey" PRIMARY KEY ("segmentId","at")
);

-- CreateTable
CREATE TABLE "SegmentMembershipChange" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "segmentId" INTEGER NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "joined" BOOLEAN NOT NULL,
    "isControl" BOOLEAN NOT NULL DEFAULT false,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SegmentMembershipChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TagPushItem" (
    "pushId" INTEGER NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "lineNumber" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "TagPushItem_pkey" PRIMARY KEY ("pushId","customerShopifyId")
);

-- CreateIndex
CREATE INDEX "SegmentMembershipChange_segmentId_at_idx" ON "SegmentMembershipChange"("segmentId", "at");

-- CreateIndex
CREATE INDEX "SegmentMembershipChange_shop_customerShopifyId_idx" ON "SegmentMembershipChange"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "TagPushItem_pushId_status_idx" ON "TagPushItem"("pushId", "status");

-- CreateIndex
CREATE INDEX "Segment_shop_kind_idx" ON "Segment"("shop", "kind");

-- CreateIndex
CREATE INDEX "TagPush_segmentId_startedAt_idx" ON "TagPush"("segmentId", "startedAt");

-- AddForeignKey
ALTER TABLE "SegmentMemberCount" ADD CONSTRAINT "SegmentMemberCount_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SegmentMembershipChange" ADD CONSTRAINT "SegmentMembershipChange_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TagPushItem" ADD CONSTRAINT "TagPushItem_pushId_fkey" FOREIGN KEY ("pushId") REFERENCES "TagPush"("id") ON DELETE CASCADE ON UPDATE CASCADE;
