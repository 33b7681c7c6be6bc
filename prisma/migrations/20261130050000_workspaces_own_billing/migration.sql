-- Contract phase of the move to workspaces (ADR 0023, ADR 0024): every writer now sets
-- workspaceId, so it becomes required, the billing userId columns go (Payment keeps who bought
-- as a nullable buyerId), the credit balance and the trial stamp move to Workspace, and the
-- expand-phase bridge is dropped. The "User_personal_workspace" trigger stays.

-- The bridge.
DROP TRIGGER "Customer_workspace_from_user" ON "Customer";
DROP TRIGGER "Subscription_workspace_from_user" ON "Subscription";
DROP TRIGGER "Payment_workspace_from_user" ON "Payment";
DROP TRIGGER "CreditLedger_workspace_from_user" ON "CreditLedger";
DROP TRIGGER "ApiKey_workspace_from_user" ON "ApiKey";
DROP FUNCTION workspace_from_user();

-- Any row the bridge could not place (none are expected) lands in its user's personal workspace.
UPDATE "Customer" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE t."workspaceId" IS NULL AND w."personalOfId" = t."userId";
UPDATE "Subscription" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE t."workspaceId" IS NULL AND w."personalOfId" = t."userId";
UPDATE "Payment" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE t."workspaceId" IS NULL AND w."personalOfId" = t."userId";
UPDATE "CreditLedger" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE t."workspaceId" IS NULL AND w."personalOfId" = t."userId";
UPDATE "ApiKey" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE t."workspaceId" IS NULL AND w."personalOfId" = t."userId";

-- Balances and trials move to the workspace. A balance is the sum of the workspace's ledger
-- (which the user's balance equalled: their ledger moved whole to their personal workspace).
ALTER TABLE "Workspace" ADD COLUMN "creditBalance" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "trialUsedAt" TIMESTAMP(3);

UPDATE "Workspace" w SET "creditBalance" = l.total
FROM (SELECT "workspaceId", sum(amount)::int AS total FROM "CreditLedger" GROUP BY "workspaceId") l
WHERE l."workspaceId" = w."id";
UPDATE "Workspace" w SET "trialUsedAt" = u."trialUsedAt" FROM "User" u WHERE w."personalOfId" = u."id";

-- Coupon redemptions: once per user (as before) and once per workspace; existing ones were
-- redeemed into their user's personal workspace.
ALTER TABLE "CouponRedemption" ADD COLUMN "workspaceId" TEXT;
UPDATE "CouponRedemption" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE w."personalOfId" = t."userId";
ALTER TABLE "CouponRedemption" ALTER COLUMN "workspaceId" SET NOT NULL;

-- DropForeignKey
ALTER TABLE "Customer" DROP CONSTRAINT "Customer_userId_fkey";

-- DropForeignKey
ALTER TABLE "Subscription" DROP CONSTRAINT "Subscription_userId_fkey";

-- DropForeignKey
ALTER TABLE "Payment" DROP CONSTRAINT "Payment_userId_fkey";

-- DropForeignKey
ALTER TABLE "CreditLedger" DROP CONSTRAINT "CreditLedger_userId_fkey";

-- DropIndex
DROP INDEX "Customer_userId_key";

-- DropIndex
DROP INDEX "Subscription_userId_status_idx";

-- DropIndex
DROP INDEX "Payment_userId_idempotencyKey_key";

-- DropIndex
DROP INDEX "Payment_userId_createdAt_id_idx";

-- DropIndex
DROP INDEX "CreditLedger_userId_createdAt_id_idx";

-- AlterTable
ALTER TABLE "User" DROP COLUMN "creditBalance",
DROP COLUMN "trialUsedAt";

-- AlterTable
ALTER TABLE "Customer" DROP COLUMN "userId",
ALTER COLUMN "workspaceId" SET NOT NULL;

-- AlterTable
ALTER TABLE "Subscription" DROP COLUMN "userId",
ALTER COLUMN "workspaceId" SET NOT NULL;

-- AlterTable: who bought a payment stays, optional (subscription invoices have no buyer).
ALTER TABLE "Payment" RENAME COLUMN "userId" TO "buyerId";
ALTER TABLE "Payment" ALTER COLUMN "buyerId" DROP NOT NULL,
ALTER COLUMN "workspaceId" SET NOT NULL;

-- AlterTable
ALTER TABLE "CreditLedger" DROP COLUMN "userId",
ALTER COLUMN "workspaceId" SET NOT NULL;

-- AlterTable
ALTER TABLE "ApiKey" ALTER COLUMN "workspaceId" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Payment_workspaceId_idempotencyKey_key" ON "Payment"("workspaceId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Payment_buyerId_cardFingerprint_idx" ON "Payment"("buyerId", "cardFingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "CouponRedemption_couponId_workspaceId_key" ON "CouponRedemption"("couponId", "workspaceId");

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_buyerId_fkey" FOREIGN KEY ("buyerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CouponRedemption" ADD CONSTRAINT "CouponRedemption_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
