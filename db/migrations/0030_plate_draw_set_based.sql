-- A random draw's walk of its candidates in a few statements, not two or
-- three per candidate (issue 23, ADR-040 "Plates: the walk in a few statements").
--
-- plate_draw_numbers (migration 0027) walked the candidates one at a time: a
-- conditional UPDATE with SKIP LOCKED per candidate, a peek at each skipped
-- one, then an UPDATE of the draw record it had inserted first. In a plate
-- rush that was about twenty statements a draw inside PL/pgSQL, and the draws
-- were the largest share of PostgreSQL's time. The same walk now:
--
-- 1. takes the candidates in order, a chunk at a time (16, then 64, 256, …):
--    ONE `SELECT … ORDER BY position LIMIT wanted FOR UPDATE SKIP LOCKED` over
--    the chunk's free pool rows. PostgreSQL locks the rows in candidate order
--    and stops at the number still wanted, skipping rows another transaction
--    holds and re-checking `free` on rows changed since the statement began —
--    what the one-at-a-time walk did, candidate after candidate. A candidate
--    index that comes back later in the list (the same number twice) is
--    examined at its first place only; at its later places it is recorded as
--    what it is then (this draw's already: `repeat`). The walk stops at the
--    tenth number, so "examined" is still the candidates up to that one;
-- 2. offers the locked rows in ONE UPDATE;
-- 3. records every examined candidate in ONE statement: offered, or the status
--    it has and so why it was skipped (the bff's table `skipped`, from
--    rules.skippedOutcome, as before);
-- 4. inserts the draw record once, complete (its id is made first, as the
--    offered rows name it; nothing refers to it by a foreign key).
--
-- One difference, of timing only: a candidate whose number is held by another
-- transaction at its first place is not tried again at a later place of the
-- same number (the one-at-a-time walk would have tried, and found it free if
-- that transaction had ended meanwhile, or taken); it is recorded as it is
-- (`busy`, or why it was then held). Either way the number is not offered
-- twice, and the draw is the published order's (PD-14).
--
-- Parameters, outcomes, locks and their order, the refusals and the two
-- raised outcomes (JGP01, JGP02) are those of migration 0027, unchanged.
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
    WHERE pn.offer_id = v_prev AND pn.status = 'offered';
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
