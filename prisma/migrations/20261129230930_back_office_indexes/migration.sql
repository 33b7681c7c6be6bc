-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- DropIndex
DROP INDEX "AuditLog_createdAt_idx";

-- DropIndex
DROP INDEX "AuditLog_targetType_targetId_createdAt_idx";

-- DropIndex
DROP INDEX "CreditLedger_userId_createdAt_idx";

-- DropIndex
DROP INDEX "Payment_status_createdAt_idx";

-- DropIndex
DROP INDEX "Payment_userId_createdAt_idx";

-- DropIndex
DROP INDEX "Subscription_status_idx";

-- DropIndex
DROP INDEX "WebhookEvent_status_receivedAt_idx";

-- CreateIndex
CREATE INDEX "AuditLog_targetType_targetId_createdAt_id_idx" ON "AuditLog"("targetType", "targetId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_id_idx" ON "AuditLog"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Coupon_createdAt_id_idx" ON "Coupon"("createdAt", "id");

-- CreateIndex
CREATE INDEX "CreditLedger_userId_createdAt_id_idx" ON "CreditLedger"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Payment_createdAt_id_idx" ON "Payment"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Payment_status_createdAt_id_idx" ON "Payment"("status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Payment_kind_createdAt_id_idx" ON "Payment"("kind", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Payment_userId_createdAt_id_idx" ON "Payment"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Payment_completedAt_kind_amount_amountRefunded_credits_idx" ON "Payment"("completedAt", "kind", "amount", "amountRefunded", "credits");

-- CreateIndex
CREATE INDEX "Refund_stripeCreated_idx" ON "Refund"("stripeCreated");

-- CreateIndex
CREATE INDEX "Subscription_status_priceLookupKey_quantity_idx" ON "Subscription"("status", "priceLookupKey", "quantity");

-- CreateIndex
CREATE INDEX "User_createdAt_id_idx" ON "User"("createdAt", "id");

-- CreateIndex
CREATE INDEX "User_email_trgm_idx" ON "User" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_name_trgm_idx" ON "User" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "WebhookEvent_receivedAt_id_idx" ON "WebhookEvent"("receivedAt", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_receivedAt_id_idx" ON "WebhookEvent"("status", "receivedAt", "id");
