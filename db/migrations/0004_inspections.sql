-- Safety-inspection appointments (第三章第四节 机动车安全技术检验预约, R-34 .. R-36).
-- Stations publish schedules and slots; cities switch booking on or off and
-- prepare cross-city plans; the province aggregates and publishes them;
-- citizens book, cancel and move. A slot is a row with `capacity` and `booked`:
-- the booking path raises `booked` with one conditional UPDATE in the same
-- transaction as the booking row, and the CHECKs below make overbooking
-- impossible whatever the service code does (docs/decisions/011).

-- R-36.1: whether a city offers online inspection booking at all. No row = not offered.
CREATE TABLE inspection_city_setting (
  authority_id     text PRIMARY KEY REFERENCES authority(id),   -- a city (level = 'city'; checked by the service)
  booking_enabled  boolean NOT NULL DEFAULT false,
  note             text NOT NULL DEFAULT '',
  updated_by       uuid REFERENCES staff_member(id),
  updated_at       timestamptz NOT NULL
);

-- R-36.2.1: a station's schedule — the weekdays it opens and the time slots of
-- an opening day with their capacity. What it can test (vehicle types, axle
-- load, brake types) stays on inspection_station.
CREATE TABLE inspection_schedule (
  station_id    uuid PRIMARY KEY REFERENCES inspection_station(id),
  opening_days  smallint[] NOT NULL CHECK (cardinality(opening_days) > 0 AND opening_days <@ ARRAY[1, 2, 3, 4, 5, 6, 7]::smallint[]),  -- ISO weekday, 1 = Monday
  updated_by    uuid REFERENCES staff_member(id),
  updated_at    timestamptz NOT NULL
);
CREATE TABLE inspection_schedule_time (
  station_id  uuid NOT NULL REFERENCES inspection_schedule(station_id) ON DELETE CASCADE,
  starts_at   time NOT NULL,
  ends_at     time NOT NULL,
  capacity    integer NOT NULL CHECK (capacity >= 0),
  PRIMARY KEY (station_id, starts_at),
  CHECK (starts_at < ends_at)
);

-- R-36.5: an exceptional event (system failure, power cut, bad weather…) that closes slots.
CREATE TABLE inspection_slot_closure (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id   uuid NOT NULL REFERENCES inspection_station(id),
  reason       text NOT NULL CHECK (reason IN ('system_failure', 'power_cut', 'bad_weather', 'other')),
  note         text NOT NULL DEFAULT '',
  slots        integer NOT NULL DEFAULT 0,
  bookings     integer NOT NULL DEFAULT 0,     -- affected bookings, each notified by SMS
  closed_by    uuid REFERENCES staff_member(id),
  closed_at    timestamptz NOT NULL
);

-- One bookable slot of one station on one day. `booked` counts the active
-- bookings (status 'booked') of the slot, `cross_city_booked` those made under
-- the province's cross-city plan (R-35.4). 'suspended' = the station stopped
-- taking bookings (R-36.6); 'closed' = an exceptional event (R-36.5).
CREATE TABLE inspection_slot (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id         uuid NOT NULL REFERENCES inspection_station(id),
  day                date NOT NULL,
  starts_at          time NOT NULL,
  ends_at            time NOT NULL,
  capacity           integer NOT NULL,
  booked             integer NOT NULL DEFAULT 0,
  cross_city_booked  integer NOT NULL DEFAULT 0,
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'suspended')),
  closure_id         uuid REFERENCES inspection_slot_closure(id),
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  CONSTRAINT inspection_slot_capacity_nonnegative CHECK (capacity >= 0),
  CONSTRAINT inspection_slot_booked_within_capacity CHECK (booked >= 0 AND booked <= capacity),
  CONSTRAINT inspection_slot_cross_city_within_booked CHECK (cross_city_booked >= 0 AND cross_city_booked <= booked),
  CHECK (starts_at < ends_at),
  CHECK ((status = 'closed') = (closure_id IS NOT NULL)),
  UNIQUE (station_id, day, starts_at)
);
CREATE INDEX inspection_slot_day_idx ON inspection_slot (day, station_id) WHERE status = 'open';

-- R-36.6: suspension, withdrawal and resumption of a station's booking service,
-- published to the public (this table is the notice board).
CREATE TABLE inspection_station_status_change (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id        uuid NOT NULL REFERENCES inspection_station(id),
  from_status       text NOT NULL CHECK (from_status IN ('active', 'suspended', 'withdrawn')),
  to_status         text NOT NULL CHECK (to_status IN ('active', 'suspended', 'withdrawn')),
  reason            text NOT NULL CHECK (reason IN ('equipment_failure', 'plan_change', 'licence_expired', 'licence_revoked', 'resumed')),
  note              text NOT NULL DEFAULT '',
  pending_bookings  integer NOT NULL DEFAULT 0,
  changed_by        uuid REFERENCES staff_member(id),
  changed_at        timestamptz NOT NULL
);
CREATE INDEX inspection_station_status_change_at_idx ON inspection_station_status_change (changed_at DESC);

-- R-36.2.1: a city's cross-city plan — which of its stations take vehicles
-- registered in other cities of the province, for which days, how many per
-- slot, and what they can test (as filed). 'filed' = reported to the province.
CREATE TABLE inspection_cross_city_plan (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  authority_id  text NOT NULL REFERENCES authority(id),         -- the city
  status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'filed')),
  note          text NOT NULL DEFAULT '',
  prepared_by   uuid REFERENCES staff_member(id),
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  filed_by      uuid REFERENCES staff_member(id),
  filed_at      timestamptz,
  CHECK ((status = 'filed') = (filed_at IS NOT NULL))
);
CREATE UNIQUE INDEX inspection_cross_city_plan_one_draft ON inspection_cross_city_plan (authority_id) WHERE status = 'draft';

CREATE TABLE inspection_cross_city_plan_entry (
  plan_id           uuid NOT NULL REFERENCES inspection_cross_city_plan(id) ON DELETE CASCADE,
  station_id        uuid NOT NULL REFERENCES inspection_station(id),
  quota_per_slot    integer NOT NULL CHECK (quota_per_slot > 0),
  from_day          date NOT NULL,
  to_day            date NOT NULL,
  vehicle_types     text[] NOT NULL,
  max_axle_load_kg  integer,
  brake_types       text[] NOT NULL,
  PRIMARY KEY (plan_id, station_id),
  CHECK (from_day <= to_day)
);

-- R-36.2.2: the province aggregates the cities' filed plans and publishes them.
-- Each publication is a new version; the newest version is the plan in force.
CREATE TABLE inspection_province_plan (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  authority_id  text NOT NULL REFERENCES authority(id),         -- the province
  version       integer NOT NULL CHECK (version > 0),
  notice        text NOT NULL DEFAULT '',
  published_by  uuid REFERENCES staff_member(id),
  published_at  timestamptz NOT NULL,
  UNIQUE (authority_id, version)
);
CREATE TABLE inspection_province_plan_city (
  province_plan_id  uuid NOT NULL REFERENCES inspection_province_plan(id),
  city_plan_id      uuid NOT NULL REFERENCES inspection_cross_city_plan(id),
  PRIMARY KEY (province_plan_id, city_plan_id)
);

-- The cross-city offer in force (R-35.4): the entries of each province's newest publication.
CREATE VIEW inspection_cross_city_offer AS
SELECT pp.authority_id AS province_id, pp.id AS province_plan_id, pp.version,
       e.station_id, e.quota_per_slot, e.from_day, e.to_day, e.vehicle_types, e.max_axle_load_kg, e.brake_types
FROM inspection_province_plan pp
JOIN inspection_province_plan_city pc ON pc.province_plan_id = pp.id
JOIN inspection_cross_city_plan_entry e ON e.plan_id = pc.city_plan_id
WHERE pp.version = (SELECT max(p2.version) FROM inspection_province_plan p2 WHERE p2.authority_id = pp.authority_id);

-- Bookings (R-34, R-35). 'moved' = replaced by the booking whose moved_from_id
-- points here. `disruption` marks an active booking the station cannot serve
-- (R-36.5 closure, R-36.6 suspension/withdrawal): it is still to be handled.
CREATE TABLE inspection_booking (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code              text NOT NULL UNIQUE,
  vehicle_id        uuid NOT NULL REFERENCES vehicle(id),
  user_account_id   uuid NOT NULL REFERENCES user_account(id),
  slot_id           uuid NOT NULL REFERENCES inspection_slot(id),
  station_id        uuid NOT NULL REFERENCES inspection_station(id),
  cross_city        boolean NOT NULL DEFAULT false,
  status            text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'moved', 'completed', 'no_show')),
  cancelled_reason  text CHECK (cancelled_reason IN ('by_user', 'by_station', 'capacity_reduced', 'slot_closed', 'station_suspended', 'station_withdrawn')),
  disruption        text CHECK (disruption IN ('slot_closed', 'station_suspended', 'station_withdrawn')),
  disrupted_at      timestamptz,
  moved_from_id     uuid REFERENCES inspection_booking(id),
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  ended_at          timestamptz,
  CHECK ((status = 'cancelled') = (cancelled_reason IS NOT NULL)),
  CHECK ((disruption IS NULL) = (disrupted_at IS NULL)),
  CHECK ((status = 'booked') = (ended_at IS NULL))
);
-- One active booking per vehicle: a second one is a unique violation (23505 → inspections.vehicle_already_booked).
CREATE UNIQUE INDEX inspection_booking_one_active_per_vehicle ON inspection_booking (vehicle_id) WHERE status = 'booked';
CREATE INDEX inspection_booking_slot_idx ON inspection_booking (slot_id) WHERE status = 'booked';
CREATE INDEX inspection_booking_user_idx ON inspection_booking (user_account_id, created_at DESC);
CREATE INDEX inspection_booking_pending_idx ON inspection_booking (station_id) WHERE status = 'booked' AND disruption IS NOT NULL;
