-- CreateTable
CREATE TABLE "SegmentFigures" (
    "segmentId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "membersAsOf" DATETIME NOT NULL,
    "snapshotId" INTEGER NOT NULL,
    "analysisAt" DATETIME NOT NULL,
    "figures" TEXT NOT NULL,
    CONSTRAINT "SegmentFigures_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SegmentFigures_shop_idx" ON "SegmentFigures"("shop");
