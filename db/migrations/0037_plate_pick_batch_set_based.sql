-- A pick batch's writes in two statements (issue 23, ADR-040 "Plates: a draw
-- batch and a pick batch in a few statements").
--
-- Migration 0026's plate_pick_batch (restated by 0031) decided and wrote one
-- member at a time: per member two reads, the conditional UPDATE of the picked
-- number, then the rest of its offer given back, the draw ended, the
-- preselection reserved, its audit row, SMS with its first event and
-- reservation-deadline job — some ten statements inside PL/pgSQL a pick, each
-- with its executor started and ended. This restates the function whole; what
-- it decides is the same, member by member, in arrival order, with the same
-- checks in the same order:
--
--   1. The members' preselections are locked in id order, then their draws in
--      id order, as before; then the pool rows of the offers that a member
--      may pick from (its draw of its own preselection), in pool row order.
--      Before, the pick's UPDATE locked the picked row and the give-back the
--      rest; now they are locked first, before they are read. A draw's offer
--      rows are locked only under its preselection's lock, as a draw batch
--      locks them (migration 0036), so the two never wait on each other
--      crosswise.
--   2. Each member's preselection, draw and picked row (still offered by the
--      draw) are read once for the batch, under those locks.
--   3. The members are decided one by one, in arrival order, as before. A
--      member whose preselection or draw an earlier member of the batch
--      picked from meets what that pick left: the preselection reserved
--      (preselection_wrong_status), the draw ended (offer_expired).
--   4. The winners are written in two statements: each picked number
--      reserved, the rest of each offer given back, each draw ended 'picked',
--      each preselection reserved; then each winner's audit row, SMS with its
--      first event and reservation-deadline job, in arrival order
--      (plate_reserved_effects, which the reservation batch shares).
--
-- Every rule stays in PostgreSQL: the rows decided on are locked, and the
-- unique indexes (one holder of a number across pools, one holder of a
-- preselected number) and the tables' CHECKs stand behind the writes; a
-- violation fails the whole statement, and the bff splits the batch
-- (platform/group-commit.ts).
-- What goes with a number reserved for a preselection, by a pick or by a
-- self-composed reservation (plate_reserve_batch, migration 0038): the audit
-- row, the SMS with its first event and the reservation-deadline job of a
-- batch's winners, in arrival order. `members` are the batch's members (each
-- with its at, deadline, authorityId, phone, audit and sms), `ords` the
-- winners' places among them, `ids` their preselections.
CREATE FUNCTION plate_reserved_effects(members jsonb, ords int[], ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  WITH w AS MATERIALIZED (
    SELECT w.ord, w.id, x.*
    FROM unnest(ords, ids) AS w(ord, id)
    CROSS JOIN LATERAL jsonb_to_record(members->(w.ord - 1)) AS x(at timestamptz, deadline timestamptz, "authorityId" text, phone text, audit jsonb, sms jsonb)
  ), audit AS (
    INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
    SELECT w.at, w.audit->>'actorKind', w.audit->>'actorId', w.audit->>'actorLabel', w."authorityId", 'plates.number_reserved', 'plate_preselection',
           w.id::text, NULL, w.audit->'after', w.audit->>'requestId', w.audit->>'ip'
    FROM w ORDER BY w.ord
  ), msg AS (
    INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
    SELECT 'sms', w.phone, 'plates.reserved', w.sms->'payload', w."authorityId", 'plates.reserved:' || w.id, 'pending', w.at, w.at, w.at
    FROM w ORDER BY w.ord
    ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
    RETURNING outbox_message.id, outbox_message.created_at, (outbox_message.xmax = 0) AS fresh
  ), event AS (
    INSERT INTO outbox_event (message_id, at, status)
    SELECT msg.id, msg.created_at, 'pending' FROM msg WHERE msg.fresh
  )
  INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
  SELECT 'plates.reservation_deadline', jsonb_build_object('preselectionId', w.id), w.deadline, w.id::text, 10, w.at
  FROM w ORDER BY w.ord
  ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued' DO NOTHING
$$;

CREATE OR REPLACE FUNCTION plate_pick_batch(members jsonb)
RETURNS TABLE (n int, outcome text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
  w_ord int[] := '{}';     -- the winners, in arrival order: their member's place,
  w_num bigint[] := '{}';  -- the pool row each picks,
  w_ps uuid[] := '{}';     -- its preselection,
  w_draw uuid[] := '{}';   -- its draw
  v_count int;
BEGIN
  PERFORM 1 FROM plate_preselection ps
  WHERE ps.id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e)
  ORDER BY ps.id FOR UPDATE;
  PERFORM 1 FROM plate_draw pd
  WHERE pd.id IN (SELECT (e->>'drawId')::uuid FROM jsonb_array_elements(members) e)
  ORDER BY pd.id FOR UPDATE;
  -- offer_id set means offered (the table's CHECK): no status condition here, so no index but the offer's can find these rows (migration 0031)
  PERFORM 1 FROM plate_number pn
  WHERE pn.offer_id IN (SELECT pd.id FROM jsonb_array_elements(members) e JOIN plate_draw pd
                          ON pd.id = (e->>'drawId')::uuid AND pd.preselection_id = (e->>'preselectionId')::uuid)
  ORDER BY pn.id FOR UPDATE;

  FOR m IN
    SELECT e.ord::int AS i, (e.j->>'preselectionId')::uuid AS ps_id, (e.j->>'drawId')::uuid AS d_id, e.j->>'plateNo' AS plate_no,
           (e.j->>'at')::timestamptz AS at,
           ps.status AS ps_status, d.preselection_id AS d_ps, d.status AS d_status, d.expires_at AS d_expires, d.offered AS d_offered, x.id AS num_id
    FROM jsonb_array_elements(members) WITH ORDINALITY AS e(j, ord)
    LEFT JOIN LATERAL (SELECT ps.status FROM plate_preselection ps
                       WHERE ps.id = (e.j->>'preselectionId')::uuid AND ps.user_account_id = (e.j->>'userId')::uuid LIMIT 1) ps ON true
    LEFT JOIN LATERAL (SELECT d.preselection_id, d.status, d.expires_at, d.offered FROM plate_draw d WHERE d.id = (e.j->>'drawId')::uuid LIMIT 1) d ON true
    -- the picked number, still offered by the draw (the conditional UPDATE's condition: offer_id set means offered)
    LEFT JOIN LATERAL (SELECT pn.id FROM plate_number pn WHERE pn.offer_id = (e.j->>'drawId')::uuid AND pn.plate_no = e.j->>'plateNo' LIMIT 1) x ON true
    ORDER BY e.ord
  LOOP
    n := m.i; outcome := NULL;

    IF m.ps_status IS NULL THEN
      outcome := 'preselection_not_found'; RETURN NEXT; CONTINUE;
    END IF;
    -- an earlier winner of this preselection left it reserved
    IF m.ps_status <> 'drawing' OR m.ps_id = ANY (w_ps) THEN
      outcome := 'preselection_wrong_status'; RETURN NEXT; CONTINUE;
    END IF;
    IF m.d_ps IS NULL OR m.d_ps <> m.ps_id THEN
      outcome := 'draw_not_found'; RETURN NEXT; CONTINUE;
    END IF;
    -- an earlier winner of this draw left it picked
    IF m.d_status <> 'open' OR m.d_expires <= m.at OR m.d_id = ANY (w_draw) THEN
      outcome := 'offer_expired'; RETURN NEXT; CONTINUE;
    END IF;
    IF NOT (m.plate_no = ANY (m.d_offered)) THEN
      outcome := 'number_not_offered'; RETURN NEXT; CONTINUE;
    END IF;
    IF m.num_id IS NULL THEN
      outcome := 'offer_expired'; RETURN NEXT; CONTINUE;
    END IF;

    w_ord := w_ord || m.i; w_num := w_num || m.num_id; w_ps := w_ps || m.ps_id; w_draw := w_draw || m.d_id;
    outcome := 'reserved';
    RETURN NEXT;
  END LOOP;

  IF cardinality(w_ord) = 0 THEN
    RETURN;
  END IF;

  WITH w AS MATERIALIZED (
    SELECT w.ord, w.num, x.*
    FROM unnest(w_ord, w_num) AS w(ord, num)
    CROSS JOIN LATERAL jsonb_to_record(members->(w.ord - 1)) AS x("preselectionId" uuid, "drawId" uuid, "plateNo" text, deadline timestamptz, at timestamptz)
  ), picked AS (
    UPDATE plate_number pn SET status = 'reserved', offer_id = NULL, preselection_id = w."preselectionId", held_until = w.deadline, updated_at = w.at
    FROM w WHERE pn.id = w.num
    RETURNING pn.id
  ), back AS (
    -- the other numbers of each offer go back to the pool (not the picked one: a row is written once a statement)
    -- offer_id set means offered (the table's CHECK): no status condition here, so no index but the offer's can find these rows (migration 0031)
    UPDATE plate_number pn SET status = 'free', offer_id = NULL, held_until = NULL, updated_at = w.at
    FROM w WHERE pn.offer_id = w."drawId" AND pn.id <> w.num
  ), ended AS (
    UPDATE plate_draw pd SET status = 'picked', ended_at = w.at, picked_plate_no = w."plateNo" FROM w WHERE pd.id = w."drawId" AND pd.status = 'open'
  ), ps AS (
    UPDATE plate_preselection ps SET status = 'reserved', plate_no = w."plateNo", reserved_at = w.at, deadline = w.deadline FROM w WHERE ps.id = w."preselectionId"
  )
  SELECT count(*)::int INTO v_count FROM picked;
  IF v_count <> cardinality(w_ord) THEN
    RAISE EXCEPTION 'plate_pick_batch: % numbers reserved of %', v_count, cardinality(w_ord);
  END IF;
  PERFORM plate_reserved_effects(members, w_ord, w_ps);
END
$$;
