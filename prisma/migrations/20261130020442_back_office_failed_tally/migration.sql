-- AlterTable
ALTER TABLE "RevenueDay" ADD COLUMN     "failedPayments" INTEGER NOT NULL DEFAULT 0;

-- Failed payments join the tallies, by the UTC day the payment was created:
-- the dashboard's last count over Payment goes (ADR 0022).
CREATE FUNCTION "add_failed_payments"(d date, s int, n int) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "RevenueDay" (day, slot, "failedPayments") VALUES (d, s, n)
  ON CONFLICT (day, slot) DO UPDATE SET "failedPayments" = "RevenueDay"."failedPayments" + EXCLUDED."failedPayments";
END
$fn$;

CREATE OR REPLACE FUNCTION "tally_payment"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."completedAt" IS NOT NULL THEN
    PERFORM "add_revenue_day"(OLD."completedAt"::date, hashtext(OLD.id) & 15,
      -(OLD.amount - OLD."amountRefunded")::bigint,
      -(CASE WHEN OLD.kind = 'credits' THEN OLD.credits ELSE 0 END)::bigint, 0, 0);
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.status = 'failed' THEN
    PERFORM "add_failed_payments"(OLD."createdAt"::date, hashtext(OLD.id) & 15, -1);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."completedAt" IS NOT NULL THEN
    PERFORM "add_revenue_day"(NEW."completedAt"::date, hashtext(NEW.id) & 15,
      (NEW.amount - NEW."amountRefunded")::bigint,
      (CASE WHEN NEW.kind = 'credits' THEN NEW.credits ELSE 0 END)::bigint, 0, 0);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'failed' THEN
    PERFORM "add_failed_payments"(NEW."createdAt"::date, hashtext(NEW.id) & 15, 1);
  END IF;
  RETURN NULL;
END
$fn$;

DROP TRIGGER "Payment_tally_insert" ON "Payment";
DROP TRIGGER "Payment_tally_update" ON "Payment";
DROP TRIGGER "Payment_tally_delete" ON "Payment";
CREATE TRIGGER "Payment_tally_insert" AFTER INSERT ON "Payment" FOR EACH ROW
  WHEN (NEW."completedAt" IS NOT NULL OR NEW.status = 'failed') EXECUTE FUNCTION "tally_payment"();
CREATE TRIGGER "Payment_tally_update" AFTER UPDATE ON "Payment" FOR EACH ROW
  WHEN ((OLD."completedAt", OLD.amount, OLD."amountRefunded", OLD.kind, OLD.credits, OLD.id,
         OLD.status = 'failed', OLD."createdAt")
    IS DISTINCT FROM (NEW."completedAt", NEW.amount, NEW."amountRefunded", NEW.kind, NEW.credits, NEW.id,
         NEW.status = 'failed', NEW."createdAt"))
  EXECUTE FUNCTION "tally_payment"();
CREATE TRIGGER "Payment_tally_delete" AFTER DELETE ON "Payment" FOR EACH ROW
  WHEN (OLD."completedAt" IS NOT NULL OR OLD.status = 'failed') EXECUTE FUNCTION "tally_payment"();

CREATE OR REPLACE FUNCTION "refresh_billing_tallies"() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  LOCK TABLE "RevenueDay", "SubscriptionTally" IN EXCLUSIVE MODE;
  DELETE FROM "RevenueDay";
  INSERT INTO "RevenueDay" (day, slot, "netCents", credits, refunds, "refundedCents", "failedPayments")
  SELECT day, slot, sum(net), sum(cr), sum(n), sum(cents), sum(failed) FROM (
    SELECT "completedAt"::date, hashtext(id) & 15, (amount - "amountRefunded")::bigint,
           (CASE WHEN kind = 'credits' THEN credits ELSE 0 END)::bigint, 0, 0::bigint, 0
    FROM "Payment" WHERE "completedAt" IS NOT NULL
    UNION ALL
    SELECT "createdAt"::date, hashtext(id) & 15, 0::bigint, 0::bigint, 0, 0::bigint, 1
    FROM "Payment" WHERE status = 'failed'
    UNION ALL
    SELECT "stripeCreated"::date, hashtext(id) & 15, 0::bigint, 0::bigint, 1, amount::bigint, 0
    FROM "Refund" WHERE status = 'succeeded'
  ) x(day, slot, net, cr, n, cents, failed)
  GROUP BY day, slot;
  DELETE FROM "SubscriptionTally";
  INSERT INTO "SubscriptionTally" (status, "priceLookupKey", slot, count, quantity)
  SELECT status, coalesce("priceLookupKey", ''), hashtext(id) & 15, count(*), sum(quantity)
  FROM "Subscription" GROUP BY 1, 2, 3;
END
$fn$;

SELECT "refresh_billing_tallies"();
