-- A subscription's tally row is chosen by the writing connection, not by the
-- subscription's id: with 16 slots by id, concurrent events on one price met
-- on the same row and waited for each other's commit (9 ms of statement time
-- per event in bench:webhooks). Readers sum every slot, and the old row's
-- contribution may leave any slot, so the figures stay exact; a connection
-- only waits for another whose backend id shares its slot (ADR 0037).
CREATE OR REPLACE FUNCTION "tally_subscription"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  s int := pg_backend_pid() & 63;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO "SubscriptionTally" AS t (status, "priceLookupKey", slot, count, quantity)
    VALUES (OLD.status, coalesce(OLD."priceLookupKey", ''), s, -1, -OLD.quantity)
    ON CONFLICT (status, "priceLookupKey", slot) DO UPDATE SET
      count = t.count + EXCLUDED.count, quantity = t.quantity + EXCLUDED.quantity;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "SubscriptionTally" AS t (status, "priceLookupKey", slot, count, quantity)
    VALUES (NEW.status, coalesce(NEW."priceLookupKey", ''), s, 1, NEW.quantity)
    ON CONFLICT (status, "priceLookupKey", slot) DO UPDATE SET
      count = t.count + EXCLUDED.count, quantity = t.quantity + EXCLUDED.quantity;
  END IF;
  RETURN NULL;
END
$fn$;
