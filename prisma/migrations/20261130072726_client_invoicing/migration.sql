-- CreateEnum
CREATE TYPE "ClientInvoiceStatus" AS ENUM ('draft', 'sent', 'deposit_paid', 'paid', 'void', 'overdue');

-- CreateEnum
CREATE TYPE "DepositKind" AS ENUM ('percent', 'amount');

-- CreateEnum
CREATE TYPE "ClientPaymentStage" AS ENUM ('deposit', 'balance');

-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "attachClientInvoiceId" TEXT;

-- CreateTable
CREATE TABLE "Client" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "address" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClientInvoiceSequence" (
    "workspaceId" TEXT NOT NULL,
    "next" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "ClientInvoiceSequence_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "ClientInvoice" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" "ClientInvoiceStatus" NOT NULL DEFAULT 'draft',
    "currency" TEXT NOT NULL DEFAULT 'usd',
    "taxRateBps" INTEGER NOT NULL DEFAULT 0,
    "dueDate" DATE NOT NULL,
    "notes" TEXT,
    "depositKind" "DepositKind",
    "depositValue" INTEGER,
    "subtotal" INTEGER NOT NULL DEFAULT 0,
    "tax" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,
    "depositAmount" INTEGER NOT NULL DEFAULT 0,
    "amountPaid" INTEGER NOT NULL DEFAULT 0,
    "amountRefunded" INTEGER NOT NULL DEFAULT 0,
    "payToken" TEXT NOT NULL,
    "checkoutSessionId" TEXT,
    "checkoutStage" "ClientPaymentStage",
    "checkoutUrl" TEXT,
    "checkoutExpiresAt" TIMESTAMP(3),
    "checkoutAttempt" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),
    "voidedAt" TIMESTAMP(3),
    "paidAt" TIMESTAMP(3),
    "remindedOn" DATE,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClientInvoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClientInvoiceLine" (
    "id" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitAmount" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,

    CONSTRAINT "ClientInvoiceLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClientPayment" (
    "id" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "stage" "ClientPaymentStage" NOT NULL,
    "paymentIntentId" TEXT NOT NULL,
    "checkoutSessionId" TEXT,
    "chargeId" TEXT,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "amountRefunded" INTEGER NOT NULL DEFAULT 0,
    "applicationFee" INTEGER,
    "paidAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClientPayment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Client_workspaceId_createdAt_id_idx" ON "Client"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ClientInvoice_payToken_key" ON "ClientInvoice"("payToken");

-- CreateIndex
CREATE INDEX "ClientInvoice_workspaceId_createdAt_id_idx" ON "ClientInvoice"("workspaceId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ClientInvoice_clientId_idx" ON "ClientInvoice"("clientId");

-- CreateIndex
CREATE INDEX "ClientInvoice_status_dueDate_idx" ON "ClientInvoice"("status", "dueDate");

-- CreateIndex
CREATE UNIQUE INDEX "ClientInvoice_workspaceId_number_key" ON "ClientInvoice"("workspaceId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "ClientInvoiceLine_invoiceId_position_key" ON "ClientInvoiceLine"("invoiceId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ClientPayment_paymentIntentId_key" ON "ClientPayment"("paymentIntentId");

-- CreateIndex
CREATE INDEX "ClientPayment_invoiceId_idx" ON "ClientPayment"("invoiceId");

-- CreateIndex
CREATE INDEX "ClientPayment_chargeId_idx" ON "ClientPayment"("chargeId");

-- AddForeignKey
ALTER TABLE "Client" ADD CONSTRAINT "Client_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientInvoiceSequence" ADD CONSTRAINT "ClientInvoiceSequence_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientInvoice" ADD CONSTRAINT "ClientInvoice_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientInvoice" ADD CONSTRAINT "ClientInvoice_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientInvoiceLine" ADD CONSTRAINT "ClientInvoiceLine_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "ClientInvoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientPayment" ADD CONSTRAINT "ClientPayment_invoiceId_fkey" FOREIGN KEY ("invoiceId") REFERENCES "ClientInvoice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ClientPayment" ADD CONSTRAINT "ClientPayment_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
