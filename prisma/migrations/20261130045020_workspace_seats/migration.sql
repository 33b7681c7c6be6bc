-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "seatVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Workspace_name_trgm_idx" ON "Workspace" USING GIN ("name" gin_trgm_ops);
