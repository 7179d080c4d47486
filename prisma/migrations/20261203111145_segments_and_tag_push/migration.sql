-- AlterTable
ALTER TABLE "SegmentMembership" ADD COLUMN "customerId" INTEGER;

-- CreateTable
CREATE TABLE "SegmentMemberCount" (
    "segmentId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "members" INTEGER NOT NULL,
    "controls" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("segmentId", "at"),
    CONSTRAINT "SegmentMemberCount_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SegmentMembershipChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "segmentId" INTEGER NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "joined" BOOLEAN NOT NULL,
    "isControl" BOOLEAN NOT NULL DEFAULT false,
    "at" DATETIME NOT NULL,
    CONSTRAINT "SegmentMembershipChange_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

    PRIMARY KEY ("pushId", "customerShopifyId"),
    CONSTRAINT "TagPushItem_pushId_fkey" FOREIGN KEY ("pushId") REFERENCES "TagPush" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Segment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "kind" TEXT NOT NULL DEFAULT 'custom',
    "builtinKey" TEXT,
    "rules" TEXT NOT NULL DEFAULT '{}',
    "rulesVersion" INTEGER NOT NULL DEFAULT 1,
    "pushEnabled" BOOLEAN NOT NULL DEFAULT false,
    "controlGroupPercent" REAL NOT NULL DEFAULT 0,
    "shopifySegmentId" TEXT,
    "memberCount" INTEGER NOT NULL DEFAULT 0,
    "controlCount" INTEGER NOT NULL DEFAULT 0,
    "membersAsOf" DATETIME,
    "membersSnapshotId" INTEGER,
    "firstPushedAt" DATETIME,
    "lastPushedAt" DATETIME,
    "deletingAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Segment" ("controlGroupPercent", "createdAt", "handle", "id", "kind", "memberCount", "name", "pushEnabled", "rules", "shop", "shopifySegmentId", "updatedAt") SELECT "controlGroupPercent", "createdAt", "handle", "id", "kind", "memberCount", "name", "pushEnabled", "rules", "shop", "shopifySegmentId", "updatedAt" FROM "Segment";
DROP TABLE "Segment";
ALTER TABLE "new_Segment" RENAME TO "Segment";
CREATE INDEX "Segment_shop_kind_idx" ON "Segment"("shop", "kind");
CREATE UNIQUE INDEX "Segment_shop_handle_key" ON "Segment"("shop", "handle");
CREATE TABLE "new_TagPush" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "segmentId" INTEGER NOT NULL,
    "tag" TEXT NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'push',
    "startedBy" TEXT,
    "status" TEXT NOT NULL DEFAULT 'running',
    "stage" TEXT,
    "added" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "overTagLimit" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "errors" TEXT NOT NULL DEFAULT '[]',
    "error" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "TagPush_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_TagPush" ("added", "bulkOperationId", "error", "finishedAt", "id", "removed", "segmentId", "shop", "startedAt", "status", "tag", "total") SELECT "added", "bulkOperationId", "error", "finishedAt", "id", "removed", "segmentId", "shop", "startedAt", "status", "tag", "total" FROM "TagPush";
DROP TABLE "TagPush";
ALTER TABLE "new_TagPush" RENAME TO "TagPush";
CREATE INDEX "TagPush_shop_startedAt_idx" ON "TagPush"("shop", "startedAt");
CREATE INDEX "TagPush_segmentId_startedAt_idx" ON "TagPush"("segmentId", "startedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SegmentMembershipChange_segmentId_at_idx" ON "SegmentMembershipChange"("segmentId", "at");

-- CreateIndex
CREATE INDEX "SegmentMembershipChange_shop_customerShopifyId_idx" ON "SegmentMembershipChange"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "TagPushItem_pushId_status_idx" ON "TagPushItem"("pushId", "status");
