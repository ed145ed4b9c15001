-- PD-1: the vehicle-state vocabulary lives in one place, bff/src/core/vehicle-states.ts
-- (names, and which service each state blocks), read by the rules, web and admin.
-- This reference table was never read; it is dropped so that there is one list, not two.
DROP TABLE vehicle_state;
