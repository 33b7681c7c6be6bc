-- CreateEnum
CREATE TYPE "WorkspaceRole" AS ENUM ('owner', 'admin', 'billing', 'member');

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "workspaceId" TEXT;

-- AlterTable
ALTER TABLE "CreditLedger" ADD COLUMN     "workspaceId" TEXT;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "workspaceId" TEXT;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "workspaceId" TEXT;

-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "workspaceId" TEXT;

-- CreateTable
CREATE TABLE "Workspace" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "personalOfId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "WorkspaceRole" NOT NULL DEFAULT 'member',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("workspaceId","userId")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "WorkspaceRole" NOT NULL DEFAULT 'member',
    "tokenHash" TEXT NOT NULL,
    "invitedById" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_personalOfId_key" ON "Workspace"("personalOfId");

-- CreateIndex
CREATE INDEX "Workspace_createdAt_id_idx" ON "Workspace"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE INDEX "Membership_workspaceId_createdAt_userId_idx" ON "Membership"("workspaceId", "createdAt", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE INDEX "Invitation_workspaceId_createdAt_id_idx" ON "Invitation"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Invitation_email_idx" ON "Invitation"("email");

-- CreateIndex
CREATE INDEX "ApiKey_workspaceId_idx" ON "ApiKey"("workspaceId");

-- CreateIndex
CREATE INDEX "CreditLedger_workspaceId_createdAt_id_idx" ON "CreditLedger"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_workspaceId_key" ON "Customer"("workspaceId");

-- CreateIndex
CREATE INDEX "Payment_workspaceId_createdAt_id_idx" ON "Payment"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Subscription_workspaceId_status_idx" ON "Subscription"("workspaceId", "status");

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CreditLedger" ADD CONSTRAINT "CreditLedger_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Workspace" ADD CONSTRAINT "Workspace_personalOfId_fkey" FOREIGN KEY ("personalOfId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every user has a personal workspace, owned by them, made in the same transaction as the user
-- (so sign-up, OAuth, the CLI and test fixtures all get one).
CREATE FUNCTION create_personal_workspace() RETURNS trigger AS $$
DECLARE
  ws TEXT := 'ws_' || replace(gen_random_uuid()::text, '-', '');
BEGIN
  INSERT INTO "Workspace" ("id", "name", "personalOfId", "createdAt", "updatedAt")
  VALUES (ws, coalesce(nullif(btrim(NEW."name"), ''), split_part(NEW."email", '@', 1)), NEW."id", NEW."createdAt", NEW."createdAt");
  INSERT INTO "Membership" ("workspaceId", "userId", "role", "createdAt")
  VALUES (ws, NEW."id", 'owner', NEW."createdAt");
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "User_personal_workspace" AFTER INSERT ON "User"
  FOR EACH ROW EXECUTE FUNCTION create_personal_workspace();

-- Existing users get theirs now.
INSERT INTO "Workspace" ("id", "name", "personalOfId", "createdAt", "updatedAt")
SELECT 'ws_' || replace(gen_random_uuid()::text, '-', ''),
       coalesce(nullif(btrim(u."name"), ''), split_part(u."email", '@', 1)), u."id", u."createdAt", u."createdAt"
FROM "User" u;

INSERT INTO "Membership" ("workspaceId", "userId", "role", "createdAt")
SELECT w."id", w."personalOfId", 'owner', w."createdAt" FROM "Workspace" w;

-- Billing rows move to their user's personal workspace.
UPDATE "Customer" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE w."personalOfId" = t."userId";
UPDATE "Subscription" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE w."personalOfId" = t."userId";
UPDATE "Payment" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE w."personalOfId" = t."userId";
UPDATE "CreditLedger" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE w."personalOfId" = t."userId";
UPDATE "ApiKey" t SET "workspaceId" = w."id" FROM "Workspace" w WHERE w."personalOfId" = t."userId";

-- Expand phase: until every writer sets workspaceId, a row written with only userId lands in
-- that user's personal workspace. The contract migration drops userId and this bridge.
CREATE FUNCTION workspace_from_user() RETURNS trigger AS $$
BEGIN
  IF NEW."workspaceId" IS NULL THEN
    SELECT w."id" INTO NEW."workspaceId" FROM "Workspace" w WHERE w."personalOfId" = NEW."userId";
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Customer_workspace_from_user" BEFORE INSERT ON "Customer"
  FOR EACH ROW EXECUTE FUNCTION workspace_from_user();
CREATE TRIGGER "Subscription_workspace_from_user" BEFORE INSERT ON "Subscription"
  FOR EACH ROW EXECUTE FUNCTION workspace_from_user();
CREATE TRIGGER "Payment_workspace_from_user" BEFORE INSERT ON "Payment"
  FOR EACH ROW EXECUTE FUNCTION workspace_from_user();
CREATE TRIGGER "CreditLedger_workspace_from_user" BEFORE INSERT ON "CreditLedger"
  FOR EACH ROW EXECUTE FUNCTION workspace_from_user();
CREATE TRIGGER "ApiKey_workspace_from_user" BEFORE INSERT ON "ApiKey"
  FOR EACH ROW EXECUTE FUNCTION workspace_from_user();
