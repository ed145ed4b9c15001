-- Issue 7 (found with auto_explain under `pnpm bench`): the citizen's booking
-- read asks for a vehicle's active booking,
--   SELECT id FROM inspection_booking WHERE vehicle_id = $1 AND status = 'booked'
-- which the unique partial index inspection_booking_one_active_per_vehicle
-- answers in one probe. But inspection_booking_slot_idx had the same
-- predicate (status = 'booked'), so the planner could also read it whole and
-- filter by vehicle; on a table whose active bookings are few when a
-- connection first plans the statement the two cost the same, and a cached
-- generic plan that took the slot index then scanned every active booking of
-- every slot on each read (385 buffers instead of 27, a third of PostgreSQL's
-- CPU per booking in the bench). A full index on (slot_id, status) serves the
-- per-slot lists just as well and can never stand in for the vehicle lookup.
DROP INDEX inspection_booking_slot_idx;
CREATE INDEX inspection_booking_slot_idx ON inspection_booking (slot_id, status);
