-- Plate-number preselection (spec 第三章第一节, R-22 … R-25; rules.md decision 14).
-- Segment plans and their lifecycle, the number pool (one row per number, a
-- dense index per pool so a random pick is one index lookup), preselections,
-- random-draw offers with their seed and proof, and the two-year bans.
-- The contested resource is guarded here, not in application memory:
-- partial unique indexes ("one active preselection per user", "one holder per
-- number") and CHECKs that tie each status to the columns it needs.

-- 号段启用计划: a segment plan of one authority (R-25.1). Lifecycle:
-- draft → submitted (报上级) → approved (上级批准或备案, R-25.2) → published
-- (向社会公布, R-25.3, ≥ 3 working days before the start, R-24.4) → building →
-- pool_built (号码池建立, R-25.4) → open → closed.
CREATE TABLE plate_segment_plan (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  authority_id           text NOT NULL REFERENCES authority(id),
  prefix                 text NOT NULL CHECK (prefix ~ '^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]$'),
  plate_kind             text NOT NULL CHECK (plate_kind IN ('small_blue', 'small_new_energy', 'large_yellow', 'large_new_energy')),
  -- one symbol per serial position: a literal digit/letter, '#' any digit,
  -- '@' any letter (no I, O), '*' digit or letter — see plates/rules.ts
  pattern                text NOT NULL CHECK (pattern ~ '^[0-9A-HJ-NP-Z#@*]{5,6}$'),
  size                   integer NOT NULL CHECK (size >= 1000),          -- R-24.1
  exclude_digits         text NOT NULL DEFAULT '' CHECK (exclude_digits ~ '^[0-9]*$'),
  withheld_serials       text[] NOT NULL DEFAULT '{}',                   -- kept in the pool as 'withheld'
  start_at               timestamptz NOT NULL,
  note                   text NOT NULL DEFAULT '',
  status                 text NOT NULL DEFAULT 'draft'
                         CHECK (status IN ('draft', 'submitted', 'approved', 'published', 'building', 'pool_built', 'open', 'closed')),
  created_by             uuid NOT NULL REFERENCES staff_member(id),
  created_at             timestamptz NOT NULL,
  submitted_by           uuid REFERENCES staff_member(id),
  submitted_at           timestamptz,
  -- R-25.2: who decided (the superior authority), how (批准 / 备案), the document, who recorded it and when
  approval_kind          text CHECK (approval_kind IN ('approved', 'filed')),
  approval_authority_id  text REFERENCES authority(id),
  approval_ref           text,
  approval_recorded_by   uuid REFERENCES staff_member(id),
  approval_recorded_at   timestamptz,
  published_by           uuid REFERENCES staff_member(id),
  published_at           timestamptz,
  -- pool build (R-25.4), a durable job in chunks; progress is candidates examined of the pattern's candidate space
  build_started_by       uuid REFERENCES staff_member(id),
  build_started_at       timestamptz,
  build_finished_at      timestamptz,
  build_total            bigint NOT NULL DEFAULT 0 CHECK (build_total >= 0),
  build_cursor           bigint NOT NULL DEFAULT 0 CHECK (build_cursor >= 0 AND build_cursor <= build_total),
  build_excluded_taken   integer NOT NULL DEFAULT 0,   -- already issued or held elsewhere: left out
  build_excluded_digits  integer NOT NULL DEFAULT 0,   -- containing an excluded digit: left out
  pool_size              integer NOT NULL DEFAULT 0 CHECK (pool_size >= 0),   -- rows in plate_number, idx 0 … pool_size-1
  pool_version           integer NOT NULL DEFAULT 0,
  pool_digest            text,                          -- chained sha256 over the pool in idx order
  opened_by              uuid REFERENCES staff_member(id),
  opened_at              timestamptz,
  closed_by              uuid REFERENCES staff_member(id),
  closed_at              timestamptz,
  updated_at             timestamptz NOT NULL,
  CHECK (length(pattern) = CASE WHEN plate_kind IN ('small_new_energy', 'large_new_energy') THEN 6 ELSE 5 END),
  CHECK (status = 'draft' OR submitted_at IS NOT NULL),
  CHECK (status IN ('draft', 'submitted') OR (approval_kind IS NOT NULL AND approval_authority_id IS NOT NULL
                                               AND approval_ref IS NOT NULL AND approval_recorded_at IS NOT NULL)),
  CHECK (status IN ('draft', 'submitted', 'approved') OR (published_at IS NOT NULL AND published_at < start_at)),
  CHECK (status IN ('draft', 'submitted', 'approved', 'published') OR build_started_at IS NOT NULL),
  CHECK (status NOT IN ('pool_built', 'open', 'closed') OR (build_finished_at IS NOT NULL AND pool_version > 0)),
  CHECK (status NOT IN ('open', 'closed') OR opened_at IS NOT NULL),
  CHECK (status <> 'closed' OR closed_at IS NOT NULL)
);
CREATE INDEX plate_segment_plan_authority_idx ON plate_segment_plan (authority_id, status, start_at);

-- 号牌号码池: one row per number of a built segment. `idx` is dense per plan
-- (0 … pool_size-1), so a random draw turns a uniform integer into a row with
-- one unique-index lookup, the same cost at 50,000 and at 5,000,000 numbers.
CREATE TABLE plate_number (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id          uuid NOT NULL REFERENCES plate_segment_plan(id),
  idx              integer NOT NULL CHECK (idx >= 0),
  plate_no         text NOT NULL,                 -- prefix + serial, e.g. 粤BA1234
  status           text NOT NULL DEFAULT 'free' CHECK (status IN ('free', 'offered', 'reserved', 'issued', 'withheld')),
  offer_id         uuid,                          -- the random draw holding it (status offered)
  preselection_id  uuid,                          -- the reservation holding it (status reserved / issued)
  held_until       timestamptz,                   -- offered: end of the offer; reserved: registration deadline
  updated_at       timestamptz NOT NULL,
  CONSTRAINT plate_number_plan_idx_key UNIQUE (plan_id, idx),
  CONSTRAINT plate_number_plan_plate_key UNIQUE (plan_id, plate_no),
  CHECK ((status = 'offered') = (offer_id IS NOT NULL)),
  CHECK ((status IN ('reserved', 'issued')) = (preselection_id IS NOT NULL)),
  CHECK ((status IN ('offered', 'reserved')) = (held_until IS NOT NULL))
);
-- One holder per number, across every pool (style §4).
CREATE UNIQUE INDEX plate_number_one_holder ON plate_number (plate_no) WHERE status IN ('offered', 'reserved', 'issued');
CREATE INDEX plate_number_plate_no_idx ON plate_number (plate_no);
-- The pool's rows are fixed once built, so free = pool_size − the rows held or
-- withheld; counting those (R-24.3) reads only this partial index, never the free rows.
CREATE INDEX plate_number_held_idx ON plate_number (plan_id, status) WHERE status <> 'free';
CREATE INDEX plate_number_offer_idx ON plate_number (offer_id) WHERE offer_id IS NOT NULL;

-- 预选号牌号码: one preselection of one vehicle (R-23). `drawing` is a random
-- preselection before its pick; `reserved` holds a number until registration.
CREATE SEQUENCE plate_preselection_ref_seq;
CREATE TABLE plate_preselection (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference         text NOT NULL UNIQUE,
  user_account_id   uuid NOT NULL REFERENCES user_account(id),
  plan_id           uuid NOT NULL REFERENCES plate_segment_plan(id),
  authority_id      text NOT NULL REFERENCES authority(id),
  mode              text NOT NULL CHECK (mode IN ('self', 'random')),          -- 自行编排 / 自动选取 (R-24.2)
  -- R-23.3: what must equal the registration application
  vin               text NOT NULL CHECK (vin ~ '^[0-9A-HJ-NPR-Z]{17}$'),
  owner_id_type     text NOT NULL CHECK (owner_id_type IN ('resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id', 'uscc')),
  owner_id_number   text NOT NULL,
  owner_name        text NOT NULL,
  phone             text NOT NULL CHECK (phone ~ '^1[3-9][0-9]{9}$'),
  plate_no          text,
  status            text NOT NULL CHECK (status IN ('drawing', 'reserved', 'registered', 'expired', 'cancelled', 'lapsed')),
  created_at        timestamptz NOT NULL,
  reserved_at       timestamptz,
  deadline          timestamptz,                 -- R-23.4: 24:00 of the third working day
  registered_at     timestamptz,
  registered_by     uuid REFERENCES staff_member(id),
  vehicle_id        uuid REFERENCES vehicle(id),
  ended_at          timestamptz,
  mismatch_fields   text[],                      -- R-23.3 breach found at the counter
  CHECK ((status IN ('drawing', 'lapsed')) = (plate_no IS NULL)),
  CHECK (status IN ('drawing', 'lapsed') OR (reserved_at IS NOT NULL AND deadline IS NOT NULL AND deadline > reserved_at)),
  CHECK ((status = 'registered') = (registered_at IS NOT NULL AND vehicle_id IS NOT NULL)),
  CHECK ((status IN ('drawing', 'reserved')) = (ended_at IS NULL)),
  CHECK ((status = 'cancelled') = (mismatch_fields IS NOT NULL))
);
-- R-23.2: one vehicle at a time per user; one live preselection per vehicle.
CREATE UNIQUE INDEX plate_preselection_one_active_per_user ON plate_preselection (user_account_id) WHERE status IN ('drawing', 'reserved');
CREATE UNIQUE INDEX plate_preselection_one_active_per_vin ON plate_preselection (vin) WHERE status IN ('drawing', 'reserved');
-- One holder per number among reservations.
CREATE UNIQUE INDEX plate_preselection_one_holder ON plate_preselection (plate_no) WHERE status IN ('reserved', 'registered');
CREATE INDEX plate_preselection_user_idx ON plate_preselection (user_account_id, created_at DESC);
CREATE INDEX plate_preselection_authority_idx ON plate_preselection (authority_id, status, deadline);

-- 自动选取: one draw of up to 10 numbers (decision 14), with what is needed to
-- re-run it: the seed (revealed once the offer ended), its commitment (shown
-- at once), the pool it drew from, every candidate examined and its outcome.
CREATE TABLE plate_draw (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  preselection_id   uuid NOT NULL REFERENCES plate_preselection(id),
  draw_no           smallint NOT NULL CHECK (draw_no BETWEEN 1 AND 5),
  plan_id           uuid NOT NULL REFERENCES plate_segment_plan(id),
  pool_version      integer NOT NULL,
  pool_size         integer NOT NULL CHECK (pool_size > 0),
  pool_digest       text,
  algorithm         text NOT NULL,
  seed              bytea NOT NULL CHECK (octet_length(seed) = 32),
  commitment        text NOT NULL CHECK (commitment ~ '^[0-9a-f]{64}$'),
  candidates        jsonb NOT NULL DEFAULT '[]',     -- [{ n, idx, plateNo, outcome }] in the order examined
  rejected_words    integer NOT NULL DEFAULT 0,      -- PRNG words dropped to avoid modulo bias
  offered           text[] NOT NULL DEFAULT '{}',
  status            text NOT NULL CHECK (status IN ('open', 'picked', 'expired', 'superseded', 'lapsed')),
  drawn_at          timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  ended_at          timestamptz,
  picked_plate_no   text,
  CONSTRAINT plate_draw_one_per_number UNIQUE (preselection_id, draw_no),
  CHECK (expires_at > drawn_at),
  CHECK ((status = 'open') = (ended_at IS NULL)),
  CHECK ((status = 'picked') = (picked_plate_no IS NOT NULL))
);
CREATE UNIQUE INDEX plate_draw_one_open ON plate_draw (preselection_id) WHERE status = 'open';

-- R-23.4: two years without online preselection after an overdue or mismatched reservation.
CREATE TABLE plate_ban (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_account_id    uuid NOT NULL REFERENCES user_account(id),
  subject_id_number  text NOT NULL,             -- the user's ID number / USCC, so a new account does not escape it
  preselection_id    uuid NOT NULL UNIQUE REFERENCES plate_preselection(id),
  reason             text NOT NULL CHECK (reason IN ('overdue', 'mismatch')),
  starts_at          timestamptz NOT NULL,
  ends_on            date NOT NULL,             -- first Asia/Shanghai day the user may preselect again
  authority_id       text NOT NULL REFERENCES authority(id)
);
CREATE INDEX plate_ban_user_idx ON plate_ban (user_account_id, ends_on);
CREATE INDEX plate_ban_subject_idx ON plate_ban (subject_id_number, ends_on);
