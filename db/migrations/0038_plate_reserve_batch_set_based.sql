-- A self-composed reservation batch's reads once and its writes in two
-- statements (issue 23, ADR-040 "Plates: draw, pick and reservation batches in
-- a few statements").
--
-- Migration 0026's plate_reserve_batch (restated by 0031) decided and wrote
-- one member at a time: up to five checks, then the preselection, the pool
-- row, the audit row, the SMS with its first event and the deadline job —
-- some ten statements inside PL/pgSQL a winner, each with its executor
-- started and ended. This restates the function whole; what it decides is the
-- same, member by member, in arrival order, with the same checks in the same
-- order:
--
--   1. The members' pool rows are locked in id order, as before.
--   2. Each member's checks are read once for the batch, in their order up
--      to the first that refuses it: an active preselection of the user, of
--      the vehicle, a preselection holding the number, the number's pool row
--      and its status, the number held in another pool.
--   3. The members are decided one by one, in arrival order. A member meets
--      what the earlier winners of the batch left, as it did when they were
--      written first: their users and vehicles have an active preselection,
--      and their numbers a holder.
--   4. The winners are written in two statements: each preselection and its
--      pool row reserved (still free: it is locked); then their audit rows,
--      SMS with their first event and deadline jobs, in arrival order
--      (plate_reserved_effects, migration 0037).
--
-- Every rule stays in PostgreSQL: the pool rows are locked, and the unique
-- indexes (one active preselection a user and a vehicle, one holder of a
-- preselected number, one holder of a number across pools) stand behind the
-- writes: a concurrent transaction's preselection committed after the reads
-- fails the whole statement, and the bff splits the batch
-- (platform/group-commit.ts), as a violation did before.
CREATE OR REPLACE FUNCTION plate_reserve_batch(members jsonb)
RETURNS TABLE (n int, outcome text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
  w_ord int[] := '{}';     -- the winners, in arrival order: their member's place,
  w_id uuid[] := '{}';     -- the preselection each makes,
  w_num bigint[] := '{}';  -- the pool row each reserves,
  w_user uuid[] := '{}';   -- its user,
  w_vin text[] := '{}';    -- its vehicle,
  w_plate text[] := '{}';  -- its number
  v_count int;
BEGIN
  PERFORM 1 FROM plate_number pn
  WHERE (pn.plan_id, pn.plate_no) IN (SELECT (e->>'planId')::uuid, e->>'plateNo' FROM jsonb_array_elements(members) e)
  ORDER BY pn.id FOR UPDATE;

  -- Each member's first refusal by what is committed, the checks in their order and no further (CASE stops at
  -- the first that holds): 1 an active preselection of the user, 2 of the vehicle, 3 a preselection holding the
  -- number, 4 the number's pool row missing or not free, 5 the number held in another pool.
  FOR m IN
    SELECT e.ord::int AS i, x.id, x."userId" AS user_id, x.vin, x."plateNo" AS plate_no, num.id AS num_id, num.status AS num_status,
           CASE
             -- plate_preselection_one_active_per_user
             WHEN EXISTS (SELECT 1 FROM plate_preselection ps WHERE ps.user_account_id = x."userId" AND ps.status IN ('drawing', 'reserved')) THEN 1
             -- plate_preselection_one_active_per_vin
             WHEN EXISTS (SELECT 1 FROM plate_preselection ps WHERE ps.vin = x.vin AND ps.status IN ('drawing', 'reserved')) THEN 2
             -- plate_preselection_one_holder
             WHEN EXISTS (SELECT 1 FROM plate_preselection ps WHERE ps.plate_no = x."plateNo" AND ps.status IN ('reserved', 'registered')) THEN 3
             -- the conditional UPDATE … WHERE status = 'free' (reserveIfFree)
             WHEN num.id IS NULL OR num.status <> 'free' THEN 4
             -- plate_number_one_holder: the same number held in another pool. The number's rows are found by the number
             -- alone (OFFSET 0 keeps the status test out of the scan): with it, a partial index of held rows qualified,
             -- and stale statistics that count no held rows chose to read all of them (migration 0031).
             WHEN EXISTS (SELECT 1 FROM (SELECT o.status FROM plate_number o WHERE o.plate_no = x."plateNo" AND o.id <> num.id OFFSET 0) o
                          WHERE o.status IN ('offered', 'reserved', 'issued')) THEN 5
           END AS refusal
    FROM jsonb_array_elements(members) WITH ORDINALITY AS e(j, ord)
    CROSS JOIN LATERAL jsonb_to_record(e.j) AS x(id uuid, "userId" uuid, "planId" uuid, vin text, "plateNo" text)
    LEFT JOIN LATERAL (SELECT pn.id, pn.status FROM plate_number pn WHERE pn.plan_id = x."planId" AND pn.plate_no = x."plateNo" LIMIT 1) num ON true
    ORDER BY e.ord
  LOOP
    n := m.i; outcome := NULL;

    -- the same checks in the same order, each by what is committed or by what an earlier winner of the batch left
    IF m.refusal = 1 OR m.user_id = ANY (w_user) THEN
      outcome := 'active_preselection_exists'; RETURN NEXT; CONTINUE;
    END IF;
    IF m.refusal = 2 OR m.vin = ANY (w_vin) THEN
      outcome := 'vin_in_preselection'; RETURN NEXT; CONTINUE;
    END IF;
    IF m.refusal = 3 OR m.plate_no = ANY (w_plate) THEN
      outcome := 'number_taken'; RETURN NEXT; CONTINUE;
    END IF;
    IF m.refusal = 4 THEN
      -- why not (findNumber)
      outcome := CASE WHEN m.num_status = 'withheld' THEN 'number_withheld' ELSE 'number_taken' END;
      RETURN NEXT; CONTINUE;
    END IF;
    IF m.refusal = 5 THEN
      outcome := 'number_taken'; RETURN NEXT; CONTINUE;
    END IF;

    w_ord := w_ord || m.i; w_id := w_id || m.id; w_num := w_num || m.num_id; w_user := w_user || m.user_id; w_vin := w_vin || m.vin; w_plate := w_plate || m.plate_no;
    outcome := 'reserved';
    RETURN NEXT;
  END LOOP;

  IF cardinality(w_ord) = 0 THEN
    RETURN;
  END IF;

  WITH w AS MATERIALIZED (
    SELECT w.ord, w.num, x.*
    FROM unnest(w_ord, w_num) AS w(ord, num)
    CROSS JOIN LATERAL jsonb_to_record(members->(w.ord - 1)) AS x(
      id uuid, reference text, "userId" uuid, "planId" uuid, "authorityId" text, vin text, "ownerIdType" text, "ownerIdNumber" text,
      "ownerName" text, phone text, "plateNo" text, deadline timestamptz, at timestamptz, audit jsonb, sms jsonb)
  ), ps AS (
    INSERT INTO plate_preselection (id, reference, user_account_id, plan_id, authority_id, mode, vin, owner_id_type, owner_id_number, owner_name, phone,
                                    plate_no, status, created_at, reserved_at, deadline)
    SELECT w.id, w.reference, w."userId", w."planId", w."authorityId", 'self', w.vin, w."ownerIdType", w."ownerIdNumber", w."ownerName", w.phone,
           w."plateNo", 'reserved', w.at, w.at, w.deadline
    FROM w ORDER BY w.ord
  ), num AS (
    UPDATE plate_number pn SET status = 'reserved', preselection_id = w.id, held_until = w.deadline, updated_at = w.at
    FROM w WHERE pn.id = w.num AND pn.status = 'free'
    RETURNING pn.id
  )
  SELECT count(*)::int INTO v_count FROM num;
  IF v_count <> cardinality(w_ord) THEN
    RAISE EXCEPTION 'plate_reserve_batch: % numbers reserved of %', v_count, cardinality(w_ord);
  END IF;
  PERFORM plate_reserved_effects(members, w_ord, w_id);
END
$$;
