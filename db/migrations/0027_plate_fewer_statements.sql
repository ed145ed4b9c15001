-- A random plate draw in ONE statement (issue 23, fewer statements per plate
-- request; notes for ADR-040 "Plates").
--
-- The single path (bff/src/modules/plates/service.ts, `drawNumbers` with
-- GROUP_COMMIT=false) is a transaction of some twenty statements: lock the
-- preselection, read the plan and the draws used, lock and use the pending
-- commitment, end the previous offer, insert the draw, then for each candidate
-- an offer (offerIfFree) and a peek (peekNumber), then the draw record, the
-- next commitment, the audit row and the offer-expiry job. This function does
-- the same, in the same order, with the same locks taken in the same order
-- (the preselection, the commitment, the previous draw, then pool rows), in
-- one round trip. What stays in the bff, so that the rule book stays in
-- rules.ts: the candidate indices (rules.candidateIndices, computed from the
-- pending commitment's seed and the browser's nonce), the outcome of a skipped
-- candidate (a table built by rules.skippedOutcome for every status), the
-- masked part of the audit snapshot known before the draw.
--
-- p: { preselectionId, userId, commitmentId, commitment, poolSize, now, expiresAt, algorithm,
--      idx: int[], rejected: int[],          -- candidates in order, and the words dropped up to each
--      maxCandidates, drawSize, maxDraws,    -- rules.MAX_CANDIDATES, DRAW_SIZE, MAX_DRAWS
--      skipped: { <status> | this:<status> → outcome },   -- rules.skippedOutcome(status, heldByThisDraw)
--      nextCommitment, drawNo, poolVersion,
--      audit: { actorKind, actorId, actorLabel, after, requestId, ip },   -- after masked by the bff
--      jobKind }
-- Refusals (nothing written) come back as the outcome, in the single path's
-- order. Two outcomes must roll back what the walk already offered, so they
-- raise instead (the bff maps them): JGP01 — the candidates handed over ran
-- out before ten numbers were offered and before MAX_CANDIDATES (the bff sends
-- them all and runs the statement again); JGP02 — not a single number offered
-- (plates.pool_exhausted).
CREATE FUNCTION plate_draw_numbers(p jsonb, p_client_nonce bytea, p_next_seed bytea)
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
  v_draw uuid;
  v_plate text; v_status text; v_offer uuid; v_key text; v_outcome text;
  v_offered text[] := '{}';
  v_candidates jsonb := '[]';
  v_n int := 0;
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
    WHERE pn.offer_id = v_prev AND pn.status = 'offered';
    UPDATE plate_draw d SET status = 'superseded', ended_at = v_now, picked_plate_no = NULL WHERE d.id = v_prev AND d.status = 'open';
  END IF;

  -- insertDraw
  INSERT INTO plate_draw (preselection_id, draw_no, plan_id, pool_version, pool_size, pool_digest, algorithm, seed, commitment, commitment_id, client_nonce,
                          status, drawn_at, expires_at)
  VALUES (v_ps, v_used + 1, s_plan, l_version, l_size, l_digest, p->>'algorithm', c_seed, c_commitment, c_id, p_client_nonce, 'open', v_now, v_expires)
  RETURNING id INTO v_draw;

  -- The candidates in order: offerIfFree, else peekNumber and why it was skipped; until ten offered or MAX_CANDIDATES examined.
  WHILE cardinality(v_offered) < v_draw_size AND v_n < v_max_candidates LOOP
    IF v_n >= coalesce(cardinality(v_idx), 0) THEN
      RAISE EXCEPTION 'plate_draw_numbers: more candidates needed' USING ERRCODE = 'JGP01';
    END IF;
    v_n := v_n + 1;
    v_plate := NULL;
    UPDATE plate_number pn SET status = 'offered', offer_id = v_draw, held_until = v_expires, updated_at = v_now
    WHERE pn.id = (SELECT x.id FROM plate_number x WHERE x.plan_id = s_plan AND x.idx = v_idx[v_n] AND x.status = 'free' FOR UPDATE SKIP LOCKED)
    RETURNING pn.plate_no INTO v_plate;
    IF v_plate IS NOT NULL THEN
      v_offered := v_offered || v_plate;
      v_candidates := v_candidates || jsonb_build_array(jsonb_build_object('n', v_n, 'idx', v_idx[v_n], 'plateNo', v_plate, 'outcome', 'offered'));
    ELSE
      v_status := NULL; v_offer := NULL;
      SELECT x.plate_no, x.status, x.offer_id INTO v_plate, v_status, v_offer FROM plate_number x WHERE x.plan_id = s_plan AND x.idx = v_idx[v_n];
      v_key := CASE WHEN v_offer IS NOT NULL AND v_offer = v_draw THEN 'this:' ELSE '' END || coalesce(v_status, 'free');
      v_outcome := p->'skipped'->>v_key;
      IF v_outcome IS NULL THEN
        RAISE EXCEPTION 'plate_draw_numbers: no outcome for a skipped candidate of status %', v_key;
      END IF;
      v_candidates := v_candidates || jsonb_build_array(jsonb_build_object('n', v_n, 'idx', v_idx[v_n], 'plateNo', coalesce(v_plate, ''), 'outcome', v_outcome));
    END IF;
  END LOOP;
  IF cardinality(v_offered) = 0 THEN
    RAISE EXCEPTION 'plate_draw_numbers: no number offered' USING ERRCODE = 'JGP02';
  END IF;

  -- finishDrawRecord, the next commitment (commitNextDraw), the audit row, the offer-expiry job
  UPDATE plate_draw d SET candidates = v_candidates, rejected_words = v_rejected[v_n], offered = v_offered WHERE d.id = v_draw;
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
