-- CreateTable
CREATE TABLE "SegmentFigures" (
    "segmentId" INTEGER NOT NULL,
    "shop" TEXT NOT NULL,
    "membersAsOf" TIMESTAMP(3) NOT NULL,
    "snapshotId" INTEGER NOT NULL,
    "analysisAt" TIMESTAMP(3) NOT NULL,
    "figures" TEXT NOT NULL,

    CONSTRAINT "SegmentFigures_pkey" PRIMARY KEY ("segmentId")
);

-- CreateIndex
CREATE INDEX "SegmentFigures_shop_idx" ON "SegmentFigures"("shop");

-- AddForeignKey
ALTER TABLE "SegmentFigures" ADD CONSTRAINT "SegmentFigures_segmentId_fkey" FOREIGN KEY ("segmentId") REFERENCES "Segment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
