-- CreateEnum
CREATE TYPE "StripeConnectionVia" AS ENUM ('connect', 'key');

-- CreateEnum
CREATE TYPE "StripeConnectionStatus" AS ENUM ('pending', 'connected', 'disconnected');

-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "account" TEXT,
ADD COLUMN     "workspaceId" TEXT;

-- CreateTable
CREATE TABLE "StripeConnection" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "via" "StripeConnectionVia" NOT NULL,
    "livemode" BOOLEAN NOT NULL DEFAULT false,
    "chargesEnabled" BOOLEAN NOT NULL DEFAULT false,
    "detailsSubmitted" BOOLEAN NOT NULL DEFAULT false,
    "status" "StripeConnectionStatus" NOT NULL DEFAULT 'pending',
    "restrictedKeyCipher" TEXT,
    "keyHint" TEXT,
    "webhookEndpointId" TEXT,
    "webhookSecretCipher" TEXT,
    "webhookToken" TEXT,
    "applicationFeePercent" DECIMAL(5,2),
    "disconnectedReason" TEXT,
    "connectedAt" TIMESTAMP(3),
    "disconnectedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StripeConnection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StripeConnection_workspaceId_key" ON "StripeConnection"("workspaceId");

-- CreateIndex
CREATE UNIQUE INDEX "StripeConnection_accountId_key" ON "StripeConnection"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "StripeConnection_webhookToken_key" ON "StripeConnection"("webhookToken");

-- AddForeignKey
ALTER TABLE "StripeConnection" ADD CONSTRAINT "StripeConnection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
