-- Issue 18 (R-35, R-36): the station's day roster and the end of a booking's day.
--
-- `arrived_at`: the station recorded that the vehicle arrived (the roster's
-- 到场 mark). A booking still active after its day is closed by the durable
-- job `inspections.close_passed` (one per booking, due at 00:00 Asia/Shanghai
-- after the inspection day): arrived → 'completed', not arrived → 'no_show',
-- disrupted and never moved → 'cancelled' with the disruption as the reason
-- (docs/decisions/025-inspection-day-close-and-roster.md).
ALTER TABLE inspection_booking ADD COLUMN arrived_at timestamptz;
ALTER TABLE inspection_booking ADD CONSTRAINT inspection_booking_arrival_while_booked_or_done
  CHECK (arrived_at IS NULL OR status IN ('booked', 'completed', 'moved', 'cancelled'));

-- Bookings active before this migration get their closing job too.
INSERT INTO job (kind, payload, run_at, dedupe_key, max_attempts, created_at)
SELECT 'inspections.close_passed', jsonb_build_object('bookingId', ib.id),
       ((s.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'), ib.id::text, 10, now()
FROM inspection_booking ib JOIN inspection_slot s ON s.id = ib.slot_id
WHERE ib.status = 'booked'
ON CONFLICT DO NOTHING;
