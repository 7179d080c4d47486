-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CustomerScore" (
    "shop" TEXT NOT NULL,
    "customerShopifyId" TEXT NOT NULL,
    "snapshotId" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "x" INTEGER NOT NULL,
    "tx" REAL NOT NULL,
    "T" REAL NOT NULL,
    "totalSpent" DECIMAL NOT NULL,
    "aov" DECIMAL NOT NULL,
    "firstOrderAt" DATETIME NOT NULL,
    "lastOrderAt" DATETIME NOT NULL,
    "daysSinceLastOrder" INTEGER NOT NULL,
    "pAlive" REAL,
    "churnRisk" TEXT,
    "expectedPurchases" REAL,
    "expectedSpend" REAL,
    "clv" REAL,
    "clvLow" REAL,
    "clvHigh" REAL,
    "nextOrderAt" DATETIME,
    "lifecycle" TEXT NOT NULL,
    "customerGroup" TEXT NOT NULL,
    "r" INTEGER NOT NULL,
    "f" INTEGER NOT NULL,
    "m" INTEGER NOT NULL,
    "rfmGroup" TEXT NOT NULL,

    PRIMARY KEY ("shop", "customerShopifyId")
);
INSERT INTO "new_CustomerScore" ("T", "aov", "churnRisk", "clv", "clvHigh", "clvLow", "customerGroup", "customerShopifyId", "daysSinceLastOrder", "expectedPurchases", "expectedSpend", "f", "firstOrderAt", "lastOrderAt", "lifecycle", "m", "nextOrderAt", "orders", "pAlive", "r", "rfmGroup", "shop", "snapshotId", "totalSpent", "tx", "x") SELECT "T", "aov", "churnRisk", "clv", "clvHigh", "clvLow", "customerGroup", "customerShopifyId", "daysSinceLastOrder", "expectedPurchases", "expectedSpend", "f", "firstOrderAt", "lastOrderAt", "lifecycle", "m", "nextOrderAt", "orders", "pAlive", "r", "rfmGroup", "shop", "snapshotId", "totalSpent", "tx", "x" FROM "CustomerScore";
DROP TABLE "CustomerScore";
ALTER TABLE "new_CustomerScore" RENAME TO "CustomerScore";
CREATE INDEX "CustomerScore_shop_lifecycle_idx" ON "CustomerScore"("shop", "lifecycle");
CREATE INDEX "CustomerScore_shop_customerGroup_idx" ON "CustomerScore"("shop", "customerGroup");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
