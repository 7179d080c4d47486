-- Written by hand in place of Prisma's table rebuild: SQLite adds a nullable column or one with
-- a constant default in place (no copy of the Customer table). `npm run db -- check` confirms the
-- result equals the schema.
ALTER TABLE "Customer" ADD COLUMN "tagsAsOf" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "tagEvents" TEXT NOT NULL DEFAULT '{}';
