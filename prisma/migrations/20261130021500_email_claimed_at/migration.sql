-- AlterTable
ALTER TABLE "Email" ADD COLUMN     "claimedAt" TIMESTAMP(3);
