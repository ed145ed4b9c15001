-- Group commit of inspection bookings (issue 23, docs/decisions/040-group-commit.md).
--
-- One call books a batch of requests in ONE statement (one round trip, one
-- transaction, one commit), deciding them one by one in arrival order with
-- exactly the guards of the single booking (ADR-011, ADR-015):
--   * the stored Idempotency-Key first (a replay, or a refusal, is the caller's);
--   * one active booking per vehicle (checked; the unique index
--     inspection_booking_one_active_per_vehicle still holds the line against a
--     concurrent transaction, and then fails the whole batch, which the bff
--     splits);
--   * the conditional UPDATE of the slot: open, booked < capacity, and for a
--     cross-city booking cross_city_booked < the plan's quota — re-checked on
--     the locked row, so no batch of any process can overbook; the CHECKs of
--     inspection_slot stay behind it.
-- A winner's booking, day-close job, audit row, SMS (+ its first event) and
-- finished Idempotency-Key are written in the same transaction; a loser
-- writes nothing and gets the slot's counters (and any stored key) back, to be
-- told why. All slots of the batch are locked first, in id order, so batches
-- of two processes cannot deadlock on slot rows.
--
-- members: a JSON array, in arrival order, of
--   { id, code, vehicleId, userId, slotId, stationId, quota (null unless cross-city), at, closeAt,
--     audit: { actorKind, actorId, actorLabel, authorityId, after, requestId, ip },   -- masked by the bff
--     sms: { recipient, payload, authorityId },
--     idem: null | { principal, key, method, path, hash, body, type } }
CREATE FUNCTION inspection_book_batch(members jsonb)
RETURNS TABLE (n int, outcome text, places_booked int, places int, cross_booked int, slot_status text, stored_key json)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
  msg_id uuid;
  msg_new boolean;
BEGIN
  PERFORM 1 FROM inspection_slot s
  WHERE s.id IN (SELECT (e->>'slotId')::uuid FROM jsonb_array_elements(members) e)
  ORDER BY s.id FOR UPDATE;

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
      SELECT json_build_object('status', k.status, 'hash', k.request_hash, 'responseStatus', k.response_status, 'body', k.response_body, 'type', k.response_type)
        INTO stored_key
        FROM idempotency_key k WHERE k.principal = m.idem->>'principal' AND k.key = m.idem->>'key';
      IF stored_key IS NOT NULL THEN
        outcome := 'replay';
        RETURN NEXT;
        CONTINUE;
      END IF;
    END IF;

    IF EXISTS (SELECT 1 FROM inspection_booking b WHERE b.vehicle_id = m."vehicleId" AND b.status = 'booked') THEN
      outcome := 'vehicle_booked';
      RETURN NEXT;
      CONTINUE;
    END IF;

    UPDATE inspection_slot s
    SET booked = s.booked + 1, cross_city_booked = s.cross_city_booked + (CASE WHEN m.quota IS NULL THEN 0 ELSE 1 END), updated_at = m.at
    WHERE s.id = m."slotId" AND s.status = 'open' AND s.booked < s.capacity AND (m.quota IS NULL OR s.cross_city_booked < m.quota)
    RETURNING s.booked, s.capacity INTO places_booked, places;

    IF NOT FOUND THEN
      SELECT s.booked, s.capacity, s.cross_city_booked, s.status INTO places_booked, places, cross_booked, slot_status
        FROM inspection_slot s WHERE s.id = m."slotId";
      outcome := 'no_place';
      RETURN NEXT;
      CONTINUE;
    END IF;

    INSERT INTO inspection_booking (id, code, vehicle_id, user_account_id, slot_id, station_id, cross_city, status, moved_from_id, created_at, updated_at)
    VALUES (m.id, m.code, m."vehicleId", m."userId", m."slotId", m."stationId", m.quota IS NOT NULL, 'booked', NULL, m.at, m.at);

    INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
    VALUES ('inspections.close_passed', jsonb_build_object('bookingId', m.id), m."closeAt", m.id::text, 10, m.at);

    INSERT INTO audit_log (at, actor_kind, actor_id, actor_label, authority_id, action, entity_type, entity_id, before, after, request_id, ip)
    VALUES (m.at, m.audit->>'actorKind', m.audit->>'actorId', m.audit->>'actorLabel', m.audit->>'authorityId', 'inspections.booked', 'inspection_booking', m.id::text,
            NULL, (m.audit->'after') || jsonb_build_object('placesTaken', places_booked, 'capacity', places), m.audit->>'requestId', m.audit->>'ip');

    INSERT INTO outbox_message (channel, recipient, template, payload, authority_id, dedupe_key, status, next_attempt_at, created_at, updated_at)
    VALUES ('sms', m.sms->>'recipient', 'inspections.booked', m.sms->'payload', m.sms->>'authorityId', 'inspections.booked:' || m.id, 'pending', m.at, m.at, m.at)
    ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
    RETURNING outbox_message.id, (outbox_message.xmax = 0) INTO msg_id, msg_new;
    IF msg_new THEN
      INSERT INTO outbox_event (message_id, at, status) VALUES (msg_id, m.at, 'pending');
    END IF;

    IF m.idem IS NOT NULL THEN
      INSERT INTO idempotency_key (principal, key, method, path, request_hash, status, response_status, response_body, response_type, created_at, locked_until)
      VALUES (m.idem->>'principal', m.idem->>'key', m.idem->>'method', m.idem->>'path', m.idem->>'hash', 'done', 201, m.idem->>'body', m.idem->>'type', m.at, m.at);
    END IF;

    outcome := 'booked';
    RETURN NEXT;
  END LOOP;
END
$$;
