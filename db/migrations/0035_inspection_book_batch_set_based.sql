-- A booking batch's writes in a few statements (issue 23, ADR-040 "Bookings: the
-- batch's writes in a few statements").
--
-- Migration 0024's inspection_book_batch decided each member in arrival order
-- and wrote each winner at once: per member a key lookup, a vehicle check and
-- the conditional slot UPDATE, and per winner six INSERTs — some nine
-- statements inside PL/pgSQL a booking, each with its executor started and
-- ended. This restates the function whole; what it decides is the same, member
-- by member, in arrival order, with the same guards in the same order:
--
--   1. The batch's slots are locked in id order, as before, and their counters
--      read under that lock (the latest committed version: READ COMMITTED
--      re-reads a row changed meanwhile before locking it). Nobody else can
--      change them until this transaction ends.
--   2. The batch's stored Idempotency-Keys and its vehicles' active bookings
--      are read once, by key.
--   3. The members are decided one by one, in arrival order, against those
--      counters, as the conditional UPDATE decided them: the slot open,
--      booked < capacity, and for a cross-city member cross_city_booked < its
--      quota. A winner adds to the counters before the next member is decided;
--      a key or vehicle that an earlier member of the batch won answers as the
--      stored row would have (replay, vehicle_booked). A loser gets the
--      counters as they stood at its turn, as before.
--   4. The winners are written in two statements: one UPDATE of each slot by
--      the places its winners took, and one statement of CTEs that inserts
--      every winner's booking, day-close job, audit row, SMS with its first
--      event, and finished key, in arrival order.
--
-- Every rule stays in PostgreSQL: the counters are decided under the slots'
-- row locks, the CHECKs of inspection_slot (booked <= capacity,
-- cross_city_booked <= booked) hold behind the UPDATE, and the unique indexes
-- (one active booking per vehicle, the key, the booking's code) refuse a
-- concurrent transaction's duplicate — which, as before, fails the whole
-- statement, and the bff splits the batch (platform/group-commit.ts). A key or
-- vehicle committed by another process between step 2 and step 4 is such a
-- duplicate: the batch fails, is split, and the member alone meets the
-- committed row and replays or is refused, as it would have one step earlier.
--
-- The outcome rows are those of migration 0024, column for column.
CREATE OR REPLACE FUNCTION inspection_book_batch(members jsonb)
RETURNS TABLE (n int, outcome text, places_booked int, places int, cross_booked int, slot_status text, stored_key json)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
  j int;
  key_name text;  -- a member's key as `key_names` holds it: principal, a newline, key
  -- the batch's slots, locked, in id order: their counters as the members are decided
  slot_ids uuid[];
  s_booked int[];
  s_cap int[];
  s_cross int[];
  s_status text[];
  s_won int[];
  s_won_cross int[];
  s_at timestamptz[];
  -- keys already stored (by principal and key), and keys stored by this batch's winners
  key_names text[];
  key_json json[];
  -- vehicles with an active booking, committed or by this batch's winners
  busy uuid[];
  -- the winners, in arrival order: their place in `members` and the counter each left behind
  won int[] := '{}';
  won_booked int[] := '{}';
  won_places int[] := '{}';
BEGIN
  SELECT array_agg(s.id ORDER BY s.id), array_agg(s.booked ORDER BY s.id), array_agg(s.capacity ORDER BY s.id),
         array_agg(s.cross_city_booked ORDER BY s.id), array_agg(s.status ORDER BY s.id)
    INTO slot_ids, s_booked, s_cap, s_cross, s_status
    FROM (SELECT s.id, s.booked, s.capacity, s.cross_city_booked, s.status FROM inspection_slot s
          WHERE s.id = ANY (ARRAY(SELECT (e->>'slotId')::uuid FROM jsonb_array_elements(members) e))
          ORDER BY s.id FOR UPDATE) s;
  s_won := array_fill(0, ARRAY[coalesce(cardinality(slot_ids), 0)]);
  s_won_cross := s_won;
  s_at := array_fill(NULL::timestamptz, ARRAY[coalesce(cardinality(slot_ids), 0)]);

  SELECT coalesce(array_agg(k.principal || E'\n' || k.key), '{}'),
         coalesce(array_agg(json_build_object('status', k.status, 'hash', k.request_hash, 'responseStatus', k.response_status, 'body', k.response_body, 'type', k.response_type)), '{}')
    INTO key_names, key_json
    FROM (SELECT DISTINCT e->'idem'->>'principal' AS principal, e->'idem'->>'key' AS key
          FROM jsonb_array_elements(members) e WHERE jsonb_typeof(e->'idem') = 'object') q
    -- LATERAL … LIMIT 1: a lookup by the primary key for each, whatever the statistics say (ADR-040 "Batched reads look up by key")
    CROSS JOIN LATERAL (SELECT * FROM idempotency_key k WHERE k.principal = q.principal AND k.key = q.key LIMIT 1) k;

  SELECT coalesce(array_agg(b.vehicle_id), '{}') INTO busy
    FROM (SELECT DISTINCT (e->>'vehicleId')::uuid AS vehicle_id FROM jsonb_array_elements(members) e) q
    -- a lookup in the index of active bookings for each (one per vehicle)
    CROSS JOIN LATERAL (SELECT b.vehicle_id FROM inspection_booking b WHERE b.vehicle_id = q.vehicle_id AND b.status = 'booked' LIMIT 1) b;

  FOR m IN
    SELECT x.*, e.ord::int AS i
    FROM jsonb_array_elements(members) WITH ORDINALITY AS e(j, ord),
         jsonb_to_record(e.j) AS x(
           id uuid, code text, "vehicleId" uuid, "userId" uuid, "slotId" uuid, "stationId" uuid, quota int,
           at timestamptz, "closeAt" timestamptz, audit jsonb, sms jsonb, idem jsonb)
    ORDER BY e.ord
  LOOP
    n := m.i; outcome := NULL; places_booked := NULL; places := NULL; cross_booked := NULL; slot_status := NULL; stored_key := NULL;

    IF m.idem IS NOT NULL THEN
      key_name := (m.idem->>'principal') || E'\n' || (m.idem->>'key');
      j := array_position(key_names, key_name);
      IF j IS NOT NULL THEN
        stored_key := key_json[j];
        outcome := 'replay';
        RETURN NEXT;
        CONTINUE;
      END IF;
    END IF;

    IF m."vehicleId" = ANY (busy) THEN
      outcome := 'vehicle_booked';
      RETURN NEXT;
      CONTINUE;
    END IF;

    j := array_position(slot_ids, m."slotId");
    IF j IS NULL THEN
      -- no such slot: nothing to lock, nothing to tell but that
      outcome := 'no_place';
      RETURN NEXT;
      CONTINUE;
    END IF;

    IF NOT (s_status[j] = 'open' AND s_booked[j] < s_cap[j] AND (m.quota IS NULL OR s_cross[j] < m.quota)) THEN
      places_booked := s_booked[j]; places := s_cap[j]; cross_booked := s_cross[j]; slot_status := s_status[j];
      outcome := 'no_place';
      RETURN NEXT;
      CONTINUE;
    END IF;

    s_booked[j] := s_booked[j] + 1;
    s_won[j] := s_won[j] + 1;
    IF m.quota IS NOT NULL THEN
      s_cross[j] := s_cross[j] + 1;
      s_won_cross[j] := s_won_cross[j] + 1;
    END IF;
    s_at[j] := m.at;
    won := won || m.i;
    won_booked := won_booked || s_booked[j];
    won_places := won_places || s_cap[j];
    busy := busy || m."vehicleId";
    IF m.idem IS NOT NULL THEN
      -- what the stored row will read: a later member with the same key replays this one
      key_names := key_names || key_name;
      key_json := key_json || json_build_object('status', 'done', 'hash', m.idem->>'hash', 'responseStatus', 201, 'body', m.idem->>'body', 'type', m.idem->>'type');
    END IF;

    places_booked := s_booked[j]; places := s_cap[j];
    outcome := 'booked';
    RETURN NEXT;
  END LOOP;

  IF cardinality(won) = 0 THEN
    RETURN;
  END IF;

  -- The places taken, slot by slot (each slot's last winner's time as its updated_at); the CHECKs hold behind it.
  UPDATE inspection_slot s
  SET booked = s.booked + t.n, cross_city_booked = s.cross_city_booked + t.c, updated_at = t.at
  FROM unnest(slot_ids, s_won, s_won_cross, s_at) AS t(id, n, c, at)
  WHERE s.id = t.id AND t.n > 0;

  -- Every winner's rows, in arrival order.
  WITH w AS MATERIALIZED (
    SELECT x.*, v.booked_after, v.places, v.ord
    FROM unnest(won, won_booked, won_places) WITH ORDINALITY AS v(i, booked_after, places, ord)
    CROSS JOIN LATERAL jsonb_to_record(members -> (v.i - 1)) AS x(
      id uuid, code text, "vehicleId" uuid, "userId" uuid, "slotId" uuid, "stationId" uuid, quota int,
      at timestamptz, "closeAt" timestamptz, audit jsonb, sms jsonb, idem jsonb)
  ), booking AS (
    INSERT INTO inspection_booking (id, code, vehicle_id, user_account_id, slot_id, station_id, cross_city, status, moved_from_id, created_at, updated_at)
    SELECT w.id, w.code, w."vehicleId", w."userId", w."slotId", w."stationId", w.quota IS NOT NULL, 'booked', NULL, w.at, w.at FROM w ORDER BY w.ord
  ), day_close AS (
    INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
    SELECT 'inspections.close_passed', jsonb_build_object('bookingId', w.id), w."closeAt", w.id::text, 10, w.at FROM w ORDER BY w.ord
  ), audit AS (
    INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
    SELECT w.at, w.audit->>'actorKind', w.audit->>'actorId', w.audit->>'actorLabel', w.audit->>'authorityId', 'inspections.booked', 'inspection_booking', w.id::text,
           NULL, (w.audit->'after') || jsonb_build_object('placesTaken', w.booked_after, 'capacity', w.places), w.audit->>'requestId', w.audit->>'ip'
    FROM w ORDER BY w.ord
  ), msg AS (
    INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
    SELECT 'sms', w.sms->>'recipient', 'inspections.booked', w.sms->'payload', w.sms->>'authorityId', 'inspections.booked:' || w.id, 'pending', w.at, w.at, w.at
    FROM w ORDER BY w.ord
    ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
    RETURNING outbox_message.id, outbox_message.created_at, (outbox_message.xmax = 0) AS fresh
  ), event AS (
    INSERT INTO outbox_event (message_id, at, status)
    SELECT msg.id, msg.created_at, 'pending' FROM msg WHERE msg.fresh
  )
  INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, response_status, response_body, response_type, created_at, locked_until)
  SELECT w.idem->>'principal', w.idem->>'key', w.idem->>'method', w.idem->>'path', w.idem->>'hash', 'done', 201, w.idem->>'body', w.idem->>'type', w.at, w.at
  FROM w WHERE w.idem IS NOT NULL ORDER BY w.ord;
END
$$;
