-- Revenue by day now comes from RevenueDay (below), not an index-only scan of Payment.
DROP INDEX "Payment_completedAt_kind_amount_amountRefunded_credits_idx";

-- CreateTable
CREATE TABLE "RevenueDay" (
    "day" DATE NOT NULL,
    "slot" INTEGER NOT NULL,
    "netCents" BIGINT NOT NULL DEFAULT 0,
    "credits" BIGINT NOT NULL DEFAULT 0,
    "refunds" INTEGER NOT NULL DEFAULT 0,
    "refundedCents" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "RevenueDay_pkey" PRIMARY KEY ("day","slot")
);

-- CreateTable
CREATE TABLE "SubscriptionTally" (
    "status" "SubscriptionStatus" NOT NULL,
    "priceLookupKey" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "quantity" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SubscriptionTally_pkey" PRIMARY KEY ("status","priceLookupKey","slot")
);

-- Triggers keep both tables in the same transaction as every write to
-- Payment, Refund and Subscription, whoever writes (the mirror, reconcile,
-- sample data, a cascade). Row-level, with a WHEN clause on the columns a
-- figure reads: the many mirror updates that change none of them (lastEventAt,
-- updatedAt, …) never call a function. Slots (hashtext(id) & 15) spread a
-- day's figure over 16 rows, so concurrent writers rarely wait on one row.
-- See docs/decisions/0022-back-office-tallies.md.
CREATE FUNCTION "add_revenue_day"(d date, s int, net bigint, cr bigint, n int, refunded bigint)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "RevenueDay" (day, slot, "netCents", credits, refunds, "refundedCents")
  VALUES (d, s, net, cr, n, refunded)
  ON CONFLICT (day, slot) DO UPDATE SET
    "netCents" = "RevenueDay"."netCents" + EXCLUDED."netCents",
    credits = "RevenueDay".credits + EXCLUDED.credits,
    refunds = "RevenueDay".refunds + EXCLUDED.refunds,
    "refundedCents" = "RevenueDay"."refundedCents" + EXCLUDED."refundedCents";
END
$fn$;

-- A payment counts on the UTC day it completed: its net amount, and its credits if a credit pack.
CREATE FUNCTION "tally_payment"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD."completedAt" IS NOT NULL THEN
    PERFORM "add_revenue_day"(OLD."completedAt"::date, hashtext(OLD.id) & 15,
      -(OLD.amount - OLD."amountRefunded")::bigint,
      -(CASE WHEN OLD.kind = 'credits' THEN OLD.credits ELSE 0 END)::bigint, 0, 0);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW."completedAt" IS NOT NULL THEN
    PERFORM "add_revenue_day"(NEW."completedAt"::date, hashtext(NEW.id) & 15,
      (NEW.amount - NEW."amountRefunded")::bigint,
      (CASE WHEN NEW.kind = 'credits' THEN NEW.credits ELSE 0 END)::bigint, 0, 0);
  END IF;
  RETURN NULL;
END
$fn$;

-- A succeeded refund counts on the UTC day Stripe created it.
CREATE FUNCTION "tally_refund"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status = 'succeeded' THEN
    PERFORM "add_revenue_day"(OLD."stripeCreated"::date, hashtext(OLD.id) & 15, 0, 0, -1, -OLD.amount::bigint);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'succeeded' THEN
    PERFORM "add_revenue_day"(NEW."stripeCreated"::date, hashtext(NEW.id) & 15, 0, 0, 1, NEW.amount::bigint);
  END IF;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION "tally_subscription"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "SubscriptionTally" AS t (status, "priceLookupKey", slot, count, quantity)
    VALUES (OLD.status, coalesce(OLD."priceLookupKey", ''), hashtext(OLD.id) & 15, -1, -OLD.quantity)
    ON CONFLICT (status, "priceLookupKey", slot) DO UPDATE SET
      count = t.count + EXCLUDED.count, quantity = t.quantity + EXCLUDED.quantity;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "SubscriptionTally" AS t (status, "priceLookupKey", slot, count, quantity)
    VALUES (NEW.status, coalesce(NEW."priceLookupKey", ''), hashtext(NEW.id) & 15, 1, NEW.quantity)
    ON CONFLICT (status, "priceLookupKey", slot) DO UPDATE SET
      count = t.count + EXCLUDED.count, quantity = t.quantity + EXCLUDED.quantity;
  END IF;
  RETURN NULL;
END
$fn$;

-- Rebuild both tables from their sources (a repair, and after bulk loads that
-- bypass triggers). The lock waits for writers that already changed a tally
-- and holds off new ones, so every write is counted exactly once.
CREATE FUNCTION "refresh_billing_tallies"() RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  LOCK TABLE "RevenueDay", "SubscriptionTally" IN EXCLUSIVE MODE;
  DELETE FROM "RevenueDay";
  INSERT INTO "RevenueDay" (day, slot, "netCents", credits, refunds, "refundedCents")
  SELECT day, slot, sum(net), sum(cr), sum(n), sum(cents) FROM (
    SELECT "completedAt"::date, hashtext(id) & 15, (amount - "amountRefunded")::bigint,
           (CASE WHEN kind = 'credits' THEN credits ELSE 0 END)::bigint, 0, 0::bigint
    FROM "Payment" WHERE "completedAt" IS NOT NULL
    UNION ALL
    SELECT "stripeCreated"::date, hashtext(id) & 15, 0::bigint, 0::bigint, 1, amount::bigint
    FROM "Refund" WHERE status = 'succeeded'
  ) x(day, slot, net, cr, n, cents)
  GROUP BY day, slot;
  DELETE FROM "SubscriptionTally";
  INSERT INTO "SubscriptionTally" (status, "priceLookupKey", slot, count, quantity)
  SELECT status, coalesce("priceLookupKey", ''), hashtext(id) & 15, count(*), sum(quantity)
  FROM "Subscription" GROUP BY 1, 2, 3;
END
$fn$;

CREATE FUNCTION "tally_truncated"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM "refresh_billing_tallies"();
  RETURN NULL;
END
$fn$;

CREATE TRIGGER "Payment_tally_insert" AFTER INSERT ON "Payment" FOR EACH ROW
  WHEN (NEW."completedAt" IS NOT NULL) EXECUTE FUNCTION "tally_payment"();
CREATE TRIGGER "Payment_tally_update" AFTER UPDATE ON "Payment" FOR EACH ROW
  WHEN ((OLD."completedAt", OLD.amount, OLD."amountRefunded", OLD.kind, OLD.credits, OLD.id)
    IS DISTINCT FROM (NEW."completedAt", NEW.amount, NEW."amountRefunded", NEW.kind, NEW.credits, NEW.id))
  EXECUTE FUNCTION "tally_payment"();
CREATE TRIGGER "Payment_tally_delete" AFTER DELETE ON "Payment" FOR EACH ROW
  WHEN (OLD."completedAt" IS NOT NULL) EXECUTE FUNCTION "tally_payment"();
CREATE TRIGGER "Payment_tally_truncate" AFTER TRUNCATE ON "Payment"
  FOR EACH STATEMENT EXECUTE FUNCTION "tally_truncated"();

CREATE TRIGGER "Refund_tally_insert" AFTER INSERT ON "Refund" FOR EACH ROW
  WHEN (NEW.status = 'succeeded') EXECUTE FUNCTION "tally_refund"();
CREATE TRIGGER "Refund_tally_update" AFTER UPDATE ON "Refund" FOR EACH ROW
  WHEN ((OLD.status, OLD.amount, OLD."stripeCreated", OLD.id)
    IS DISTINCT FROM (NEW.status, NEW.amount, NEW."stripeCreated", NEW.id))
  EXECUTE FUNCTION "tally_refund"();
CREATE TRIGGER "Refund_tally_delete" AFTER DELETE ON "Refund" FOR EACH ROW
  WHEN (OLD.status = 'succeeded') EXECUTE FUNCTION "tally_refund"();
CREATE TRIGGER "Refund_tally_truncate" AFTER TRUNCATE ON "Refund"
  FOR EACH STATEMENT EXECUTE FUNCTION "tally_truncated"();

CREATE TRIGGER "Subscription_tally_insert" AFTER INSERT ON "Subscription" FOR EACH ROW
  EXECUTE FUNCTION "tally_subscription"();
CREATE TRIGGER "Subscription_tally_update" AFTER UPDATE ON "Subscription" FOR EACH ROW
  WHEN ((OLD.status, OLD."priceLookupKey", OLD.quantity, OLD.id)
    IS DISTINCT FROM (NEW.status, NEW."priceLookupKey", NEW.quantity, NEW.id))
  EXECUTE FUNCTION "tally_subscription"();
CREATE TRIGGER "Subscription_tally_delete" AFTER DELETE ON "Subscription" FOR EACH ROW
  EXECUTE FUNCTION "tally_subscription"();
CREATE TRIGGER "Subscription_tally_truncate" AFTER TRUNCATE ON "Subscription"
  FOR EACH STATEMENT EXECUTE FUNCTION "tally_truncated"();

-- Existing rows.
SELECT "refresh_billing_tallies"();
