-- AlterTable
ALTER TABLE "StripeConnection" ADD COLUMN     "stateAt" TIMESTAMP(3);
