-- Driving-licence services (第四章第一、二节, X-4.1, X-4.2) and the health-
-- certificate obligations of 70+ and disability-vehicle holders (X-4.3.2,
-- X-4.3.3). docs/decisions/029-licence-services.md and
-- 030-licence-deferral-and-obligations.md explain the lifecycle.
-- The health certificates themselves live in the medical module's table
-- (0017, health_certificate): this file runs before it, so a certificate is
-- referenced by id without a foreign key.

-- ---------------------------------------------------------------------------
-- 期满换证 / 超龄换证 / 损毁换证 / 遗失补证 of one driving licence (X-4.1.2).
-- Lifecycle as the vehicle replacements (0005): submitted → accepted (受理岗,
-- one working day, X-4.1.10) | rejected | cancelled; accepted → produced →
-- sent (post) | ready_for_pickup; sent → delivered | refused; ready_for_pickup
-- → picked_up | not_collected (one month); delivered / picked_up → archived;
-- refused / not_collected → core_number_restored (archived) | withdrawn (退办).
-- ---------------------------------------------------------------------------
CREATE SEQUENCE licence_service_ref_seq;
CREATE TABLE licence_service_application (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference                 text NOT NULL UNIQUE,
  user_account_id           uuid NOT NULL REFERENCES user_account(id),
  licence_id                uuid NOT NULL REFERENCES driving_licence(id),
  authority_id              text NOT NULL REFERENCES authority(id),   -- the licence's issuing authority does the work
  kind                      text NOT NULL CHECK (kind IN ('renewal', 'age_renewal', 'damage_exchange', 'loss_replacement')),
  licence_no                text NOT NULL,                             -- snapshot at submission
  classes_before            text NOT NULL,
  classes_after             text NOT NULL,                             -- X-4.1.6: the downgraded classes of 超龄换证
  valid_until_before        date NOT NULL,
  health_certificate_id     uuid,                                      -- X-4.1.7 (health_certificate, migration 0017)
  declared_at               timestamptz NOT NULL,                      -- X-4.1.11 申告
  delivery                  text NOT NULL CHECK (delivery IN ('post', 'pickup')),
  recipient_name            text,
  recipient_phone           text CHECK (recipient_phone ~ '^1[3-9][0-9]{9}$'),
  postal_address            text CHECK (length(postal_address) <= 200),
  postcode                  text CHECK (postcode ~ '^[0-9]{6}$'),
  status                    text NOT NULL DEFAULT 'submitted' CHECK (status IN (
                              'submitted', 'accepted', 'rejected', 'cancelled', 'produced', 'sent', 'ready_for_pickup',
                              'delivered', 'picked_up', 'refused', 'not_collected', 'archived', 'withdrawn', 'core_number_restored')),
  submitted_at              timestamptz NOT NULL,
  accept_deadline           timestamptz NOT NULL,                      -- 24:00 of the next working day (PD-2, PD-3)
  accepted_at               timestamptz,
  accepted_by               uuid REFERENCES staff_member(id),
  rejected_at               timestamptz,
  rejection_reason          text,
  cancelled_at              timestamptz,
  produced_at               timestamptz,
  produced_by               uuid REFERENCES staff_member(id),
  core_number               text,                                      -- 证芯编号 of the new licence
  new_valid_until           date,
  sent_at                   timestamptz,
  post_message_id           uuid REFERENCES outbox_message(id),
  ready_at                  timestamptz,
  pickup_deadline_day       date,
  completed_at              timestamptz,
  old_licence_handed_over   boolean,                                   -- X-4.1.9: handed in at delivery / pickup for 换证
  failed_at                 timestamptz,
  receipt_recorded_by       uuid REFERENCES staff_member(id),
  archived_at               timestamptz,
  archived_by               uuid REFERENCES staff_member(id),
  old_licence_destroyed_at  timestamptz,
  old_licence_destroyed_by  uuid REFERENCES staff_member(id),
  closed_at                 timestamptz,
  closed_by                 uuid REFERENCES staff_member(id),
  updated_at                timestamptz NOT NULL,
  CHECK (accept_deadline > submitted_at),
  CHECK (delivery = 'pickup' OR (recipient_name IS NOT NULL AND recipient_phone IS NOT NULL AND postal_address IS NOT NULL AND postcode IS NOT NULL)),
  CHECK (kind NOT IN ('renewal', 'age_renewal') OR health_certificate_id IS NOT NULL),
  CHECK (status <> 'rejected' OR (rejected_at IS NOT NULL AND rejection_reason IS NOT NULL)),
  CHECK (status IN ('submitted', 'rejected', 'cancelled') OR accepted_at IS NOT NULL),
  CHECK (status IN ('submitted', 'rejected', 'cancelled', 'accepted') OR (produced_at IS NOT NULL AND core_number IS NOT NULL)),
  CHECK (status NOT IN ('sent', 'delivered', 'refused') OR (delivery = 'post' AND sent_at IS NOT NULL AND post_message_id IS NOT NULL)),
  CHECK (status NOT IN ('ready_for_pickup', 'picked_up', 'not_collected') OR (delivery = 'pickup' AND ready_at IS NOT NULL AND pickup_deadline_day IS NOT NULL)),
  CHECK (status NOT IN ('delivered', 'picked_up') OR completed_at IS NOT NULL),
  CHECK (status NOT IN ('refused', 'not_collected', 'withdrawn', 'core_number_restored') OR failed_at IS NOT NULL),
  CHECK (status <> 'archived' OR (archived_at IS NOT NULL AND completed_at IS NOT NULL)),
  CHECK (status <> 'core_number_restored' OR archived_at IS NOT NULL),
  CHECK (status <> 'withdrawn' OR archived_at IS NULL),
  CHECK (old_licence_destroyed_at IS NULL OR old_licence_handed_over = true)
);
-- One application in progress per licence (a double submission is a 409).
CREATE UNIQUE INDEX licence_service_one_open ON licence_service_application (licence_id)
  WHERE status IN ('submitted', 'accepted', 'produced', 'sent', 'ready_for_pickup');
CREATE INDEX licence_service_user_idx ON licence_service_application (user_account_id, submitted_at DESC);
CREATE INDEX licence_service_queue_idx ON licence_service_application (authority_id, status, accept_deadline);
CREATE INDEX licence_service_licence_idx ON licence_service_application (licence_id, kind, submitted_at);

-- Progress shown to the citizen (网办进度): one row per step.
CREATE TABLE licence_service_event (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  application_id  uuid NOT NULL REFERENCES licence_service_application(id),
  at              timestamptz NOT NULL,
  status          text NOT NULL,
  note            text
);
CREATE INDEX licence_service_event_app_idx ON licence_service_event (application_id, at, id);

-- X-4.1.9 = R-27.6: ONE bar for all online 补换领 (plates, 行驶证, stickers
-- and the driving licence). A bar comes from a vehicle replacement or from a
-- licence application; its reference is kept on the row.
ALTER TABLE replacement_bar ALTER COLUMN application_id DROP NOT NULL;
ALTER TABLE replacement_bar ADD COLUMN licence_application_id uuid UNIQUE REFERENCES licence_service_application(id);
ALTER TABLE replacement_bar ADD COLUMN reference text;
UPDATE replacement_bar b SET reference = ra.reference FROM replacement_application ra WHERE ra.id = b.application_id;
ALTER TABLE replacement_bar ADD CONSTRAINT replacement_bar_one_cause CHECK (num_nonnulls(application_id, licence_application_id) = 1);

-- ---------------------------------------------------------------------------
-- 延期换证 / 延期审验 / 延期提交身体条件证明 (X-4.2, PD-11): once per validity
-- period (the end date it defers), at most three years. The partial unique
-- index is the "once": two submissions for the same end date cannot both live.
-- ---------------------------------------------------------------------------
CREATE SEQUENCE licence_deferral_ref_seq;
CREATE TABLE licence_deferral (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference           text NOT NULL UNIQUE,
  user_account_id     uuid NOT NULL REFERENCES user_account(id),
  licence_id          uuid NOT NULL REFERENCES driving_licence(id),
  authority_id        text NOT NULL REFERENCES authority(id),
  kind                text NOT NULL CHECK (kind IN ('renewal', 'review', 'health_certificate')),
  reason              text NOT NULL CHECK (reason IN ('military_service', 'abroad', 'other')),
  reason_note         text NOT NULL DEFAULT '' CHECK (length(reason_note) <= 200),
  end_date            date NOT NULL,                 -- the date deferred: 有效期止 / 审验有效期止 / 提交身体条件证明期限
  deferred_until      date NOT NULL,
  status              text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'accepted', 'rejected', 'cancelled')),
  verification_code   text NOT NULL CHECK (verification_code ~ '^[0-9A-Z]{8}$'),   -- printed on the 延期回执
  submitted_at        timestamptz NOT NULL,
  accept_deadline     timestamptz NOT NULL,
  accepted_at         timestamptz,
  accepted_by         uuid REFERENCES staff_member(id),
  rejected_at         timestamptz,
  rejection_reason    text,
  updated_at          timestamptz NOT NULL,
  CONSTRAINT licence_deferral_three_years CHECK (deferred_until > end_date AND deferred_until <= end_date + interval '3 years'),
  CHECK (reason <> 'other' OR length(reason_note) > 0),
  CHECK (status <> 'accepted' OR accepted_at IS NOT NULL),
  CHECK (status <> 'rejected' OR (rejected_at IS NOT NULL AND rejection_reason IS NOT NULL))
);
CREATE UNIQUE INDEX licence_deferral_once_per_period ON licence_deferral (licence_id, kind, end_date) WHERE status IN ('submitted', 'accepted');
CREATE INDEX licence_deferral_queue_idx ON licence_deferral (authority_id, status, accept_deadline);
CREATE INDEX licence_deferral_user_idx ON licence_deferral (user_account_id, submitted_at DESC);

-- ---------------------------------------------------------------------------
-- X-4.3.3: a 70+ licence cancelled because no health certificate came within
-- a year after the scoring cycle ended, and its restoration. One open
-- cancellation per licence; `cycle_end` is the day the unanswered cycle ended.
-- ---------------------------------------------------------------------------
CREATE TABLE licence_health_cancellation (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  licence_id                uuid NOT NULL REFERENCES driving_licence(id),
  cycle_end                 date NOT NULL,
  status_before             text NOT NULL,
  cancelled_at              timestamptz NOT NULL,
  restored_at               timestamptz,
  restored_certificate_id   uuid,
  UNIQUE (licence_id, cycle_end),
  CHECK ((restored_at IS NULL) = (restored_certificate_id IS NULL))
);
CREATE UNIQUE INDEX licence_health_cancellation_one_open ON licence_health_cancellation (licence_id) WHERE restored_at IS NULL;
