-- A draw batch's reads and writes in a few statements (issue 23, ADR-040
-- "Plates: a draw batch's writes in a few statements").
--
-- Migration 0029's plate_draw_batch ran plate_draw_numbers (migrations 0027,
-- 0030, 0031) once per member, each in a block of its own (a subtransaction):
-- some fifteen statements a draw inside PL/pgSQL, each with its executor
-- started and ended — the largest share of PostgreSQL's time in a plate rush.
-- This restates the batch whole; what it decides is the same, member by
-- member, in arrival order, with the same checks in the same order:
--
--   1. The members' preselections are locked in id order, then the numbers of
--      their open offers in pool row order, as before; then their pending
--      commitments and open draws, in id order (each member took those two
--      locks in its turn before; nothing else takes them without the
--      preselection's lock first).
--   2. Each member's preselection, plan, draws used, pending commitment and
--      open draw are read once for the batch, under those locks.
--   3. The members are decided one by one, in arrival order: the checks of
--      plate_draw_numbers, then the walk of the candidates (one locking read
--      a chunk, as in migration 0030) and the record of those examined. What
--      an earlier winner of the batch did is not yet written, so the walk and
--      the record see it from the batch's own arrays: the numbers it offered
--      are not free (and are recorded as offered), the numbers of the offer
--      it gave back are free. A second member of a preselection that an
--      earlier member drew for meets what that draw left: one more draw used,
--      and a new pending commitment (draws_exhausted or draw_commitment_stale,
--      as before). 'more_candidates' and 'pool_exhausted' write nothing for
--      the member: before, its block rolled back what it had written.
--   4. The winners are written in four statements: the commitments used, the
--      previous offers given back and their draws superseded; the new offers;
--      then every winner's draw record, next commitment, audit row and
--      offer-expiry job, in arrival order.
--
-- Every rule stays in PostgreSQL: the rows decided on are locked, numbers are
-- taken with SKIP LOCKED as before, and the unique indexes (one holder of a
-- number across pools, one open draw and one pending commitment a
-- preselection, one draw per commitment) and the draw's trigger stand behind
-- the writes; a violation fails the whole statement, and the bff splits the
-- batch (platform/group-commit.ts). Any other error does the same.
--
-- One difference, of timing only: a member that ends 'more_candidates' or
-- 'pool_exhausted' keeps the locks its walk took until the batch commits (its
-- block's rollback released them before); the numbers stay free, and a later
-- member of the batch may offer them.
--
-- plate_draw_numbers is no longer called and is dropped.
CREATE OR REPLACE FUNCTION plate_draw_batch(members jsonb)
RETURNS TABLE (n int, outcome text, draw_id uuid)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
  r record;
  v_idx int[];
  v_used int;
  v_draw uuid;
  v_limit int;            -- candidates the walk may examine: those handed over, at most maxCandidates
  v_from int;             -- candidates examined so far
  v_to int;
  v_chunk int;
  v_ids bigint[];         -- the pool rows locked for this member's offer, in candidate order
  v_at int[];             -- their places in the candidate list
  v_n int;
  v_rel uuid[];           -- offers given back, as this member sees them: the earlier winners' and its own
  v_offered text[];
  v_candidates jsonb;
  v_unknown text;
  -- what the batch has decided so far
  taken bigint[] := '{}';     -- pool rows offered to an earlier winner
  released uuid[] := '{}';    -- earlier winners' previous offers, given back
  w_ord int[] := '{}';        -- the winners, in arrival order: their member's place,
  w_draw uuid[] := '{}';      -- the new draw,
  w_ps uuid[] := '{}';        -- its preselection,
  w_prev uuid[] := '{}';      -- the open draw it supersedes (NULL: none),
  w_cid uuid[] := '{}';       -- the commitment it uses,
  w_seed bytea[] := '{}';
  w_used int[] := '{}';       -- draws used before it,
  w_plan uuid[] := '{}';
  w_version int[] := '{}';
  w_size int[] := '{}';
  w_digest text[] := '{}';
  w_authority text[] := '{}';
  w_n int[] := '{}';          -- candidates examined,
  w_rejected int[] := '{}';
  w_candidates jsonb[] := '{}';
  w_offered jsonb[] := '{}';  -- the numbers offered (text[] of text[] must be rectangular)
  o_id bigint[] := '{}';      -- the offered pool rows, with their draw
  o_draw uuid[] := '{}';
  o_ord int[] := '{}';
  v_count int;
BEGIN
  PERFORM 1 FROM plate_preselection ps
  WHERE ps.id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e)
  ORDER BY ps.id FOR UPDATE;
  -- The numbers of their open offers, which a member's draw gives back before it offers new ones, in pool
  -- row order (as plate_reserve_batch locks pool rows): a reservation batch holding one of those numbers and
  -- wanting a new offer would otherwise close a circle.
  -- offer_id set means offered (the table's CHECK): no status condition here, so no index but the offer's can find these rows (migration 0031)
  PERFORM 1 FROM plate_number pn
  WHERE pn.offer_id IN (SELECT d.id FROM plate_draw d
                        WHERE d.preselection_id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e) AND d.status = 'open')
  ORDER BY pn.id FOR UPDATE;
  PERFORM 1 FROM plate_draw_commitment c
  WHERE c.preselection_id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e) AND c.used_at IS NULL
  ORDER BY c.id FOR UPDATE;
  PERFORM 1 FROM plate_draw d
  WHERE d.preselection_id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e) AND d.status = 'open'
  ORDER BY d.id FOR UPDATE;

  -- Each member with what plate_draw_numbers read for it: its own preselection (lockOwnPreselection), the
  -- plan (openPlan), the draws used for its vehicle (drawsUsed), the pending commitment, the open draw.
  FOR m IN
    SELECT e.ord::int AS i, e.j AS p,
           (e.j->>'now')::timestamptz AS now, (e.j->>'drawSize')::int AS draw_size, (e.j->>'maxCandidates')::int AS max_candidates,
           (e.j->>'maxDraws')::int AS max_draws,
           s.id AS s_id, s.status AS s_status, s.plan_id AS s_plan, s.authority_id AS s_authority,
           l.status AS l_status, l.start_at AS l_start, l.pool_size AS l_size, l.pool_version AS l_version, l.pool_digest AS l_digest,
           u.used, c.id AS c_id, c.seed AS c_seed, c.commitment AS c_commitment, d.id AS prev
    FROM jsonb_array_elements(members) WITH ORDINALITY AS e(j, ord)
    LEFT JOIN LATERAL (SELECT s.id, s.status, s.plan_id, s.vin, s.authority_id, s.user_account_id FROM plate_preselection s
                       WHERE s.id = (e.j->>'preselectionId')::uuid AND s.user_account_id = (e.j->>'userId')::uuid LIMIT 1) s ON true
    LEFT JOIN plate_segment_plan l ON l.id = s.plan_id
    LEFT JOIN LATERAL (SELECT count(*)::int AS used FROM plate_draw d JOIN plate_preselection o ON o.id = d.preselection_id
                       WHERE o.user_account_id = s.user_account_id AND o.vin = s.vin) u ON true
    LEFT JOIN LATERAL (SELECT c.id, c.seed, c.commitment FROM plate_draw_commitment c
                       WHERE c.preselection_id = s.id AND c.used_at IS NULL LIMIT 1) c ON true
    LEFT JOIN LATERAL (SELECT d.id FROM plate_draw d WHERE d.preselection_id = s.id AND d.status = 'open' LIMIT 1) d ON true
    ORDER BY e.ord
  LOOP
    n := m.i; outcome := NULL; draw_id := NULL;

    IF m.s_id IS NULL THEN
      outcome := 'preselection_not_found'; RETURN NEXT; CONTINUE;
    END IF;
    IF m.s_status <> 'drawing' THEN
      outcome := 'preselection_wrong_status'; RETURN NEXT; CONTINUE;
    END IF;
    IF m.l_status IS DISTINCT FROM 'open' OR m.l_start > m.now THEN
      outcome := 'segment_not_open'; RETURN NEXT; CONTINUE;
    END IF;
    -- an earlier winner of this preselection: its draw counts, and its next commitment is the pending one
    v_used := m.used + cardinality(array_positions(w_ps, m.s_id));
    IF v_used >= m.max_draws THEN
      outcome := 'draws_exhausted'; RETURN NEXT; CONTINUE;
    END IF;
    IF v_used > m.used OR m.c_id IS NULL OR m.c_commitment <> m.p->>'commitment' OR m.c_id <> (m.p->>'commitmentId')::uuid THEN
      outcome := 'draw_commitment_stale'; RETURN NEXT; CONTINUE;
    END IF;
    -- The candidates were derived from this pool; the draw's number, version and audit snapshot were read with it.
    -- An open plan's pool does not change, and a draw of this preselection in between would have used the commitment.
    IF m.l_size <> (m.p->>'poolSize')::int OR m.l_version <> (m.p->>'poolVersion')::int OR v_used + 1 <> (m.p->>'drawNo')::int THEN
      RAISE EXCEPTION 'plate_draw_batch: the pool or the draws changed under the commitment';
    END IF;

    -- The walk (migration 0030): the free rows of the candidates in order, locked (SKIP LOCKED) a chunk at a time,
    -- until ten or the last candidate that may be examined. A number's later places in the list are not its first:
    -- examined there no more. Free as this member would see it after the earlier winners and its own previous offer
    -- given back: free in the table and not offered to an earlier winner, or in an offer given back.
    v_idx := ARRAY(SELECT jsonb_array_elements_text(m.p->'idx')::int);
    v_rel := CASE WHEN m.prev IS NULL THEN released ELSE released || m.prev END;
    v_draw := gen_random_uuid();
    v_ids := '{}'; v_at := '{}'; v_from := 0; v_chunk := 16;
    v_limit := least(coalesce(cardinality(v_idx), 0), m.max_candidates);
    WHILE cardinality(v_ids) < m.draw_size AND v_from < v_limit LOOP
      v_to := least(v_limit, v_from + v_chunk);
      FOR r IN
        SELECT x.id, c.at
        FROM (SELECT u.i, u.at::int AS at, min(u.at) OVER (PARTITION BY u.i) AS first
              FROM unnest(v_idx[1:v_to]) WITH ORDINALITY AS u(i, at)) c
        JOIN plate_number x ON x.plan_id = m.s_plan AND x.idx = c.i
        WHERE c.at > v_from AND c.at = c.first AND (x.status = 'free' OR x.offer_id = ANY (v_rel)) AND x.id <> ALL (taken)
        ORDER BY c.at
        LIMIT m.draw_size - cardinality(v_ids)
        FOR UPDATE OF x SKIP LOCKED
      LOOP
        v_ids := v_ids || r.id;
        v_at := v_at || r.at;
      END LOOP;
      v_from := CASE WHEN cardinality(v_ids) >= m.draw_size THEN v_at[cardinality(v_at)] ELSE v_to END;
      v_chunk := v_chunk * 4;
    END LOOP;
    IF cardinality(v_ids) < m.draw_size AND v_from < m.max_candidates THEN
      outcome := 'more_candidates'; RETURN NEXT; CONTINUE;
    END IF;
    IF cardinality(v_ids) = 0 THEN
      outcome := 'pool_exhausted'; RETURN NEXT; CONTINUE;
    END IF;
    v_n := v_from;

    -- The record of every candidate examined: offered, or why it was skipped (peekNumber: the status it has now,
    -- as the earlier winners and this member leave it).
    SELECT jsonb_agg(jsonb_build_object('n', e.at, 'idx', e.i, 'plateNo', e.plate_no, 'outcome', e.outcome) ORDER BY e.at),
           array_agg(e.plate_no ORDER BY e.at) FILTER (WHERE e.outcome = 'offered'),
           min(e.status_key) FILTER (WHERE e.outcome IS NULL)
    INTO v_candidates, v_offered, v_unknown
    FROM (SELECT u.at::int AS at, u.i, coalesce(x.plate_no, '') AS plate_no, k.status_key,
                 CASE WHEN u.at = ANY (v_at) THEN 'offered' ELSE m.p->'skipped'->>k.status_key END AS outcome
          FROM unnest(v_idx[1:v_n]) WITH ORDINALITY AS u(i, at)
          LEFT JOIN plate_number x ON x.plan_id = m.s_plan AND x.idx = u.i
          CROSS JOIN LATERAL (SELECT CASE WHEN x.id = ANY (v_ids) THEN 'this:offered'
                                          WHEN x.id = ANY (taken) THEN 'offered'
                                          WHEN x.offer_id = ANY (v_rel) THEN 'free'
                                          ELSE coalesce(x.status, 'free') END AS status_key) k) e;
    IF v_unknown IS NOT NULL THEN
      RAISE EXCEPTION 'plate_draw_batch: no outcome for a skipped candidate of status %', v_unknown;
    END IF;

    taken := taken || v_ids;
    released := v_rel;
    o_id := o_id || v_ids;
    o_draw := o_draw || array_fill(v_draw, ARRAY[cardinality(v_ids)]);
    o_ord := o_ord || array_fill(m.i, ARRAY[cardinality(v_ids)]);
    w_ord := w_ord || m.i; w_draw := w_draw || v_draw; w_ps := w_ps || m.s_id; w_prev := w_prev || m.prev;
    w_cid := w_cid || m.c_id; w_seed := w_seed || m.c_seed; w_used := w_used || v_used;
    w_plan := w_plan || m.s_plan; w_version := w_version || m.l_version; w_size := w_size || m.l_size; w_digest := w_digest || m.l_digest;
    w_authority := w_authority || m.s_authority; w_n := w_n || v_n; w_rejected := w_rejected || (m.p->'rejected'->>(v_n - 1))::int;
    w_candidates := w_candidates || v_candidates; w_offered := w_offered || to_jsonb(v_offered);
    outcome := 'drawn'; draw_id := v_draw;
    RETURN NEXT;
  END LOOP;

  IF cardinality(w_ord) = 0 THEN
    RETURN;
  END IF;

  -- useCommitment; the previous offers given back (releaseOffered) and their draws ended (endDraw 'superseded')
  WITH w AS (
    SELECT w.cid, w.prev, (members->(w.ord - 1)->>'now')::timestamptz AS now
    FROM unnest(w_ord, w_cid, w_prev) AS w(ord, cid, prev)
  ), used AS (
    UPDATE plate_draw_commitment c SET used_at = w.now FROM w WHERE c.id = w.cid AND c.used_at IS NULL RETURNING c.id
  ), back AS (
    -- offer_id set means offered (the table's CHECK): no status condition here, so no index but the offer's can find these rows (migration 0031)
    UPDATE plate_number pn SET status = 'free', offer_id = NULL, held_until = NULL, updated_at = w.now FROM w WHERE pn.offer_id = w.prev
  ), ended AS (
    UPDATE plate_draw d SET status = 'superseded', ended_at = w.now, picked_plate_no = NULL FROM w WHERE d.id = w.prev AND d.status = 'open'
  )
  SELECT count(*)::int INTO v_count FROM used;
  IF v_count <> cardinality(w_ord) THEN
    RAISE EXCEPTION 'plate_draw_batch: % commitments used of %', v_count, cardinality(w_ord);
  END IF;

  -- offerIfFree, for every locked row at once
  UPDATE plate_number pn SET status = 'offered', offer_id = o.draw, held_until = (members->(o.ord - 1)->>'expiresAt')::timestamptz,
                             updated_at = (members->(o.ord - 1)->>'now')::timestamptz
  FROM unnest(o_id, o_draw, o_ord) AS o(id, draw, ord)
  WHERE pn.id = o.id;

  -- insertDraw with finishDrawRecord, the next commitment (commitNextDraw), the audit row, the offer-expiry job
  WITH w AS MATERIALIZED (
    SELECT w.*, members->(w.ord - 1) AS p, (members->(w.ord - 1)->>'now')::timestamptz AS now
    FROM unnest(w_ord, w_draw, w_ps, w_cid, w_seed, w_used, w_plan, w_version, w_size, w_digest, w_authority, w_n, w_rejected, w_candidates, w_offered)
         AS w(ord, draw, ps, cid, seed, used, plan, version, size, digest, authority, examined, rejected, candidates, offered)
  ), dr AS (
    INSERT INTO plate_draw (id, preselection_id, draw_no, plan_id, pool_version, pool_size, pool_digest, algorithm, seed, commitment, commitment_id, client_nonce,
                            status, drawn_at, expires_at, candidates, rejected_words, offered)
    SELECT w.draw, w.ps, w.used + 1, w.plan, w.version, w.size, w.digest, w.p->>'algorithm', w.seed, w.p->>'commitment', w.cid,
           decode(w.p->>'clientNonce', 'hex'), 'open', w.now, (w.p->>'expiresAt')::timestamptz, w.candidates, w.rejected,
           ARRAY(SELECT jsonb_array_elements_text(w.offered))
    FROM w ORDER BY w.ord
    RETURNING 1
  ), nc AS (
    INSERT INTO plate_draw_commitment (preselection_id, seed, commitment, committed_at)
    SELECT w.ps, decode(w.p->>'nextSeed', 'hex'), w.p->>'nextCommitment', w.now FROM w WHERE w.used + 1 < (w.p->>'maxDraws')::int ORDER BY w.ord
  ), au AS (
    INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
    SELECT w.now, w.p->'audit'->>'actorKind', w.p->'audit'->>'actorId', w.p->'audit'->>'actorLabel', w.authority, 'plates.numbers_offered', 'plate_draw',
           w.draw::text, NULL, (w.p->'audit'->'after') || jsonb_build_object('candidates', w.examined, 'offered', w.offered),
           w.p->'audit'->>'requestId', w.p->'audit'->>'ip'
    FROM w ORDER BY w.ord
  ), jb AS (
    INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
    SELECT w.p->>'jobKind', jsonb_build_object('preselectionId', w.ps, 'drawId', w.draw), (w.p->>'expiresAt')::timestamptz, w.draw::text, 10, w.now
    FROM w ORDER BY w.ord
    ON CONFLICT (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued' DO NOTHING
  )
  SELECT count(*)::int INTO v_count FROM dr;
  IF v_count <> cardinality(w_ord) THEN
    RAISE EXCEPTION 'plate_draw_batch: % draws written of %', v_count, cardinality(w_ord);
  END IF;
END
$$;

DROP FUNCTION plate_draw_numbers(jsonb, bytea, bytea);
