-- Group commit of plate reservations and random-offer picks (issue 23,
-- docs/decisions/040-group-commit.md, section "Plates").
--
-- Each function decides a batch of requests in ONE statement (one round trip,
-- one transaction, one commit), one by one in arrival order, with exactly the
-- write-time guards of the single path (bff/src/modules/plates/service.ts,
-- `startPreselection` self-composed and `pickNumber`), and writes each
-- winner's rows in the same transaction: the preselection / the pool row /
-- the draw, its audit row (snapshot masked by the bff), its SMS with its first
-- outbox event and its deadline job. A loser writes nothing and gets the code
-- the single path would have answered. The unique indexes and CHECKs of
-- plate_number / plate_preselection stay behind every check: a concurrent
-- transaction's uncommitted holder makes the whole statement fail on them,
-- nothing of it commits, and the bff splits the batch (platform/group-commit.ts)
-- so that the member alone meets the index exactly as the single path does.
-- The plates module has no Idempotency-Key (its routes store none), so neither
-- function writes one.

-- Self-composed reservation (R-24.2, R-23.2, R-23.4).
--
-- members: a JSON array, in arrival order, of
--   { id, reference, userId, planId, authorityId, vin, ownerIdType, ownerIdNumber, ownerName, phone, plateNo,
--     deadline, at,
--     audit: { actorKind, actorId, actorLabel, after, requestId, ip },   -- masked by the bff
--     sms: { payload } }
-- The single path inserts the preselection (unique indexes in their creation
-- order: one live per user, one live per VIN, one holder per number), then
-- takes the number by the conditional UPDATE (free → reserved; else withheld /
-- taken), the number's holder in another pool refusing by
-- plate_number_one_holder. The checks below are the same, in that order, on
-- the pool rows of the batch locked first in id order (no deadlock between
-- batches of two processes on them).
CREATE FUNCTION plate_reserve_batch(members jsonb)
RETURNS TABLE (n int, outcome text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
  num_id bigint;
  num_status text;
  msg_id uuid;
  msg_new boolean;
BEGIN
  PERFORM 1 FROM plate_number pn
  WHERE (pn.plan_id, pn.plate_no) IN (SELECT (e->>'planId')::uuid, e->>'plateNo' FROM jsonb_array_elements(members) e)
  ORDER BY pn.id FOR UPDATE;

  FOR m IN
    SELECT x.*, e.ord::int AS i
    FROM jsonb_array_elements(members) WITH ORDINALITY AS e(j, ord),
         jsonb_to_record(e.j) AS x(
           id uuid, reference text, "userId" uuid, "planId" uuid, "authorityId" text, vin text, "ownerIdType" text, "ownerIdNumber" text,
           "ownerName" text, phone text, "plateNo" text, deadline timestamptz, at timestamptz, audit jsonb, sms jsonb)
    ORDER BY e.ord
  LOOP
    n := m.i; outcome := NULL; num_id := NULL; num_status := NULL;

    -- plate_preselection_one_active_per_user
    IF EXISTS (SELECT 1 FROM plate_preselection ps WHERE ps.user_account_id = m."userId" AND ps.status IN ('drawing', 'reserved')) THEN
      outcome := 'active_preselection_exists'; RETURN NEXT; CONTINUE;
    END IF;
    -- plate_preselection_one_active_per_vin
    IF EXISTS (SELECT 1 FROM plate_preselection ps WHERE ps.vin = m.vin AND ps.status IN ('drawing', 'reserved')) THEN
      outcome := 'vin_in_preselection'; RETURN NEXT; CONTINUE;
    END IF;
    -- plate_preselection_one_holder
    IF EXISTS (SELECT 1 FROM plate_preselection ps WHERE ps.plate_no = m."plateNo" AND ps.status IN ('reserved', 'registered')) THEN
      outcome := 'number_taken'; RETURN NEXT; CONTINUE;
    END IF;
    -- the conditional UPDATE … WHERE status = 'free' (reserveIfFree), then why not (findNumber)
    SELECT pn.id, pn.status INTO num_id, num_status FROM plate_number pn WHERE pn.plan_id = m."planId" AND pn.plate_no = m."plateNo";
    IF num_id IS NULL OR num_status <> 'free' THEN
      outcome := CASE WHEN num_status = 'withheld' THEN 'number_withheld' ELSE 'number_taken' END;
      RETURN NEXT; CONTINUE;
    END IF;
    -- plate_number_one_holder: the same number held in another pool
    IF EXISTS (SELECT 1 FROM plate_number o WHERE o.plate_no = m."plateNo" AND o.id <> num_id AND o.status IN ('offered', 'reserved', 'issued')) THEN
      outcome := 'number_taken'; RETURN NEXT; CONTINUE;
    END IF;

    INSERT INTO plate_preselection (id, reference, user_account_id, plan_id, authority_id, mode, vin, owner_id_type, owner_id_number, owner_name, phone,
                                    plate_no, status, created_at, reserved_at, deadline)
    VALUES (m.id, m.reference, m."userId", m."planId", m."authorityId", 'self', m.vin, m."ownerIdType", m."ownerIdNumber", m."ownerName", m.phone,
            m."plateNo", 'reserved', m.at, m.at, m.deadline);

    UPDATE plate_number pn SET status = 'reserved', preselection_id = m.id, held_until = m.deadline, updated_at = m.at
    WHERE pn.id = num_id AND pn.status = 'free';
    IF NOT FOUND THEN
      RAISE EXCEPTION 'plate_reserve_batch: number % no longer free under its lock', m."plateNo";
    END IF;

    INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
    VALUES (m.at, m.audit->>'actorKind', m.audit->>'actorId', m.audit->>'actorLabel', m."authorityId", 'plates.number_reserved', 'plate_preselection', m.id::text,
            NULL, m.audit->'after', m.audit->>'requestId', m.audit->>'ip');

    INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
    VALUES ('sms', m.phone, 'plates.reserved', m.sms->'payload', m."authorityId", 'plates.reserved:' || m.id, 'pending', m.at, m.at, m.at)
    ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
    RETURNING outbox_message.id, (outbox_message.xmax = 0) INTO msg_id, msg_new;
    IF msg_new THEN
      INSERT INTO outbox_event (message_id, at, status) VALUES (msg_id, m.at, 'pending');
    END IF;

    INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
    VALUES ('plates.reservation_deadline', jsonb_build_object('preselectionId', m.id), m.deadline, m.id::text, 10, m.at)
    ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued' DO NOTHING;

    outcome := 'reserved';
    RETURN NEXT;
  END LOOP;
END
$$;

-- Pick of one number of the open offer (PD-14).
--
-- members: a JSON array, in arrival order, of
--   { preselectionId, userId, drawId, plateNo, deadline, at, authorityId, phone,
--     audit: { actorKind, actorId, actorLabel, after, requestId, ip },   -- masked by the bff
--     sms: { payload } }
-- The single path locks the user's preselection, then the draw, and checks in
-- this order: preselection of the user (not found), still drawing (wrong
-- status), the draw of this preselection (not found), open and not past its
-- time (expired), the number among the offered ones (not offered), then the
-- conditional UPDATE offered → reserved by this draw (expired). The same here,
-- on the preselections then the draws of the batch locked first, each in id
-- order (the order of the single path and of the offer-expiry job).
CREATE FUNCTION plate_pick_batch(members jsonb)
RETURNS TABLE (n int, outcome text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
  ps_status text;
  d_ps uuid;
  d_status text;
  d_expires timestamptz;
  d_offered text[];
  msg_id uuid;
  msg_new boolean;
BEGIN
  PERFORM 1 FROM plate_preselection ps
  WHERE ps.id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e)
  ORDER BY ps.id FOR UPDATE;
  PERFORM 1 FROM plate_draw pd
  WHERE pd.id IN (SELECT (e->>'drawId')::uuid FROM jsonb_array_elements(members) e)
  ORDER BY pd.id FOR UPDATE;

  FOR m IN
    SELECT x.*, e.ord::int AS i
    FROM jsonb_array_elements(members) WITH ORDINALITY AS e(j, ord),
         jsonb_to_record(e.j) AS x(
           "preselectionId" uuid, "userId" uuid, "drawId" uuid, "plateNo" text, deadline timestamptz, at timestamptz,
           "authorityId" text, phone text, audit jsonb, sms jsonb)
    ORDER BY e.ord
  LOOP
    n := m.i; outcome := NULL; ps_status := NULL; d_ps := NULL; d_status := NULL; d_expires := NULL; d_offered := NULL;

    SELECT ps.status INTO ps_status FROM plate_preselection ps WHERE ps.id = m."preselectionId" AND ps.user_account_id = m."userId";
    IF ps_status IS NULL THEN
      outcome := 'preselection_not_found'; RETURN NEXT; CONTINUE;
    END IF;
    IF ps_status <> 'drawing' THEN
      outcome := 'preselection_wrong_status'; RETURN NEXT; CONTINUE;
    END IF;
    SELECT pd.preselection_id, pd.status, pd.expires_at, pd.offered INTO d_ps, d_status, d_expires, d_offered FROM plate_draw pd WHERE pd.id = m."drawId";
    IF d_ps IS NULL OR d_ps <> m."preselectionId" THEN
      outcome := 'draw_not_found'; RETURN NEXT; CONTINUE;
    END IF;
    IF d_status <> 'open' OR d_expires <= m.at THEN
      outcome := 'offer_expired'; RETURN NEXT; CONTINUE;
    END IF;
    IF NOT (m."plateNo" = ANY (d_offered)) THEN
      outcome := 'number_not_offered'; RETURN NEXT; CONTINUE;
    END IF;
    UPDATE plate_number pn SET status = 'reserved', offer_id = NULL, preselection_id = m."preselectionId", held_until = m.deadline, updated_at = m.at
    WHERE pn.offer_id = m."drawId" AND pn.plate_no = m."plateNo" AND pn.status = 'offered';
    IF NOT FOUND THEN
      outcome := 'offer_expired'; RETURN NEXT; CONTINUE;
    END IF;

    -- the other numbers of the offer go back to the pool; the draw ends picked; the preselection holds the number
    UPDATE plate_number pn SET status = 'free', offer_id = NULL, held_until = NULL, updated_at = m.at
    WHERE pn.offer_id = m."drawId" AND pn.status = 'offered';
    UPDATE plate_draw pd SET status = 'picked', ended_at = m.at, picked_plate_no = m."plateNo" WHERE pd.id = m."drawId" AND pd.status = 'open';
    UPDATE plate_preselection ps SET status = 'reserved', plate_no = m."plateNo", reserved_at = m.at, deadline = m.deadline WHERE ps.id = m."preselectionId";

    INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
    VALUES (m.at, m.audit->>'actorKind', m.audit->>'actorId', m.audit->>'actorLabel', m."authorityId", 'plates.number_reserved', 'plate_preselection',
            m."preselectionId"::text, NULL, m.audit->'after', m.audit->>'requestId', m.audit->>'ip');

    INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
    VALUES ('sms', m.phone, 'plates.reserved', m.sms->'payload', m."authorityId", 'plates.reserved:' || m."preselectionId", 'pending', m.at, m.at, m.at)
    ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
    RETURNING outbox_message.id, (outbox_message.xmax = 0) INTO msg_id, msg_new;
    IF msg_new THEN
      INSERT INTO outbox_event (message_id, at, status) VALUES (msg_id, m.at, 'pending');
    END IF;

    INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
    VALUES ('plates.reservation_deadline', jsonb_build_object('preselectionId', m."preselectionId"), m.deadline, m."preselectionId"::text, 10, m.at)
    ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued' DO NOTHING;

    outcome := 'reserved';
    RETURN NEXT;
  END LOOP;
END
$$;
