-- Archives (第六章, X-6; issue 22; ADR-036 electronic archive, ADR-037 paper files).
--
-- Electronic archive (X-6.1, X-6.3): one record per finished case, written by
-- bff/src/platform/archive.ts in the transaction that ends the case.
-- Append-only: a correction is a new version of the same case; the only change
-- a record accepts is its destruction at the end of its retention (content
-- dropped, a tombstone with its digests kept). Records are digest-chained per
-- city and business type: each record's digest covers the previous one's, so a
-- row changed behind the application's back shows on verification.

-- Retention per business type, in years (NULL = permanent). Defaults: ADR-036.
CREATE TABLE archive_retention (
  business_type  text PRIMARY KEY CHECK (business_type ~ '^[a-z][a-z0-9_]{1,60}$'),
  years          integer CHECK (years BETWEEN 1 AND 100),
  note           text NOT NULL DEFAULT '',
  updated_by     uuid REFERENCES staff_member(id),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO archive_retention (business_type, years, note) VALUES
  ('default',                 30, '未单列的业务'),
  ('account_registration',    NULL, '用户注册：随账户长期保存（X-6.3）'),
  ('account_change',          30, '用户变更'),
  ('account_binding',         10, '绑定 / 解绑'),
  ('plate_preselection',      10, '预选号牌'),
  ('plate_registration',      NULL, '号牌登记：随机动车档案长期保存'),
  ('replacement',             30, '补换领牌证'),
  ('temp_plate_stock',        10, '临时号牌号段 / 发放'),
  ('temp_plate_issuance',     10, '临时号牌核发'),
  ('inspection_booking',       3, '检验预约'),
  ('licence_service',         NULL, '驾驶证业务：随驾驶人档案长期保存'),
  ('exam',                    10, '考试'),
  ('violation',               10, '违法处理'),
  ('payment',                 10, '缴款');

-- The head of each chain (one per city and business type): locked FOR UPDATE while a record is appended.
CREATE TABLE archive_chain (
  chain        text PRIMARY KEY,
  seq          bigint NOT NULL CHECK (seq >= 0),
  head_digest  text NOT NULL CHECK (head_digest ~ '^[0-9a-f]{64}$')
);

-- Content-addressed files: a file archived twice (or by two cases) is one object.
CREATE TABLE archive_object (
  sha256        text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL CHECK (size_bytes >= 0),
  content       bytea,                            -- NULL once no kept record refers to it (destroyed)
  created_at    timestamptz NOT NULL,
  purged_at     timestamptz,
  CHECK ((content IS NULL) = (purged_at IS NOT NULL)),
  CHECK (content IS NULL OR octet_length(content) = size_bytes)
);

CREATE TABLE archive_record (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  business_type    text NOT NULL CHECK (business_type ~ '^[a-z][a-z0-9_]{1,60}$'),
  case_ref         text NOT NULL CHECK (length(case_ref) BETWEEN 1 AND 100),
  version          integer NOT NULL CHECK (version >= 1),
  authority_id     text NOT NULL REFERENCES authority(id),
  -- whose (X-6.3: stored per user account); search columns, emptied on destruction
  person_id        uuid REFERENCES person(id),
  organisation_id  uuid REFERENCES organisation(id),
  user_account_id  uuid REFERENCES user_account(id),
  plate_no         text,
  licence_no       text,
  finished_at      timestamptz NOT NULL,
  archived_at      timestamptz NOT NULL,
  retain_until     date,                          -- NULL = permanent
  -- the chain
  chain            text NOT NULL REFERENCES archive_chain(chain),
  chain_seq        bigint NOT NULL CHECK (chain_seq >= 1),
  prev_digest      text NOT NULL CHECK (prev_digest ~ '^[0-9a-f]{64}$'),
  content_digest   text NOT NULL CHECK (content_digest ~ '^[0-9a-f]{64}$'),
  digest           text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
  -- what: application data, review trail, messages, files (see platform/archive.ts)
  content          jsonb,
  status           text NOT NULL DEFAULT 'kept' CHECK (status IN ('kept', 'destroyed')),
  destroyed_at     timestamptz,
  CONSTRAINT archive_record_case_version UNIQUE (business_type, case_ref, version),
  CONSTRAINT archive_record_chain_seq UNIQUE (chain, chain_seq),
  CHECK ((status = 'kept') = (content IS NOT NULL)),
  CHECK ((status = 'destroyed') = (destroyed_at IS NOT NULL))
);
CREATE INDEX archive_record_authority_idx ON archive_record (authority_id, finished_at DESC);
CREATE INDEX archive_record_plate_idx ON archive_record (plate_no) WHERE plate_no IS NOT NULL;
CREATE INDEX archive_record_licence_idx ON archive_record (licence_no) WHERE licence_no IS NOT NULL;
CREATE INDEX archive_record_person_idx ON archive_record (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX archive_record_account_idx ON archive_record (user_account_id) WHERE user_account_id IS NOT NULL;
CREATE INDEX archive_record_retention_idx ON archive_record (retain_until) WHERE status = 'kept' AND retain_until IS NOT NULL;

CREATE TABLE archive_record_object (
  record_id   uuid NOT NULL REFERENCES archive_record(id),
  position    integer NOT NULL CHECK (position >= 0),
  sha256      text NOT NULL REFERENCES archive_object(sha256),
  upload_id   uuid,                               -- the upload it came from (the upload store may purge it later)
  purpose     text NOT NULL,
  file_name   text,
  PRIMARY KEY (record_id, position)
);
CREATE INDEX archive_record_object_sha_idx ON archive_record_object (sha256);

-- Append-only: no DELETE, and the only UPDATE is kept → destroyed with the content dropped.
CREATE FUNCTION archive_record_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = 'kept' AND NEW.status = 'destroyed' AND NEW.content IS NULL
     AND NEW.id = OLD.id AND NEW.business_type = OLD.business_type AND NEW.case_ref = OLD.case_ref AND NEW.version = OLD.version
     AND NEW.authority_id = OLD.authority_id AND NEW.finished_at = OLD.finished_at AND NEW.archived_at = OLD.archived_at
     AND NEW.chain = OLD.chain AND NEW.chain_seq = OLD.chain_seq AND NEW.prev_digest = OLD.prev_digest
     AND NEW.content_digest = OLD.content_digest AND NEW.digest = OLD.digest THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'archive_record is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER archive_record_append_only BEFORE UPDATE OR DELETE ON archive_record
  FOR EACH ROW EXECUTE FUNCTION archive_record_guard();
CREATE TRIGGER archive_record_no_truncate BEFORE TRUNCATE ON archive_record
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Destruction schedule: a durable job proposes the records past retention, 档案岗 approves (or keeps) each.
CREATE TABLE archive_destruction (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  record_id     uuid NOT NULL REFERENCES archive_record(id),
  authority_id  text NOT NULL REFERENCES authority(id),
  status        text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'kept')),
  proposed_at   timestamptz NOT NULL,
  decided_by    uuid REFERENCES staff_member(id),
  decided_at    timestamptz,
  note          text NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
  CHECK ((status = 'proposed') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX archive_destruction_one_open ON archive_destruction (record_id) WHERE status IN ('proposed', 'approved');
CREATE INDEX archive_destruction_queue_idx ON archive_destruction (authority_id, status, proposed_at);

-- Paper files (X-6.2, R-12.3, R-13.3): where each file is, who has it, since when.
CREATE SEQUENCE paper_file_no_seq;
CREATE TABLE paper_file (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  file_no             text NOT NULL CONSTRAINT paper_file_no_unique UNIQUE CHECK (file_no ~ '^[A-Z0-9-]{6,40}$'),
  authority_id        text NOT NULL REFERENCES authority(id),
  business_type       text NOT NULL CHECK (business_type ~ '^[a-z][a-z0-9_]{1,60}$'),
  case_ref            text NOT NULL CHECK (length(case_ref) BETWEEN 1 AND 100),
  archive_record_id   uuid REFERENCES archive_record(id),
  person_id           uuid REFERENCES person(id),
  organisation_id     uuid REFERENCES organisation(id),
  user_account_id     uuid REFERENCES user_account(id),
  plate_no            text,
  required_documents  text[] NOT NULL,
  checked_documents   text[] NOT NULL,
  bound               boolean NOT NULL DEFAULT false,
  status              text NOT NULL DEFAULT 'on_shelf' CHECK (status IN ('on_shelf', 'on_loan', 'in_transfer')),
  room                text NOT NULL CHECK (length(room) BETWEEN 1 AND 40),
  cabinet             text NOT NULL CHECK (length(cabinet) BETWEEN 1 AND 40),
  shelf               text NOT NULL CHECK (length(shelf) BETWEEN 1 AND 40),
  box                 text NOT NULL CHECK (length(box) BETWEEN 1 AND 40),
  checked_in_by       uuid REFERENCES staff_member(id),
  checked_in_at       timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  CONSTRAINT paper_file_one_per_case UNIQUE (business_type, case_ref),
  CONSTRAINT paper_file_checklist_complete CHECK (checked_documents @> required_documents)
);
CREATE INDEX paper_file_authority_idx ON paper_file (authority_id, checked_in_at DESC);
CREATE INDEX paper_file_person_idx ON paper_file (person_id) WHERE person_id IS NOT NULL;

-- One loan at a time per file (the database says so: two 档案岗 lending the same file → one wins).
CREATE TABLE paper_file_loan (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  paper_file_id    uuid NOT NULL REFERENCES paper_file(id),
  authority_id     text NOT NULL REFERENCES authority(id),
  borrower_id      uuid NOT NULL REFERENCES staff_member(id),
  reason           text NOT NULL CHECK (char_length(reason) BETWEEN 2 AND 200),
  lent_by          uuid NOT NULL REFERENCES staff_member(id),
  lent_at          timestamptz NOT NULL,
  due_back         timestamptz NOT NULL,
  returned_at      timestamptz,
  returned_to      uuid REFERENCES staff_member(id),
  CHECK (due_back > lent_at),
  CHECK ((returned_at IS NULL) = (returned_to IS NULL))
);
CREATE UNIQUE INDEX paper_file_loan_one_open ON paper_file_loan (paper_file_id) WHERE returned_at IS NULL;
CREATE INDEX paper_file_loan_due_idx ON paper_file_loan (authority_id, due_back) WHERE returned_at IS NULL;

-- Moves of a person's files between cities: the sending city's 档案岗 sends, the receiving city's confirms.
CREATE TABLE paper_file_transfer (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id           uuid REFERENCES person(id),
  from_authority_id   text NOT NULL REFERENCES authority(id),
  to_authority_id     text NOT NULL REFERENCES authority(id),
  status              text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'received', 'refused')),
  reason              text NOT NULL CHECK (char_length(reason) BETWEEN 2 AND 200),
  sent_by             uuid NOT NULL REFERENCES staff_member(id),
  sent_at             timestamptz NOT NULL,
  decided_by          uuid REFERENCES staff_member(id),
  decided_at          timestamptz,
  CHECK (from_authority_id <> to_authority_id),
  CHECK ((status = 'sent') = (decided_at IS NULL))
);
CREATE TABLE paper_file_transfer_item (
  transfer_id    uuid NOT NULL REFERENCES paper_file_transfer(id),
  paper_file_id  uuid NOT NULL REFERENCES paper_file(id),
  PRIMARY KEY (transfer_id, paper_file_id)
);

-- Every check-in, binding, move, loan, return, transfer and certificate
-- destruction / 恢复证芯 / 退办 (R-29.2): who, why, when, due back. Append-only.
CREATE TABLE paper_file_event (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  paper_file_id   uuid REFERENCES paper_file(id),
  authority_id    text NOT NULL REFERENCES authority(id),
  kind            text NOT NULL CHECK (kind IN ('checked_in', 'bound', 'moved', 'lent', 'returned', 'transfer_sent', 'transfer_received', 'transfer_refused',
                                                 'certificate_destroyed', 'core_restored', 'case_withdrawn')),
  at              timestamptz NOT NULL,
  staff_id        uuid NOT NULL REFERENCES staff_member(id),
  counterpart_id  uuid REFERENCES staff_member(id),   -- the borrower of a loan
  reason          text NOT NULL DEFAULT '',
  due_back        timestamptz,
  detail          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX paper_file_event_file_idx ON paper_file_event (paper_file_id, at, id);
CREATE TRIGGER paper_file_event_append_only BEFORE UPDATE OR DELETE ON paper_file_event
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- Returned certificates (plates, 行驶证, licences) and their fate (R-29.2.1–3): destroyed, or on refusal / non-collection
-- 恢复证芯编号 (the case was archived) or 退办 (it was not).
CREATE TABLE returned_certificate (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  authority_id    text NOT NULL REFERENCES authority(id),
  business_type   text NOT NULL CHECK (business_type ~ '^[a-z][a-z0-9_]{1,60}$'),
  case_ref        text NOT NULL CHECK (length(case_ref) BETWEEN 1 AND 100),
  certificate     text NOT NULL CHECK (certificate IN ('plate', 'vehicle_licence', 'driving_licence', 'inspection_sticker', 'temp_plate')),
  serial          text NOT NULL CHECK (length(serial) BETWEEN 1 AND 40),
  action          text NOT NULL CHECK (action IN ('destroyed', 'core_restored', 'case_withdrawn')),
  reason          text NOT NULL CHECK (char_length(reason) BETWEEN 2 AND 200),
  staff_id        uuid NOT NULL REFERENCES staff_member(id),
  at              timestamptz NOT NULL,
  CONSTRAINT returned_certificate_once UNIQUE (certificate, serial, case_ref)
);
CREATE INDEX returned_certificate_authority_idx ON returned_certificate (authority_id, at DESC);

-- A view of an archive record is logged in "who viewed my data" (ADR-024) as its own kind.
ALTER TABLE personal_data_access DROP CONSTRAINT personal_data_access_data_kind_check;
ALTER TABLE personal_data_access ADD CONSTRAINT personal_data_access_data_kind_check
  CHECK (data_kind IN ('id_number', 'phone', 'email', 'postal_address', 'archive_record'));

-- The destruction schedule's first run; the job then reschedules itself daily (ADR-036).
INSERT INTO job (kind, payload, run_at, dedupe_key, created_at) VALUES ('archives.propose_destructions', '{}', now(), 'daily', now());
