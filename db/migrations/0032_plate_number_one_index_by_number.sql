-- One index of a pool row's number instead of two (issue 23, ADR-040
-- "Plates: one index of the number").
--
-- plate_number had two indexes on the same columns in two orders:
--   plate_number_plan_plate_key   UNIQUE (plan_id, plate_no)  a number once a pool
--   plate_number_plate_no_idx     (plate_no)                  a number across pools
--                                                             (the pool build's overlap
--                                                             check, the reservation
--                                                             batch's check of a number
--                                                             held in another pool)
-- A unique index on (plate_no, plan_id) answers both: the same uniqueness (a
-- unique index is a set of columns; ON CONFLICT infers it whatever the order),
-- a lookup by number and pool, and a lookup by number alone through its first
-- column. Every pool row a draw offers, a pick reserves or gives back and a
-- reservation takes writes a new row version, and none of those updates is
-- HOT (status and offer_id are in the keys or predicates of three indexes):
-- each version put an entry in every index, seven for a held row and four for
-- a free one. Now six and three. A pool's build writes one index fewer too.
--
-- The constraint keeps its name (errors and the documentation name it): the
-- new index is built first, the old constraint dropped, and the new index
-- becomes the constraint, taking the name.

CREATE UNIQUE INDEX plate_number_plate_plan_key ON plate_number (plate_no, plan_id);
ALTER TABLE plate_number DROP CONSTRAINT plate_number_plan_plate_key;
DROP INDEX plate_number_plate_no_idx;
ALTER TABLE plate_number ADD CONSTRAINT plate_number_plan_plate_key UNIQUE USING INDEX plate_number_plate_plan_key;
