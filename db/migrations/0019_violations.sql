-- Camera-recorded violations, penalty decisions, fines and points (第五章,
-- X-5.1 … X-5.13, PD-10; ADR-034). Payment itself belongs to the payments
-- module (its own migration): a decision is a "payable" there, and its
-- settled job marks the decision paid here.
--
-- Lifecycle of a record (violation):
--   pending_review (entered or imported by 受理岗, reviewed within five
--   working days of capture, X-5.11) → open (reviewed; owner notified) →
--   handling (in a penalty decision awaiting payment, X-5.5) → handled (paid)
--   open → objected (objection under review, five working days) → open | cleared
--   pending_review | open | objected → cleared (exemption, three working days)
--   pending_review → rejected (not a valid record)

CREATE SEQUENCE violation_ref_seq;
CREATE TABLE violation (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference          text NOT NULL UNIQUE,                 -- 违法编号
  source             text NOT NULL CHECK (source IN ('camera', 'onsite')),   -- X-5.2: only camera records are handled online
  vehicle_id         uuid REFERENCES vehicle(id),
  plate_no           text NOT NULL,
  licence_id         uuid REFERENCES driving_licence(id),  -- the driver, when known (onsite records, handled records)
  authority_id       text NOT NULL REFERENCES authority(id),  -- where it happened: that city's staff review it
  occurred_at        timestamptz NOT NULL,
  place              text NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
  act_code           text NOT NULL CHECK (act_code ~ '^[0-9]{4,5}$'),   -- 违法代码
  act                text NOT NULL CHECK (length(act) BETWEEN 1 AND 200),
  fine_fen           integer NOT NULL CHECK (fine_fen >= 0 AND fine_fen <= 100000000),  -- money in integer fen
  points             integer NOT NULL CHECK (points BETWEEN 0 AND 12),
  device_no          text,                                 -- 监控设备编号
  status             text NOT NULL DEFAULT 'pending_review' CHECK (status IN ('pending_review', 'open', 'objected', 'handling', 'handled', 'cleared', 'rejected')),
  captured_at        timestamptz NOT NULL,                 -- when the device recorded it
  entered_at         timestamptz NOT NULL,
  entered_by         uuid REFERENCES staff_member(id),
  import_batch       text,
  review_due_at      timestamptz NOT NULL,                 -- X-5.11: five working days from capture
  reviewed_at        timestamptz,
  reviewed_by        uuid REFERENCES staff_member(id),
  notify_due_at      timestamptz,                          -- X-5.11: owner notified within five working days of entry
  notified_at        timestamptz,
  decision_id        uuid,                                 -- the penalty decision it is handled in (FK below)
  handled_at         timestamptz,
  cleared_at         timestamptz,
  cleared_by         uuid REFERENCES staff_member(id),
  cleared_reason     text,
  updated_at         timestamptz NOT NULL,
  CHECK ((status IN ('handling', 'handled')) = (decision_id IS NOT NULL)),
  CHECK ((status = 'handled') = (handled_at IS NOT NULL)),
  CHECK ((status = 'cleared') = (cleared_at IS NOT NULL)),
  CHECK (status IN ('pending_review', 'rejected', 'cleared') OR reviewed_at IS NOT NULL OR source = 'onsite')
);
CREATE INDEX violation_vehicle_idx ON violation (vehicle_id, status);
CREATE INDEX violation_licence_idx ON violation (licence_id, status);
CREATE INDEX violation_queue_idx ON violation (authority_id, status, review_due_at);
-- one device, one plate, one moment: an import run twice does not double a record
CREATE UNIQUE INDEX violation_one_capture ON violation (plate_no, occurred_at, act_code);

-- Photos of a record, in the one upload store (ADR-021).
CREATE TABLE violation_photo (
  violation_id  uuid NOT NULL REFERENCES violation(id),
  upload_id     uuid NOT NULL REFERENCES upload(id),
  position      integer NOT NULL CHECK (position BETWEEN 1 AND 6),
  PRIMARY KEY (violation_id, position),
  UNIQUE (violation_id, upload_id)
);

-- 处罚决定书: the electronic penalty decision (X-5.5), served when the citizen
-- confirms with an SMS code (the served day is day 0 of the late fee, X-5.8).
-- Handling counts only once it is paid (X-5.5): the records stay `handling`
-- and the points are assessed when the payment settles. Decisions made at a
-- counter (`channel` counter) assess their points at once.
CREATE SEQUENCE penalty_decision_seq;
CREATE TABLE penalty_decision (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  decision_no         text NOT NULL UNIQUE,                -- 决定书编号
  verification_code   text NOT NULL UNIQUE CHECK (verification_code ~ '^[0-9A-HJ-NP-Z]{12}$'),
  channel             text NOT NULL CHECK (channel IN ('online', 'counter')),
  user_account_id     uuid REFERENCES user_account(id),    -- who handled it online
  licence_id          uuid NOT NULL REFERENCES driving_licence(id),
  vehicle_id          uuid REFERENCES vehicle(id),
  plate_no            text NOT NULL,
  authority_id        text NOT NULL REFERENCES authority(id),
  fine_fen            integer NOT NULL CHECK (fine_fen >= 0),
  points              integer NOT NULL CHECK (points BETWEEN 0 AND 36),
  served_at           timestamptz NOT NULL,                -- served electronically (X-5.8: day 0)
  served_day          date NOT NULL,                       -- its Asia/Shanghai calendar day
  status              text NOT NULL DEFAULT 'awaiting_payment' CHECK (status IN ('awaiting_payment', 'paid')),
  points_assessed_at  timestamptz,
  paid_at             timestamptz,
  paid_fen            integer CHECK (paid_fen >= 0),
  late_fee_fen        integer CHECK (late_fee_fen >= 0),
  payment_order_id    text,
  non_owner           boolean NOT NULL DEFAULT false,       -- the licence holder does not own the vehicle (X-5.12)
  flagged             boolean NOT NULL DEFAULT false,       -- X-5.12: unusual non-owner handling
  flag_reason         text,
  created_at          timestamptz NOT NULL,
  CHECK ((status = 'paid') = (paid_at IS NOT NULL AND paid_fen IS NOT NULL AND late_fee_fen IS NOT NULL)),
  CHECK (late_fee_fen IS NULL OR late_fee_fen <= fine_fen)  -- X-5.8: the late fee never exceeds the fine
);
CREATE INDEX penalty_decision_licence_idx ON penalty_decision (licence_id, status);
CREATE INDEX penalty_decision_user_idx ON penalty_decision (user_account_id, created_at DESC);
ALTER TABLE violation ADD CONSTRAINT violation_decision_fk FOREIGN KEY (decision_id) REFERENCES penalty_decision(id);

-- Points ledger (记分) per licence and scoring cycle (X-5.4, X-5.9). A cycle is
-- twelve months from the anniversary of first_issued_on. `points` > 0 assessed;
-- the cycle of an entry is where it was assessed; an unpaid decision's points
-- count in later cycles too (carried) until it is paid.
CREATE TABLE licence_points_entry (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  licence_id    uuid NOT NULL REFERENCES driving_licence(id),
  cycle_start   date NOT NULL,
  points        integer NOT NULL CHECK (points > 0),
  decision_id   uuid NOT NULL REFERENCES penalty_decision(id),
  assessed_at   timestamptz NOT NULL,
  UNIQUE (decision_id)                                     -- a decision's points are assessed once
);
CREATE INDEX licence_points_entry_licence_idx ON licence_points_entry (licence_id, cycle_start);

-- 异议 and exemptions (X-5.11): an objection raised online is reviewed within
-- five working days; an exemption (emergency vehicle, stolen or wrong plate)
-- is cleared within three. 管理岗 decides (X-5.13).
CREATE TABLE violation_objection (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  violation_id   uuid NOT NULL REFERENCES violation(id),
  user_account_id uuid REFERENCES user_account(id),
  kind           text NOT NULL CHECK (kind IN ('objection', 'exemption')),
  ground         text NOT NULL CHECK (ground IN ('not_my_vehicle', 'wrong_plate', 'stolen_plate', 'emergency_vehicle', 'facts_wrong', 'other')),
  statement      text NOT NULL CHECK (length(statement) BETWEEN 1 AND 1000),
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'upheld', 'dismissed')),
  submitted_at   timestamptz NOT NULL,
  due_at         timestamptz NOT NULL,
  decided_at     timestamptz,
  decided_by     uuid REFERENCES staff_member(id),
  decision_note  text,
  authority_id   text NOT NULL REFERENCES authority(id),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- one open objection per record
CREATE UNIQUE INDEX violation_objection_one_open ON violation_objection (violation_id) WHERE status = 'pending';
CREATE INDEX violation_objection_queue_idx ON violation_objection (authority_id, status, due_at);
