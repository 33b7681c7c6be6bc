-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "payerEmail" TEXT;

-- CreateIndex
CREATE INDEX "Membership_payerEmail_trgm_idx" ON "Membership" USING GIN ("payerEmail" gin_trgm_ops);

-- A membership carries its user's email while its role pays for the workspace (owner or
-- billing). Set on insert and on a role change; the user's row is read FOR KEY SHARE so an
-- email change being committed at the same moment is waited for and its new value used.
CREATE FUNCTION membership_payer_email() RETURNS trigger AS $$
BEGIN
  IF NEW.role IN ('owner', 'billing') THEN
    SELECT email INTO NEW."payerEmail" FROM "User" WHERE id = NEW."userId" FOR KEY SHARE;
  ELSE
    NEW."payerEmail" := NULL;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Membership_payer_email" BEFORE INSERT OR UPDATE OF role, "userId" ON "Membership"
  FOR EACH ROW EXECUTE FUNCTION membership_payer_email();

-- A user's new email reaches the memberships through which they pay.
CREATE FUNCTION user_payer_email() RETURNS trigger AS $$
BEGIN
  UPDATE "Membership" SET "payerEmail" = NEW.email
  WHERE "userId" = NEW.id AND role IN ('owner', 'billing');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "User_payer_email" AFTER UPDATE OF email ON "User"
  FOR EACH ROW WHEN (OLD.email IS DISTINCT FROM NEW.email) EXECUTE FUNCTION user_payer_email();

UPDATE "Membership" m SET "payerEmail" = u.email
FROM "User" u WHERE u.id = m."userId" AND m.role IN ('owner', 'billing');
