-- Random plate offers with the citizen's own nonce (issue 18, R-24.2, PD-14,
-- docs/decisions/010-plate-draw-fairness.md). Commit, then reveal:
--   1. the server stores a fresh 32-byte seed and shows sha256(seed) (the
--      commitment) for the preselection's next draw;
--   2. the citizen's browser then sends a 32-byte nonce of its own;
--   3. the draw runs on sha256("jg-plate-draw-v2" ‖ seed ‖ nonce).
-- The database holds the order: a draw may only use a commitment stored by an
-- EARLIER transaction (so not one made after the nonce arrived), with exactly
-- that commitment's seed, once; a stored seed never changes.

CREATE TABLE plate_draw_commitment (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  preselection_id  uuid NOT NULL REFERENCES plate_preselection(id),
  seed             bytea NOT NULL CHECK (octet_length(seed) = 32),
  commitment       text NOT NULL CHECK (commitment ~ '^[0-9a-f]{64}$'),
  committed_at     timestamptz NOT NULL,
  -- the transaction that stored it: a draw in the same transaction is refused
  committed_xact   xid8 NOT NULL DEFAULT pg_current_xact_id(),
  used_at          timestamptz,
  CONSTRAINT plate_draw_commitment_is_hash CHECK (commitment = encode(sha256(seed), 'hex')),
  CHECK (used_at IS NULL OR used_at >= committed_at)
);
-- One commitment waits for the next draw of a preselection.
CREATE UNIQUE INDEX plate_draw_commitment_one_pending ON plate_draw_commitment (preselection_id) WHERE used_at IS NULL;

-- A stored commitment is never rewritten or removed; only `used_at` is set, once.
CREATE FUNCTION plate_draw_commitment_is_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'plate_draw_commitment rows are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.seed IS DISTINCT FROM OLD.seed OR NEW.commitment IS DISTINCT FROM OLD.commitment OR NEW.preselection_id IS DISTINCT FROM OLD.preselection_id
     OR NEW.committed_at IS DISTINCT FROM OLD.committed_at OR NEW.committed_xact IS DISTINCT FROM OLD.committed_xact
     OR (OLD.used_at IS NOT NULL AND NEW.used_at IS DISTINCT FROM OLD.used_at) THEN
    RAISE EXCEPTION 'a plate draw commitment is fixed once stored' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER plate_draw_commitment_fixed BEFORE UPDATE OR DELETE ON plate_draw_commitment
  FOR EACH ROW EXECUTE FUNCTION plate_draw_commitment_is_fixed();

ALTER TABLE plate_draw
  ADD COLUMN commitment_id uuid REFERENCES plate_draw_commitment(id),
  ADD COLUMN client_nonce  bytea CHECK (octet_length(client_nonce) = 32),
  ADD CONSTRAINT plate_draw_commitment_used_once UNIQUE (commitment_id),
  ADD CONSTRAINT plate_draw_nonce_with_commitment CHECK ((commitment_id IS NULL) = (client_nonce IS NULL)),
  -- draws made before issue 18 (jg-plate-draw-v1) have neither; every later draw has both
  ADD CONSTRAINT plate_draw_v2_has_nonce CHECK ((client_nonce IS NOT NULL) = (algorithm LIKE 'jg-plate-draw-v2%'));

-- A draw uses a commitment of its own preselection, stored by an earlier
-- transaction, with that commitment's seed; the seed, commitment and nonce of
-- a draw never change afterwards.
CREATE FUNCTION plate_draw_follows_commitment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  c plate_draw_commitment%ROWTYPE;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.seed IS DISTINCT FROM OLD.seed OR NEW.commitment IS DISTINCT FROM OLD.commitment
       OR NEW.commitment_id IS DISTINCT FROM OLD.commitment_id OR NEW.client_nonce IS DISTINCT FROM OLD.client_nonce THEN
      RAISE EXCEPTION 'the seed, commitment and nonce of a plate draw are fixed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.commitment_id IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT * INTO c FROM plate_draw_commitment WHERE id = NEW.commitment_id;
  IF c.preselection_id IS DISTINCT FROM NEW.preselection_id OR c.seed IS DISTINCT FROM NEW.seed OR c.commitment IS DISTINCT FROM NEW.commitment THEN
    RAISE EXCEPTION 'plate draw does not use the seed of its commitment' USING ERRCODE = 'check_violation', CONSTRAINT = 'plate_draw_seed_of_commitment';
  END IF;
  IF c.committed_xact = pg_current_xact_id() OR c.committed_at > NEW.drawn_at THEN
    RAISE EXCEPTION 'plate draw commitment was not stored before the draw' USING ERRCODE = 'check_violation', CONSTRAINT = 'plate_draw_commitment_stored_before';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER plate_draw_follows_commitment BEFORE INSERT OR UPDATE OF seed, commitment, commitment_id, client_nonce ON plate_draw
  FOR EACH ROW EXECUTE FUNCTION plate_draw_follows_commitment();
