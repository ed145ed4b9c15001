-- Replacement of plates, vehicle licence and inspection sticker (第三章第二节,
-- R-26 … R-29) and dealer-issued temporary plates (第三章第三节, R-30 … R-33).
-- docs/decisions/012-replacements-and-temp-plates.md explains the lifecycle,
-- the one-year bar and the blank-plate accounting. Contested resources are
-- guarded here: one open application per vehicle and item, one holder per
-- blank number, one issuance per blank, the dealer's stock within its quota
-- and the accounting identity of every dealer's blanks (CHECKs).

-- ---------------------------------------------------------------------------
-- Uploads (交强险凭证 images for stickers, R-29.1.1; dealer qualification
-- documents, R-31.2). JPEG, PNG or PDF up to 5 MB. The API takes JSON bodies
-- of at most 256 KB, so files arrive in ordered chunks and are checked
-- (size, sha256, magic bytes) when completed.
-- ---------------------------------------------------------------------------
CREATE TABLE evidence_upload (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_kind      text NOT NULL CHECK (owner_kind IN ('user', 'staff')),
  owner_id        uuid NOT NULL,
  purpose         text NOT NULL CHECK (purpose IN ('insurance_certificate', 'qualification_document')),
  file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type    text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  size_bytes      integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),   -- declared at start, verified at completion
  content         bytea NOT NULL DEFAULT ''::bytea,
  next_chunk      integer NOT NULL DEFAULT 0 CHECK (next_chunk >= 0),
  status          text NOT NULL DEFAULT 'receiving' CHECK (status IN ('receiving', 'complete')),
  created_at      timestamptz NOT NULL,
  completed_at    timestamptz,
  CHECK (octet_length(content) <= size_bytes),
  CHECK ((status = 'complete') = (completed_at IS NOT NULL)),
  CHECK (status = 'receiving' OR octet_length(content) = size_bytes)
);
CREATE INDEX evidence_upload_owner_idx ON evidence_upload (owner_kind, owner_id, created_at DESC);

-- ---------------------------------------------------------------------------
-- R-28.1: which plate kinds each city replaces online. No row = none.
-- ---------------------------------------------------------------------------
CREATE TABLE replacement_city_setting (
  authority_id        text PRIMARY KEY REFERENCES authority(id),
  online_plate_kinds  text[] NOT NULL DEFAULT '{}'
                      CHECK (online_plate_kinds <@ ARRAY['small_blue', 'small_new_energy', 'large_yellow', 'large_new_energy', 'trailer', 'motorcycle']::text[]),
  note                text NOT NULL DEFAULT '',
  updated_by          uuid REFERENCES staff_member(id),
  updated_at          timestamptz NOT NULL
);

-- ---------------------------------------------------------------------------
-- 补领 (replacement, lost) / 换领 (exchange, damaged) of one item of one vehicle.
-- Lifecycle (rules.ts `transition`):
--   submitted → accepted (受理岗, within one working day: accept_deadline, an SLA
--   timer — never auto-approved, decision 3) | rejected | cancelled (by the user)
--   accepted → produced (new certificate-core number; the temporary plate, R-28.2)
--   produced → sent (post, outbox `post` message = the tracking record) | ready_for_pickup
--   sent → delivered | refused;  ready_for_pickup → picked_up | not_collected (one month, R-27.6)
--   delivered / picked_up → archived (档案岗; at once if the file was archived earlier)
--   refused / not_collected → core_number_restored (file archived) | withdrawn (退办) (R-29.2.3)
-- ---------------------------------------------------------------------------
CREATE SEQUENCE replacement_ref_seq;
CREATE TABLE replacement_application (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference               text NOT NULL UNIQUE,
  user_account_id         uuid NOT NULL REFERENCES user_account(id),
  vehicle_id              uuid NOT NULL REFERENCES vehicle(id),
  authority_id            text NOT NULL REFERENCES authority(id),   -- the vehicle's registration authority does the work
  item                    text NOT NULL CHECK (item IN ('plate', 'vehicle_licence', 'inspection_sticker')),
  kind                    text NOT NULL CHECK (kind IN ('replacement', 'exchange')),
  reason_note             text NOT NULL DEFAULT '' CHECK (length(reason_note) <= 200),
  plate_no                text,                                      -- snapshot at submission
  plate_kind              text NOT NULL,
  delivery                text NOT NULL CHECK (delivery IN ('post', 'pickup')),
  recipient_name          text,
  recipient_phone         text CHECK (recipient_phone ~ '^1[3-9][0-9]{9}$'),
  postal_address          text CHECK (length(postal_address) <= 200),
  postcode                text CHECK (postcode ~ '^[0-9]{6}$'),
  temp_plate_requested    boolean NOT NULL DEFAULT false,            -- R-28.2
  insurance_upload_id     uuid REFERENCES evidence_upload(id),       -- R-29.1.1
  status                  text NOT NULL DEFAULT 'submitted' CHECK (status IN (
                            'submitted', 'accepted', 'rejected', 'cancelled', 'produced', 'sent', 'ready_for_pickup',
                            'delivered', 'picked_up', 'refused', 'not_collected', 'archived', 'withdrawn', 'core_number_restored')),
  submitted_at            timestamptz NOT NULL,
  accept_deadline         timestamptz NOT NULL,                      -- 24:00 of the next working day (decision 2)
  accepted_at             timestamptz,
  accepted_by             uuid REFERENCES staff_member(id),
  insurance_check         jsonb,                                     -- what 受理岗 confirmed about the image
  rejected_at             timestamptz,
  rejection_reason        text,
  cancelled_at            timestamptz,
  produced_at             timestamptz,
  produced_by             uuid REFERENCES staff_member(id),
  core_number             text,                                      -- 证芯编号 of the new item
  temp_plate_no           text,
  sent_at                 timestamptz,
  post_message_id         uuid REFERENCES outbox_message(id),        -- tracking record (delivery states + events)
  ready_at                timestamptz,
  pickup_deadline_day     date,                                      -- last day to collect (R-27.6)
  completed_at            timestamptz,                               -- delivered / picked_up
  old_item_handed_over    boolean,                                   -- R-27.5, recorded at delivery / pickup
  failed_at               timestamptz,                               -- refused / not collected
  receipt_recorded_by     uuid REFERENCES staff_member(id),
  archived_at             timestamptz,                               -- R-29.2.1
  archived_by             uuid REFERENCES staff_member(id),
  old_item_destroyed_at   timestamptz,                               -- R-29.2.2
  old_item_destroyed_by   uuid REFERENCES staff_member(id),
  closed_at               timestamptz,                               -- withdrawn / core number restored
  closed_by               uuid REFERENCES staff_member(id),
  updated_at              timestamptz NOT NULL,
  CHECK (accept_deadline > submitted_at),
  CHECK (temp_plate_requested = false OR item = 'plate'),
  CHECK (item = 'inspection_sticker' OR insurance_upload_id IS NULL),
  CHECK (item <> 'inspection_sticker' OR insurance_upload_id IS NOT NULL),
  CHECK (delivery = 'pickup' OR (recipient_name IS NOT NULL AND recipient_phone IS NOT NULL AND postal_address IS NOT NULL AND postcode IS NOT NULL)),
  CHECK (status <> 'rejected' OR (rejected_at IS NOT NULL AND rejection_reason IS NOT NULL)),
  CHECK (status IN ('submitted', 'rejected', 'cancelled') OR accepted_at IS NOT NULL),
  CHECK (status IN ('submitted', 'rejected', 'cancelled', 'accepted') OR (produced_at IS NOT NULL AND core_number IS NOT NULL)),
  CHECK (status IN ('submitted', 'rejected', 'cancelled', 'accepted') OR temp_plate_requested = false OR temp_plate_no IS NOT NULL),
  CHECK (status NOT IN ('sent', 'delivered', 'refused') OR (delivery = 'post' AND sent_at IS NOT NULL AND post_message_id IS NOT NULL)),
  CHECK (status NOT IN ('ready_for_pickup', 'picked_up', 'not_collected') OR (delivery = 'pickup' AND ready_at IS NOT NULL AND pickup_deadline_day IS NOT NULL)),
  CHECK (status NOT IN ('delivered', 'picked_up') OR completed_at IS NOT NULL),
  CHECK (status NOT IN ('refused', 'not_collected', 'withdrawn', 'core_number_restored') OR failed_at IS NOT NULL),
  CHECK (status <> 'archived' OR (archived_at IS NOT NULL AND completed_at IS NOT NULL)),
  CHECK (status <> 'core_number_restored' OR archived_at IS NOT NULL),
  CHECK (status <> 'withdrawn' OR archived_at IS NULL),
  CHECK (status NOT IN ('withdrawn', 'core_number_restored') OR closed_at IS NOT NULL),
  CHECK (old_item_destroyed_at IS NULL OR old_item_handed_over = true)
);
-- One open application per vehicle and item (a double submission is a 409).
CREATE UNIQUE INDEX replacement_one_open_per_vehicle_item ON replacement_application (vehicle_id, item)
  WHERE status IN ('submitted', 'accepted', 'produced', 'sent', 'ready_for_pickup');
CREATE INDEX replacement_user_idx ON replacement_application (user_account_id, submitted_at DESC);
CREATE INDEX replacement_vehicle_idx ON replacement_application (vehicle_id, item);
CREATE INDEX replacement_queue_idx ON replacement_application (authority_id, status, accept_deadline);

-- Progress shown to the citizen (网办进度): one row per step.
CREATE TABLE replacement_event (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id  uuid NOT NULL REFERENCES replacement_application(id),
  at              timestamptz NOT NULL,
  status          text NOT NULL,
  note            text
);
CREATE INDEX replacement_event_app_idx ON replacement_event (application_id, at, id);

-- R-27.6: refused delivery or not collected within one month → no online
-- replacement (plates, 行驶证, sticker, 驾驶证) for one year. Keyed by the
-- person's ID number too, so a new account does not escape it.
CREATE TABLE replacement_bar (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_account_id     uuid NOT NULL REFERENCES user_account(id),
  subject_id_number   text NOT NULL,
  application_id      uuid NOT NULL UNIQUE REFERENCES replacement_application(id),
  reason              text NOT NULL CHECK (reason IN ('refused', 'not_collected')),
  starts_at           timestamptz NOT NULL,
  ends_on             date NOT NULL,                 -- first Asia/Shanghai day online replacement is possible again
  authority_id        text NOT NULL REFERENCES authority(id)
);
CREATE INDEX replacement_bar_user_idx ON replacement_bar (user_account_id, ends_on);
CREATE INDEX replacement_bar_subject_idx ON replacement_bar (subject_id_number, ends_on);

-- ---------------------------------------------------------------------------
-- Temporary plates issued by car dealers (R-30 … R-33)
-- ---------------------------------------------------------------------------

-- R-32.1: whether a city entrusts dealers at all. No row = not entrusted.
CREATE TABLE temp_plate_city_setting (
  authority_id     text PRIMARY KEY REFERENCES authority(id),
  dealers_enabled  boolean NOT NULL DEFAULT false,
  note             text NOT NULL DEFAULT '',
  updated_by       uuid REFERENCES staff_member(id),
  updated_at       timestamptz NOT NULL
);

-- 核发临时号牌资格 of one dealer organisation (one admission; renewals extend
-- it). pending → active | rejected; active → suspended (R-33.2.4) → active;
-- active/suspended → revoked (R-32.4) | lapsed (R-32.3, not renewed in time).
-- Revoked or lapsed → no new application before `reapply_after` (R-32.5).
-- The blank counters carry the accounting identity of R-31.7 / R-33.2 as a CHECK.
CREATE TABLE dealer_qualification (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id           uuid NOT NULL REFERENCES organisation(id),
  authority_id              text NOT NULL REFERENCES authority(id),
  status                    text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'rejected', 'suspended', 'revoked', 'lapsed')),
  -- R-33.1.3: what 管理岗 records
  organisation_name         text NOT NULL,
  organisation_code         text NOT NULL,             -- USCC (its 9th–17th characters are the organisation code)
  legal_rep_name            text NOT NULL,
  legal_rep_phone           text NOT NULL,
  brand_models              text[] NOT NULL CHECK (cardinality(brand_models) BETWEEN 1 AND 200),
  valid_from                date,
  valid_until               date,                      -- last valid day (R-31.3: one year)
  quota                     integer NOT NULL DEFAULT 0 CHECK (quota BETWEEN 0 AND 10000),   -- R-32.6: blanks a dealer may hold unused
  -- blank accounting: handed out = in stock + issued + damaged (kept) + returned + destroyed + recovered
  blanks_handed_out         integer NOT NULL DEFAULT 0,
  blanks_in_stock           integer NOT NULL DEFAULT 0,
  blanks_issued             integer NOT NULL DEFAULT 0,
  blanks_damaged_kept       integer NOT NULL DEFAULT 0,
  blanks_returned           integer NOT NULL DEFAULT 0,
  blanks_destroyed          integer NOT NULL DEFAULT 0,
  blanks_recovered          integer NOT NULL DEFAULT 0,
  -- R-31.6 / R-32.4
  mismatch_count            integer NOT NULL DEFAULT 0 CHECK (mismatch_count >= 0),
  damage_count              integer NOT NULL DEFAULT 0 CHECK (damage_count >= 0),
  explanation_required_at   timestamptz,
  explanation_reason        text CHECK (explanation_reason IN ('mismatches', 'damage')),
  explanation_text          text,
  explanation_submitted_at  timestamptz,
  applied_at                timestamptz NOT NULL,
  applied_by                uuid REFERENCES staff_member(id),
  decided_at                timestamptz,
  decided_by                uuid REFERENCES staff_member(id),
  decision_note             text NOT NULL DEFAULT '',
  ended_at                  timestamptz,
  end_reason                text,
  reapply_after             date,                      -- R-32.5
  suspended_at              timestamptz,
  suspend_reason            text,
  updated_at                timestamptz NOT NULL,
  CONSTRAINT dealer_blanks_nonnegative CHECK (blanks_handed_out >= 0 AND blanks_in_stock >= 0 AND blanks_issued >= 0 AND blanks_damaged_kept >= 0
                                              AND blanks_returned >= 0 AND blanks_destroyed >= 0 AND blanks_recovered >= 0),
  CONSTRAINT dealer_blanks_accounted CHECK (blanks_handed_out = blanks_in_stock + blanks_issued + blanks_damaged_kept + blanks_returned + blanks_destroyed + blanks_recovered),
  CHECK (status IN ('pending', 'rejected') OR (valid_from IS NOT NULL AND valid_until IS NOT NULL AND valid_until >= valid_from)),
  CHECK ((status IN ('revoked', 'lapsed')) = (reapply_after IS NOT NULL)),
  CHECK (status NOT IN ('revoked', 'lapsed', 'rejected') OR ended_at IS NOT NULL),
  CHECK ((status = 'suspended') = (suspended_at IS NOT NULL))
);
-- R-31.1: one live qualification per dealer.
CREATE UNIQUE INDEX dealer_qualification_one_live ON dealer_qualification (organisation_id) WHERE status IN ('pending', 'active', 'suspended');
CREATE INDEX dealer_qualification_authority_idx ON dealer_qualification (authority_id, status, valid_until);

-- Each review of a qualification: the first admission and every renewal (R-31.2, R-31.3, R-33.1).
CREATE TABLE dealer_qualification_review (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  qualification_id  uuid NOT NULL REFERENCES dealer_qualification(id),
  kind              text NOT NULL CHECK (kind IN ('initial', 'renewal')),
  brand_models      text[] NOT NULL CHECK (cardinality(brand_models) BETWEEN 1 AND 200),
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  submitted_at      timestamptz NOT NULL,
  submitted_by      uuid REFERENCES staff_member(id),
  decided_at        timestamptz,
  decided_by        uuid REFERENCES staff_member(id),
  note              text NOT NULL DEFAULT '',
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX dealer_review_one_pending ON dealer_qualification_review (qualification_id) WHERE status = 'pending';

-- R-31.2: the five documents of a review.
CREATE TABLE dealer_qualification_document (
  review_id   uuid NOT NULL REFERENCES dealer_qualification_review(id),
  kind        text NOT NULL CHECK (kind IN ('organisation_code_certificate', 'letter_of_authorisation', 'agent_identity', 'brand_model_list', 'sales_permit')),
  upload_id   uuid NOT NULL REFERENCES evidence_upload(id),
  PRIMARY KEY (review_id, kind)
);

-- Blank numbers per authority: handed out in consecutive runs.
CREATE TABLE temp_plate_serial (
  authority_id  text PRIMARY KEY REFERENCES authority(id),
  next_serial   integer NOT NULL DEFAULT 1 CHECK (next_serial >= 1)
);

-- R-33.2: one hand-out of numbered blanks to a dealer. check_status 'deferred'
-- = handed out while the records could not be checked (R-33.2.4, decision 8):
-- a job reruns the check; no further hand-out while it is pending.
CREATE TABLE temp_plate_batch (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  qualification_id     uuid NOT NULL REFERENCES dealer_qualification(id),
  authority_id         text NOT NULL REFERENCES authority(id),
  quantity             integer NOT NULL CHECK (quantity > 0),
  first_plate_no       text NOT NULL,
  last_plate_no        text NOT NULL,
  declared             jsonb NOT NULL,                -- what the dealer handed in: damaged blanks returned, issuances since last time
  check_status         text NOT NULL CHECK (check_status IN ('passed', 'deferred', 'failed')),
  check_result         jsonb,
  checked_at           timestamptz,
  handed_out_by        uuid NOT NULL REFERENCES staff_member(id),
  handed_out_at        timestamptz NOT NULL,
  CHECK ((check_status = 'deferred') = (checked_at IS NULL))
);
CREATE UNIQUE INDEX temp_plate_batch_one_deferred ON temp_plate_batch (qualification_id) WHERE check_status = 'deferred';
CREATE INDEX temp_plate_batch_qual_idx ON temp_plate_batch (qualification_id, handed_out_at DESC);

-- One numbered blank temporary plate. The number exists once (UNIQUE): never
-- handed out or issued twice.
CREATE TABLE temp_plate_blank (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plate_no           text NOT NULL,
  authority_id       text NOT NULL REFERENCES authority(id),
  qualification_id   uuid NOT NULL REFERENCES dealer_qualification(id),
  batch_id           uuid NOT NULL REFERENCES temp_plate_batch(id),
  status             text NOT NULL DEFAULT 'in_stock' CHECK (status IN ('in_stock', 'issued', 'damaged', 'returned', 'destroyed', 'recovered')),
  damaged_at         timestamptz,
  damage_note        text,
  returned_at        timestamptz,
  returned_batch_id  uuid REFERENCES temp_plate_batch(id),
  destroyed_at       timestamptz,
  destroyed_by       uuid REFERENCES staff_member(id),
  recovered_at       timestamptz,
  updated_at         timestamptz NOT NULL,
  CONSTRAINT temp_plate_blank_plate_no_key UNIQUE (plate_no),
  CHECK (status NOT IN ('damaged', 'returned', 'destroyed') OR damaged_at IS NOT NULL),
  CHECK (status NOT IN ('returned', 'destroyed') OR returned_at IS NOT NULL),
  CHECK ((status = 'destroyed') = (destroyed_at IS NOT NULL)),
  CHECK ((status = 'recovered') = (recovered_at IS NOT NULL))
);
CREATE INDEX temp_plate_blank_qual_idx ON temp_plate_blank (qualification_id, status);

-- R-31.5: one temporary plate issued by a dealer for a car still to be registered.
CREATE TABLE temp_plate_issuance (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  blank_id           uuid NOT NULL REFERENCES temp_plate_blank(id),
  plate_no           text NOT NULL,
  qualification_id   uuid NOT NULL REFERENCES dealer_qualification(id),
  authority_id       text NOT NULL REFERENCES authority(id),
  vin                text NOT NULL CHECK (vin ~ '^[0-9A-HJ-NPR-Z]{17}$'),
  brand_model        text NOT NULL,
  owner_name         text NOT NULL,
  owner_id_type      text NOT NULL CHECK (owner_id_type IN ('resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id', 'uscc')),
  owner_id_number    text NOT NULL,
  owner_phone        text NOT NULL CHECK (owner_phone ~ '^1[3-9][0-9]{9}$'),
  valid_until        date NOT NULL,
  status             text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'registered')),
  issued_by          uuid NOT NULL REFERENCES staff_member(id),
  issued_at          timestamptz NOT NULL,
  -- R-31.6: owner data at registration, and what differed
  registered_at      timestamptz,
  registered_by      uuid REFERENCES staff_member(id),
  mismatch_fields    text[],
  CONSTRAINT temp_plate_issuance_blank_key UNIQUE (blank_id),
  CONSTRAINT temp_plate_issuance_plate_no_key UNIQUE (plate_no),
  CHECK ((status = 'registered') = (registered_at IS NOT NULL AND mismatch_fields IS NOT NULL))
);
-- One temporary plate in use per car.
CREATE UNIQUE INDEX temp_plate_issuance_one_per_vin ON temp_plate_issuance (vin) WHERE status = 'issued';
CREATE INDEX temp_plate_issuance_qual_idx ON temp_plate_issuance (qualification_id, issued_at DESC);
