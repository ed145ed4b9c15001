-- Accounts (spec 第二章, R-7 … R-21; rules.md decisions 2–9): counter
-- applications for persons and organisations with staff review and the
-- return loop, deferred population checks, archive records, uploads kept in
-- Postgres, the records that decide who may register as learner / new-car
-- owner, cancellations, certificate-photo reviews and the vehicle / licence
-- events that unbind automatically (R-17). Depends on 0001 only.

-- 初次申领驾驶证: first-licence applications in the records system. An
-- accepted one lets a person without vehicle or licence register as 学员
-- (R-7.1, R-9.2); issuing the licence converts the account (R-9.2.2).
CREATE TABLE licence_application (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id      uuid NOT NULL REFERENCES person(id),
  kind           text NOT NULL DEFAULT 'first_licence' CHECK (kind IN ('first_licence')),
  classes        text NOT NULL,                    -- 申请准驾车型, e.g. C1
  phone          text NOT NULL CHECK (phone ~ '^1[3-9][0-9]{9}$'),  -- R-11.2 compares against it
  status         text NOT NULL DEFAULT 'accepted' CHECK (status IN ('accepted', 'issued', 'withdrawn')),
  authority_id   text NOT NULL REFERENCES authority(id),
  accepted_at    timestamptz NOT NULL,
  licence_id     uuid REFERENCES driving_licence(id),
  issued_at      timestamptz,
  issued_by      uuid,                             -- staff_member who recorded the issuance
  CHECK ((status = 'issued') = (licence_id IS NOT NULL AND issued_at IS NOT NULL))
);
CREATE UNIQUE INDEX licence_application_one_open ON licence_application (person_id) WHERE status = 'accepted';

-- 暂停用户账号 (R-15, decision 4): when the account was suspended.
ALTER TABLE user_account ADD COLUMN suspended_at timestamptz;

-- Photo and scans, in Postgres with their content hash (JPEG / PNG / PDF, ≤ 5 MB).
CREATE TABLE upload (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purpose        text NOT NULL CHECK (purpose IN (
                   'onsite_photo', 'application_form', 'identity_document', 'owner_identity_document', 'vehicle_licence',
                   'organisation_certificate', 'letter_of_authorisation', 'agent_identity_document', 'certificate_photo')),
  content_type   text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  size_bytes     integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  data           bytea NOT NULL,
  owner_kind     text NOT NULL CHECK (owner_kind IN ('staff', 'user')),
  owner_id       uuid NOT NULL,
  authority_id   text REFERENCES authority(id),
  created_at     timestamptz NOT NULL,
  CHECK (octet_length(data) = size_bytes)
);
CREATE INDEX upload_owner_idx ON upload (owner_kind, owner_id, created_at DESC);

-- 窗口注册 / 窗口变更: one counter application (R-12, R-13, R-19, R-20).
-- Lifecycle (docs/decisions/013): accepted by 受理岗 → review (管理岗, due
-- 24:00 of the next working day, decision 3) ⇄ returned (back at 受理岗 with
-- a note) → approved | rejected. Organisations are completed at acceptance
-- (R-13.1.3, R-20.1.3). check_status 'pending' = "network down, accept first"
-- (decision 8): a job reruns the check and approval waits for it.
CREATE SEQUENCE account_application_ref_seq;
CREATE TABLE account_application (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference        text NOT NULL UNIQUE,
  authority_id     text NOT NULL REFERENCES authority(id),    -- the counter's department (decision 9)
  subject          text NOT NULL CHECK (subject IN ('person', 'organisation')),
  kind             text NOT NULL CHECK (kind IN ('registration', 'change')),
  change_kind      text CHECK (change_kind IN ('contact', 'bind_non_own_vehicle', 'organisation_info')),
  status           text NOT NULL CHECK (status IN ('review', 'returned', 'approved', 'rejected', 'completed')),
  -- the applicant (person) or the agent (organisation), as entered
  id_type          text NOT NULL,
  id_number        text NOT NULL,
  phone            text NOT NULL CHECK (phone ~ '^1[3-9][0-9]{9}$'),
  form             jsonb NOT NULL,                            -- every field of the form (R-12.1.3, R-13.1.3)
  person_id        uuid REFERENCES person(id),                -- found in the population registry
  organisation_id  uuid REFERENCES organisation(id),
  user_account_id  uuid REFERENCES user_account(id),          -- the account changed, or created on approval
  vehicle_id       uuid REFERENCES vehicle(id),               -- bind_non_own_vehicle
  check_status     text NOT NULL CHECK (check_status IN ('passed', 'pending', 'failed')),
  check_detail     jsonb NOT NULL DEFAULT '{}',
  checked_at       timestamptz,
  photo_prompts    text[] NOT NULL DEFAULT '{}',              -- R-12.1.4
  prefill_code     text,
  track_token_hash text NOT NULL UNIQUE,                      -- sha256 of the SMS link's token
  accepted_by      uuid NOT NULL REFERENCES staff_member(id),
  accepted_at      timestamptz NOT NULL,
  review_due_at    timestamptz,                               -- R-12.2 / R-19.2: SLA, never auto-approved
  overdue_at       timestamptz,
  returned_note    text,
  returned_by      uuid REFERENCES staff_member(id),
  returned_at      timestamptz,
  resubmitted_at   timestamptz,
  decided_by       uuid REFERENCES staff_member(id),
  decided_at       timestamptz,
  reject_reason    text,
  updated_at       timestamptz NOT NULL,
  CHECK ((kind = 'change') = (change_kind IS NOT NULL)),
  CHECK (subject = 'organisation' OR change_kind IS DISTINCT FROM 'organisation_info'),
  CHECK ((status = 'completed') = (subject = 'organisation')),
  CHECK (subject = 'organisation' OR review_due_at IS NOT NULL),
  CHECK (status <> 'returned' OR returned_note IS NOT NULL),
  CHECK (status <> 'rejected' OR reject_reason IS NOT NULL),
  CHECK (status NOT IN ('approved', 'rejected') OR decided_at IS NOT NULL),
  CHECK (status <> 'approved' OR check_status = 'passed'),
  CHECK (change_kind IS DISTINCT FROM 'bind_non_own_vehicle' OR vehicle_id IS NOT NULL)
);
CREATE INDEX account_application_queue_idx ON account_application (authority_id, status, review_due_at);
CREATE INDEX account_application_applicant_idx ON account_application (id_type, id_number, accepted_at DESC);
-- A person has at most one open registration at a time.
CREATE UNIQUE INDEX account_application_one_open_registration ON account_application (id_type, id_number)
  WHERE kind = 'registration' AND subject = 'person' AND status IN ('review', 'returned');

CREATE TABLE account_application_document (
  application_id  uuid NOT NULL REFERENCES account_application(id),
  purpose         text NOT NULL,
  upload_id       uuid NOT NULL REFERENCES upload(id),
  PRIMARY KEY (application_id, purpose)
);

-- 《互联网个人用户注册/变更申请表》 filled in advance on web; 受理岗 loads it by code (QR).
CREATE TABLE account_prefill (
  code            text PRIMARY KEY CHECK (code ~ '^[A-HJ-NP-Z2-9]{10}$'),
  form            jsonb NOT NULL,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  used_at         timestamptz,
  application_id  uuid REFERENCES account_application(id),
  CHECK (expires_at > created_at)
);

-- 档案岗 (R-12.3/12.4, R-13.2/13.3): check, organise, bind, archive; the paper file's place.
CREATE TABLE account_archive (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id      uuid NOT NULL UNIQUE REFERENCES account_application(id),
  authority_id        text NOT NULL REFERENCES authority(id),
  status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'archived')),
  required_documents  text[] NOT NULL,
  checked_documents   text[] NOT NULL DEFAULT '{}',
  file_location       text,
  note                text NOT NULL DEFAULT '',
  archived_by         uuid REFERENCES staff_member(id),
  archived_at         timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  CHECK (status = 'pending' OR (file_location IS NOT NULL AND checked_documents @> required_documents AND archived_at IS NOT NULL))
);
CREATE INDEX account_archive_queue_idx ON account_archive (authority_id, status, created_at);

-- 注销 (R-21): who or what cancelled an account, and why.
CREATE TABLE account_cancellation (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_account_id  uuid NOT NULL UNIQUE REFERENCES user_account(id),
  kind             text NOT NULL CHECK (kind IN ('forced', 'self', 'automatic')),
  reason           text NOT NULL CHECK (reason IN ('deceased', 'dissolved', 'false_materials', 'user_request', 'new_car_no_preselection', 'new_car_not_registered')),
  note             text NOT NULL DEFAULT '',
  staff_id         uuid REFERENCES staff_member(id),
  authority_id     text REFERENCES authority(id),
  at               timestamptz NOT NULL,
  CHECK ((kind = 'forced') = (staff_id IS NOT NULL)),
  CHECK (kind <> 'forced' OR reason IN ('deceased', 'dissolved', 'false_materials')),
  CHECK (kind <> 'self' OR reason = 'user_request'),
  CHECK (kind <> 'automatic' OR reason IN ('new_car_no_preselection', 'new_car_not_registered'))
);

-- R-18: a certificate photo uploaded online, reviewed by 管理岗 within one working day.
CREATE TABLE certificate_photo_submission (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_account_id  uuid NOT NULL REFERENCES user_account(id),
  licence_id       uuid NOT NULL REFERENCES driving_licence(id),
  upload_id        uuid NOT NULL REFERENCES upload(id),
  authority_id     text NOT NULL REFERENCES authority(id),
  status           text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected')),
  submitted_at     timestamptz NOT NULL,
  due_at           timestamptz NOT NULL,
  reviewed_by      uuid REFERENCES staff_member(id),
  reviewed_at      timestamptz,
  reject_reason    text,
  CHECK (status = 'submitted' OR (reviewed_by IS NOT NULL AND reviewed_at IS NOT NULL)),
  CHECK (status <> 'rejected' OR reject_reason IS NOT NULL)
);
CREATE UNIQUE INDEX certificate_photo_one_open ON certificate_photo_submission (licence_id) WHERE status = 'submitted';
CREATE INDEX certificate_photo_queue_idx ON certificate_photo_submission (authority_id, status, due_at);

-- R-17: vehicle / licence events recorded by staff; each unbinds automatically.
CREATE TABLE records_event (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind          text NOT NULL CHECK (kind IN ('vehicle_transfer', 'vehicle_deregistration', 'vehicle_operating_to_non_operating', 'licence_cancellation')),
  vehicle_id    uuid REFERENCES vehicle(id),
  licence_id    uuid REFERENCES driving_licence(id),
  detail        jsonb NOT NULL DEFAULT '{}',
  unbound       integer NOT NULL DEFAULT 0 CHECK (unbound >= 0),
  recorded_by   uuid REFERENCES staff_member(id),
  authority_id  text NOT NULL REFERENCES authority(id),
  at            timestamptz NOT NULL,
  CHECK ((kind = 'licence_cancellation') = (licence_id IS NOT NULL AND vehicle_id IS NULL)),
  CHECK (kind = 'licence_cancellation' OR vehicle_id IS NOT NULL)
);
CREATE INDEX records_event_at_idx ON records_event (authority_id, at DESC);
