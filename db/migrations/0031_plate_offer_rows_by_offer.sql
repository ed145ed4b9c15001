-- The pool rows of an offer found by the offer, whatever the statistics say
-- (issue 23, ADR-040 "Plates: the offer's rows by the offer").
--
-- A pick takes its number and gives the rest of its offer back; a draw gives
-- its previous offer back, and its batch locks those rows first. Each found
-- the rows by `offer_id = … AND status = 'offered'`. Two indexes served that
-- condition: plate_number_offer_idx (offer_id), and plate_number_held_idx
-- (plan_id, status) WHERE status <> 'free', through its status column alone.
-- The statistics of a pool are taken while its numbers are free, and a rush
-- offers thousands within seconds: the planner counted one offered row and
-- took the second index, then read every offered number of every pool and
-- dropped all but the ten of this offer (990 rows in a bench plate rush, for
-- each pick and each release). The status condition says nothing the table's
-- CHECK does not already say (offer_id is set exactly when the row is
-- offered): without it, only the offer's index can serve.
--
-- The reservation batch's check for the same number held in another pool had
-- the same trap: its status list let the held rows' index qualify, read whole.
-- It now finds the number's rows by the number, then tests their status.
--
-- The functions are restated whole (a migration's text is fixed once applied:
-- the checksum guard); nothing else in them changes.

CREATE OR REPLACE FUNCTION plate_reserve_batch(members jsonb)
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
    -- plate_number_one_holder: the same number held in another pool. The number's rows are found by the number
    -- alone (OFFSET 0 keeps the status test out of the scan): with it, a partial index of held rows qualified,
    -- and stale statistics that count no held rows chose to read all of them (migration 0031).
    IF EXISTS (SELECT 1 FROM (SELECT o.status FROM plate_number o WHERE o.plate_no = m."plateNo" AND o.id <> num_id OFFSET 0) o
               WHERE o.status IN ('offered', 'reserved', 'issued')) THEN
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

CREATE OR REPLACE FUNCTION plate_pick_batch(members jsonb)
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
    -- offer_id set means offered (the table's CHECK): no status condition here, so no index but the offer's can find these rows (migration 0031)
    UPDATE plate_number pn SET status = 'reserved', offer_id = NULL, preselection_id = m."preselectionId", held_until = m.deadline, updated_at = m.at
    WHERE pn.offer_id = m."drawId" AND pn.plate_no = m."plateNo";
    IF NOT FOUND THEN
      outcome := 'offer_expired'; RETURN NEXT; CONTINUE;
    END IF;

    -- the other numbers of the offer go back to the pool; the draw ends picked; the preselection holds the number
    UPDATE plate_number pn SET status = 'free', offer_id = NULL, held_until = NULL, updated_at = m.at
    WHERE pn.offer_id = m."drawId";
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

CREATE OR REPLACE FUNCTION plate_draw_batch(members jsonb)
RETURNS TABLE (n int, outcome text, draw_id uuid)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
BEGIN
  PERFORM 1 FROM plate_preselection ps
  WHERE ps.id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e)
  ORDER BY ps.id FOR UPDATE;
  -- The numbers of their open offers, which a member's draw gives back before it offers new ones, in pool
  -- row order (as plate_reserve_batch locks pool rows): a single draw gives them back before it holds any new
  -- offer, but a later member would do so while the batch holds the earlier members' new offers, and a
  -- reservation batch holding one of those numbers and wanting a new offer would close a circle.
  -- offer_id set means offered (the table's CHECK): no status condition here, so no index but the offer's can find these rows (migration 0031)
  PERFORM 1 FROM plate_number pn
  WHERE pn.offer_id IN (SELECT d.id FROM plate_draw d
                        WHERE d.preselection_id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e) AND d.status = 'open')
  ORDER BY pn.id FOR UPDATE;

  FOR m IN SELECT e.j, e.ord::int AS i FROM jsonb_array_elements(members) WITH ORDINALITY AS e(j, ord) ORDER BY e.ord LOOP
    n := m.i; outcome := NULL; draw_id := NULL;
    BEGIN
      SELECT d.outcome, d.draw_id INTO outcome, draw_id
      FROM plate_draw_numbers(m.j - 'clientNonce' - 'nextSeed', decode(m.j->>'clientNonce', 'hex'), decode(m.j->>'nextSeed', 'hex')) d;
    EXCEPTION
      WHEN SQLSTATE 'JGP01' THEN outcome := 'more_candidates'; draw_id := NULL;
      WHEN SQLSTATE 'JGP02' THEN outcome := 'pool_exhausted'; draw_id := NULL;
    END;
    RETURN NEXT;
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION plate_draw_numbers(p jsonb, p_client_nonce bytea, p_next_seed bytea)
RETURNS TABLE (outcome text, draw_id uuid)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_ps uuid := (p->>'preselectionId')::uuid;
  v_user uuid := (p->>'userId')::uuid;
  v_now timestamptz := (p->>'now')::timestamptz;
  v_expires timestamptz := (p->>'expiresAt')::timestamptz;
  v_idx int[] := ARRAY(SELECT jsonb_array_elements_text(p->'idx')::int);
  v_rejected int[] := ARRAY(SELECT jsonb_array_elements_text(p->'rejected')::int);
  v_draw_size int := (p->>'drawSize')::int;
  v_max_candidates int := (p->>'maxCandidates')::int;
  v_max_draws int := (p->>'maxDraws')::int;
  s_status text; s_plan uuid; s_vin text; s_authority text;
  l_status text; l_start timestamptz; l_size int; l_version int; l_digest text;
  c_id uuid; c_seed bytea; c_commitment text;
  v_prev uuid;
  v_used int;
  v_draw uuid := gen_random_uuid();
  v_limit int;            -- candidates the walk may examine: those handed over, at most maxCandidates
  v_from int := 0;        -- candidates examined so far
  v_to int;
  v_chunk int := 16;
  v_ids bigint[] := '{}'; -- the pool rows locked for the offer, in candidate order
  v_at int[] := '{}';     -- their places in the candidate list
  v_n int;                -- candidates examined: up to the tenth offered, or all
  v_offered text[];
  v_candidates jsonb;
  v_unknown text;
  r record;
BEGIN
  -- lockOwnPreselection
  SELECT s.status, s.plan_id, s.vin, s.authority_id INTO s_status, s_plan, s_vin, s_authority
  FROM plate_preselection s WHERE s.id = v_ps AND s.user_account_id = v_user FOR UPDATE;
  IF NOT FOUND THEN
    outcome := 'preselection_not_found'; RETURN NEXT; RETURN;
  END IF;
  IF s_status <> 'drawing' THEN
    outcome := 'preselection_wrong_status'; RETURN NEXT; RETURN;
  END IF;
  -- openPlan
  SELECT l.status, l.start_at, l.pool_size, l.pool_version, l.pool_digest INTO l_status, l_start, l_size, l_version, l_digest
  FROM plate_segment_plan l WHERE l.id = s_plan;
  IF l_status IS DISTINCT FROM 'open' OR l_start > v_now THEN
    outcome := 'segment_not_open'; RETURN NEXT; RETURN;
  END IF;
  -- drawsUsed
  SELECT count(*)::int INTO v_used FROM plate_draw d JOIN plate_preselection o ON o.id = d.preselection_id
  WHERE o.user_account_id = v_user AND o.vin = s_vin;
  IF v_used >= v_max_draws THEN
    outcome := 'draws_exhausted'; RETURN NEXT; RETURN;
  END IF;
  -- pendingCommitment (locked), the one the browser was shown and the bff derived the candidates from; useCommitment
  SELECT c.id, c.seed, c.commitment INTO c_id, c_seed, c_commitment
  FROM plate_draw_commitment c WHERE c.preselection_id = v_ps AND c.used_at IS NULL FOR UPDATE;
  IF c_id IS NULL OR c_commitment <> p->>'commitment' OR c_id <> (p->>'commitmentId')::uuid THEN
    outcome := 'draw_commitment_stale'; RETURN NEXT; RETURN;
  END IF;
  -- The candidates were derived from this pool; the draw's number, version and audit snapshot were read with it.
  -- An open plan's pool does not change, and a draw of this preselection in between would have used the commitment.
  IF l_size <> (p->>'poolSize')::int OR l_version <> (p->>'poolVersion')::int OR v_used + 1 <> (p->>'drawNo')::int THEN
    RAISE EXCEPTION 'plate_draw_numbers: the pool or the draws changed under the commitment';
  END IF;
  UPDATE plate_draw_commitment c SET used_at = v_now WHERE c.id = c_id AND c.used_at IS NULL;
  IF NOT FOUND THEN
    outcome := 'draw_commitment_stale'; RETURN NEXT; RETURN;
  END IF;

  -- openDrawOf (locked): the previous offer ends, its numbers go back (releaseOffered, endDraw 'superseded')
  SELECT d.id INTO v_prev FROM plate_draw d WHERE d.preselection_id = v_ps AND d.status = 'open' FOR UPDATE;
  IF v_prev IS NOT NULL THEN
    UPDATE plate_number pn SET status = 'free', offer_id = NULL, held_until = NULL, updated_at = v_now
    WHERE pn.offer_id = v_prev; -- offer_id set means offered (the table's CHECK): no status condition here, so no index but the offer's can find these rows (migration 0031)
    UPDATE plate_draw d SET status = 'superseded', ended_at = v_now, picked_plate_no = NULL WHERE d.id = v_prev AND d.status = 'open';
  END IF;

  -- The walk: the free rows of the candidates in order, locked (SKIP LOCKED) a chunk at a time, until ten or the last
  -- candidate that may be examined. A number's later places in the list are not its first: examined there no more.
  v_limit := least(coalesce(cardinality(v_idx), 0), v_max_candidates);
  WHILE cardinality(v_ids) < v_draw_size AND v_from < v_limit LOOP
    v_to := least(v_limit, v_from + v_chunk);
    FOR r IN
      SELECT x.id, c.at
      FROM (SELECT u.i, u.at::int AS at, min(u.at) OVER (PARTITION BY u.i) AS first
            FROM unnest(v_idx[1:v_to]) WITH ORDINALITY AS u(i, at)) c
      JOIN plate_number x ON x.plan_id = s_plan AND x.idx = c.i
      WHERE c.at > v_from AND c.at = c.first AND x.status = 'free'
      ORDER BY c.at
      LIMIT v_draw_size - cardinality(v_ids)
      FOR UPDATE OF x SKIP LOCKED
    LOOP
      v_ids := v_ids || r.id;
      v_at := v_at || r.at;
    END LOOP;
    v_from := CASE WHEN cardinality(v_ids) >= v_draw_size THEN v_at[cardinality(v_at)] ELSE v_to END;
    v_chunk := v_chunk * 4;
  END LOOP;
  IF cardinality(v_ids) < v_draw_size AND v_from < v_max_candidates THEN
    RAISE EXCEPTION 'plate_draw_numbers: more candidates needed' USING ERRCODE = 'JGP01';
  END IF;
  IF cardinality(v_ids) = 0 THEN
    RAISE EXCEPTION 'plate_draw_numbers: no number offered' USING ERRCODE = 'JGP02';
  END IF;
  v_n := v_from;

  -- offerIfFree, for the locked rows at once
  UPDATE plate_number pn SET status = 'offered', offer_id = v_draw, held_until = v_expires, updated_at = v_now WHERE pn.id = ANY (v_ids);

  -- The record of every candidate examined: offered, or why it was skipped (peekNumber: the status it has now).
  SELECT jsonb_agg(jsonb_build_object('n', e.at, 'idx', e.i, 'plateNo', e.plate_no, 'outcome', e.outcome) ORDER BY e.at),
         array_agg(e.plate_no ORDER BY e.at) FILTER (WHERE e.outcome = 'offered'),
         min(e.status_key) FILTER (WHERE e.outcome IS NULL)
  INTO v_candidates, v_offered, v_unknown
  FROM (SELECT u.at::int AS at, u.i, coalesce(x.plate_no, '') AS plate_no, k.status_key,
               CASE WHEN u.at = ANY (v_at) THEN 'offered' ELSE p->'skipped'->>k.status_key END AS outcome
        FROM unnest(v_idx[1:v_n]) WITH ORDINALITY AS u(i, at)
        LEFT JOIN plate_number x ON x.plan_id = s_plan AND x.idx = u.i
        CROSS JOIN LATERAL (SELECT CASE WHEN x.offer_id IS NOT NULL AND x.offer_id = v_draw THEN 'this:' ELSE '' END
                                   || coalesce(x.status, 'free') AS status_key) k) e;
  IF v_unknown IS NOT NULL THEN
    RAISE EXCEPTION 'plate_draw_numbers: no outcome for a skipped candidate of status %', v_unknown;
  END IF;

  -- insertDraw with finishDrawRecord, the next commitment (commitNextDraw), the audit row, the offer-expiry job
  INSERT INTO plate_draw (id, preselection_id, draw_no, plan_id, pool_version, pool_size, pool_digest, algorithm, seed, commitment, commitment_id, client_nonce,
                          status, drawn_at, expires_at, candidates, rejected_words, offered)
  VALUES (v_draw, v_ps, v_used + 1, s_plan, l_version, l_size, l_digest, p->>'algorithm', c_seed, c_commitment, c_id, p_client_nonce, 'open', v_now, v_expires,
          v_candidates, v_rejected[v_n], v_offered);
  IF v_used + 1 < v_max_draws THEN
    INSERT INTO plate_draw_commitment (preselection_id, seed, commitment, committed_at) VALUES (v_ps, p_next_seed, p->>'nextCommitment', v_now);
  END IF;
  INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
  VALUES (v_now, p->'audit'->>'actorKind', p->'audit'->>'actorId', p->'audit'->>'actorLabel', s_authority, 'plates.numbers_offered', 'plate_draw', v_draw::text,
          NULL, (p->'audit'->'after') || jsonb_build_object('candidates', v_n, 'offered', to_jsonb(v_offered)), p->'audit'->>'requestId', p->'audit'->>'ip');
  INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
  VALUES (p->>'jobKind', jsonb_build_object('preselectionId', v_ps, 'drawId', v_draw), v_expires, v_draw::text, 10, v_now)
  ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued' DO NOTHING;

  outcome := 'drawn'; draw_id := v_draw;
  RETURN NEXT;
END
$$;
