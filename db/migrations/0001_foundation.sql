-- Foundation: jurisdiction, the records our DB stands for (population registry,
-- vehicle and licence records, organisations), accounts and staff, sessions,
-- throttling, SMS codes, audit log, outbox, jobs, idempotency, working-day calendar.
-- Later chapters (licences services, exams, violations, archives) hang off
-- person / vehicle / driving_licence / user_account / authority.

-- 公安机关交通管理部门: province and city levels (R-3.1, decision 9)
CREATE TABLE authority (
  id            text PRIMARY KEY,               -- administrative division code, e.g. 440300
  name          text NOT NULL,
  level         text NOT NULL CHECK (level IN ('province', 'city')),
  parent_id     text REFERENCES authority(id),
  plate_prefix  text,                           -- 发牌机关代号, e.g. 粤B (cities only)
  CHECK ((level = 'province') = (parent_id IS NULL))
);

-- 人口信息库: population registry (R-12.1.2 reads ID cards against it)
CREATE TABLE person (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  id_type            text NOT NULL DEFAULT 'resident_id' CHECK (id_type IN ('resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id')),
  id_number          text NOT NULL,
  name               text NOT NULL,
  sex                text NOT NULL CHECK (sex IN ('M', 'F')),
  birth_date         date NOT NULL,
  address            text,
  phone              text,
  deceased           boolean NOT NULL DEFAULT false,
  has_photo          boolean NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id_type, id_number)
);

-- R-12.1.2 / decision 7: disqualifying conditions, versioned so article numbers can change
CREATE TABLE disqualification_kind (
  code          text PRIMARY KEY,               -- hit_and_run_crime, dui_serious_accident_crime, other_legal_bar
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  legal_basis   text NOT NULL                   -- e.g. 公安部令第162号 第十五条（三）
);
CREATE TABLE person_disqualification (
  person_id     uuid NOT NULL REFERENCES person(id),
  kind          text NOT NULL REFERENCES disqualification_kind(code),
  since         date NOT NULL,
  until         date,
  PRIMARY KEY (person_id, kind, since)
);

-- 单位: organisations (R-7.2, R-10)
CREATE TABLE organisation (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  uscc              text NOT NULL UNIQUE,       -- 统一社会信用代码, GB 32100
  name              text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('state_organ', 'enterprise', 'public_institution', 'social_group', 'other')),
  is_car_dealer     boolean NOT NULL DEFAULT false,
  is_medical_institution boolean NOT NULL DEFAULT false,
  address           text,
  postcode          text,
  legal_rep_name    text NOT NULL,
  legal_rep_phone   text NOT NULL,
  authority_id      text NOT NULL REFERENCES authority(id),
  dissolved         boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now()
);

-- Vehicle states named by the spec (decision 1): 扣留 withheld and 暂扣 detained stay distinct.
CREATE TABLE vehicle_state (
  code      text PRIMARY KEY,
  name_zh   text NOT NULL,
  name_en   text NOT NULL
);
INSERT INTO vehicle_state (code, name_zh, name_en) VALUES
  ('normal', '正常', 'Normal'),
  ('transferred_out', '转出', 'Transferred out'),
  ('stolen_robbed', '被盗抢', 'Stolen or robbed'),
  ('out_of_service', '停驶', 'Out of service'),
  ('deregistered', '注销', 'Deregistered'),
  ('suspect', '嫌疑车', 'Suspect vehicle'),
  ('withheld', '扣留', 'Withheld'),
  ('detained', '暂扣', 'Detained'),
  ('forcibly_deregistered', '强制注销', 'Forcibly deregistered'),
  ('hit_and_run', '事故逃逸', 'Hit and run'),
  ('locked', '锁定', 'Locked');

-- 机动车 records (the system of record we stand for)
CREATE TABLE vehicle (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vin                      text NOT NULL UNIQUE,
  plate_no                 text UNIQUE,          -- null while the vehicle still needs registration
  plate_kind               text NOT NULL CHECK (plate_kind IN ('small_blue', 'small_new_energy', 'large_yellow', 'large_new_energy', 'trailer', 'motorcycle', 'temporary')),
  vehicle_type             text NOT NULL,        -- GA 802 type code, e.g. K33 (small car)
  brand_model              text NOT NULL,
  use_nature               text NOT NULL DEFAULT 'non_operating' CHECK (use_nature IN ('operating', 'non_operating')),
  owner_person_id          uuid REFERENCES person(id),
  owner_organisation_id    uuid REFERENCES organisation(id),
  owner_phone              text NOT NULL,        -- R-11.2 compares against this
  registration_authority_id text NOT NULL REFERENCES authority(id),
  registered_on            date,
  inspection_valid_until   date,
  axle_load_kg             integer,
  brake_type               text CHECK (brake_type IN ('hydraulic', 'pneumatic', 'mixed')),
  states                   text[] NOT NULL DEFAULT '{normal}',
  has_certificate_photo    boolean NOT NULL DEFAULT true,
  created_at               timestamptz NOT NULL DEFAULT now(),
  CHECK ((owner_person_id IS NULL) <> (owner_organisation_id IS NULL))
);
CREATE INDEX vehicle_owner_person_idx ON vehicle (owner_person_id);
CREATE INDEX vehicle_owner_org_idx ON vehicle (owner_organisation_id);

-- 驾驶证 records; chapter 4 services hang off this
CREATE TABLE driving_licence (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  licence_no            text NOT NULL UNIQUE,    -- usually equals the holder's ID number
  person_id             uuid NOT NULL REFERENCES person(id),
  classes               text NOT NULL,           -- 准驾车型, e.g. C1 or A1A2
  first_issued_on       date NOT NULL,
  valid_from            date NOT NULL,
  valid_until           date NOT NULL,
  review_valid_until    date,                    -- 审验有效期止
  status                text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'full_points', 'overdue_review', 'overdue_renewal', 'seized', 'withheld', 'detained', 'revoked', 'cancelled', 'locked')),
  points                integer NOT NULL DEFAULT 0 CHECK (points >= 0),
  phone                 text NOT NULL,           -- R-11.2 compares against this
  issuing_authority_id  text NOT NULL REFERENCES authority(id),
  has_certificate_photo boolean NOT NULL DEFAULT true,
  created_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX driving_licence_person_idx ON driving_licence (person_id);

-- 互联网用户: personal and organisation accounts (R-7 .. R-21)
CREATE TABLE user_account (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind                  text NOT NULL CHECK (kind IN ('personal', 'organisation')),
  personal_type         text CHECK (personal_type IN ('owner_driver', 'learner', 'new_car_owner')),
  registration_channel  text NOT NULL CHECK (registration_channel IN ('online', 'counter')),
  person_id             uuid REFERENCES person(id),       -- the person; for organisations the agent
  organisation_id       uuid REFERENCES organisation(id),
  phone                 text NOT NULL,
  email                 text,
  postal_address        text,
  postcode              text,
  password_hash         text,
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'cancelled')),
  authority_id          text REFERENCES authority(id),    -- counter registrations and organisations are local (decision 9)
  created_at            timestamptz NOT NULL DEFAULT now(),
  cancelled_at          timestamptz,
  cancel_reason         text,
  CHECK ((kind = 'personal') = (personal_type IS NOT NULL)),
  CHECK (kind = 'personal' OR organisation_id IS NOT NULL),
  CHECK (kind = 'organisation' OR person_id IS NOT NULL)
);
-- one live personal account per person; one live account per phone
CREATE UNIQUE INDEX user_account_one_personal_per_person ON user_account (person_id) WHERE kind = 'personal' AND status <> 'cancelled';
CREATE UNIQUE INDEX user_account_one_per_phone ON user_account (phone) WHERE status <> 'cancelled';
CREATE UNIQUE INDEX user_account_one_per_organisation ON user_account (organisation_id) WHERE kind = 'organisation' AND status <> 'cancelled';

-- 绑定: a user's bound vehicles and licences (R-9.1.1, R-16.3, R-17)
CREATE TABLE vehicle_binding (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_account_id  uuid NOT NULL REFERENCES user_account(id),
  vehicle_id       uuid NOT NULL REFERENCES vehicle(id),
  kind             text NOT NULL CHECK (kind IN ('own', 'non_own', 'organisation')),
  bound_at         timestamptz NOT NULL DEFAULT now(),
  unbound_at       timestamptz,
  unbind_reason    text
);
CREATE UNIQUE INDEX vehicle_binding_active ON vehicle_binding (user_account_id, vehicle_id) WHERE unbound_at IS NULL;
CREATE INDEX vehicle_binding_vehicle_idx ON vehicle_binding (vehicle_id) WHERE unbound_at IS NULL;

CREATE TABLE licence_binding (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_account_id  uuid NOT NULL REFERENCES user_account(id),
  licence_id       uuid NOT NULL REFERENCES driving_licence(id),
  kind             text NOT NULL CHECK (kind IN ('own', 'organisation')),  -- organisation: R-9.1.4
  bound_at         timestamptz NOT NULL DEFAULT now(),
  unbound_at       timestamptz,
  unbind_reason    text
);
CREATE UNIQUE INDEX licence_binding_active ON licence_binding (user_account_id, licence_id) WHERE unbound_at IS NULL;

-- 检验机构 (R-34 .. R-36)
CREATE TABLE inspection_station (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text NOT NULL,
  authority_id   text NOT NULL REFERENCES authority(id),
  address        text NOT NULL,
  latitude       numeric(9,6),
  longitude      numeric(9,6),
  phone          text,
  vehicle_types  text[] NOT NULL DEFAULT '{}',
  max_axle_load_kg integer,
  brake_types    text[] NOT NULL DEFAULT '{hydraulic}',
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'withdrawn')),
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Staff: posts (R-4) and jurisdiction (R-3.1)
CREATE TABLE staff_member (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username         text NOT NULL UNIQUE,
  display_name     text NOT NULL,
  password_hash    text NOT NULL,
  roles            text[] NOT NULL CHECK (roles <@ ARRAY['intake', 'review', 'archive', 'station_operator', 'dealer', 'system_admin']::text[] AND cardinality(roles) > 0),
  authority_id     text NOT NULL REFERENCES authority(id),
  station_id       uuid REFERENCES inspection_station(id),
  organisation_id  uuid REFERENCES organisation(id),
  totp_key         bytea,                         -- second factor (等保 level 3)
  totp_enabled     boolean NOT NULL DEFAULT false,
  totp_last_step   bigint,                        -- refuses reuse of a code within its step
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Sessions (lucia's published design): id = hex(sha256(token)); the token lives only in the cookie.
CREATE TABLE session (
  id                   text PRIMARY KEY,
  principal_kind       text NOT NULL CHECK (principal_kind IN ('user', 'staff')),
  principal_id         uuid NOT NULL,
  created_at           timestamptz NOT NULL,
  last_seen_at         timestamptz NOT NULL,
  idle_expires_at      timestamptz NOT NULL,
  absolute_expires_at  timestamptz NOT NULL,
  ip                   text,
  user_agent           text
);
CREATE INDEX session_principal_idx ON session (principal_kind, principal_id);

-- Sign-in throttling per account and per IP, shared by every bff process
CREATE TABLE sign_in_throttle (
  bucket        text PRIMARY KEY,                -- e.g. 'user:13800138000', 'ip:127.0.0.1'
  failures      integer NOT NULL DEFAULT 0,
  window_start  timestamptz NOT NULL,
  locked_until  timestamptz
);

-- SMS one-time codes (hashed); sending goes through the outbox
CREATE TABLE sms_code (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  phone         text NOT NULL,
  purpose       text NOT NULL,
  code_hash     text NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  attempts      integer NOT NULL DEFAULT 0,
  consumed_at   timestamptz
);
CREATE INDEX sms_code_phone_idx ON sms_code (phone, purpose, created_at DESC);

-- Append-only audit log: who, when, what, before → after (non-negotiable 5)
CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at            timestamptz NOT NULL,
  actor_kind    text NOT NULL CHECK (actor_kind IN ('user', 'staff', 'system', 'anonymous')),
  actor_id      text,
  actor_label   text,                            -- masked
  authority_id  text REFERENCES authority(id),
  action        text NOT NULL,                   -- e.g. auth.sign_in, accounts.registration_approved
  entity_type   text NOT NULL,
  entity_id     text,
  before        jsonb,
  after         jsonb,
  request_id    text,
  ip            text
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_kind, actor_id, at DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Outbox: SMS, post and payment messages with delivery states
CREATE TABLE outbox_message (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel          text NOT NULL CHECK (channel IN ('sms', 'post', 'payment', 'email')),
  recipient        text NOT NULL,
  template         text NOT NULL,
  payload          jsonb NOT NULL DEFAULT '{}',
  authority_id     text REFERENCES authority(id),
  dedupe_key       text UNIQUE,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'refused', 'expired')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  provider         text,
  provider_ref     text,
  last_error       text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX outbox_due_idx ON outbox_message (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_recipient_idx ON outbox_message (channel, recipient, created_at DESC);

CREATE TABLE outbox_event (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id   uuid NOT NULL REFERENCES outbox_message(id),
  at           timestamptz NOT NULL,
  status       text NOT NULL,
  detail       text
);
CREATE INDEX outbox_event_message_idx ON outbox_event (message_id, at);

-- Durable jobs: a Postgres queue claimed with FOR UPDATE SKIP LOCKED (non-negotiable 6)
CREATE TABLE job (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind          text NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}',
  run_at        timestamptz NOT NULL,
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'failed', 'cancelled')),
  attempts      integer NOT NULL DEFAULT 0,
  max_attempts  integer NOT NULL DEFAULT 10,
  dedupe_key    text,
  last_error    text,
  created_at    timestamptz NOT NULL,
  finished_at   timestamptz
);
CREATE INDEX job_due_idx ON job (run_at) WHERE status = 'queued';
CREATE UNIQUE INDEX job_dedupe_idx ON job (kind, dedupe_key) WHERE dedupe_key IS NOT NULL AND status = 'queued';

-- Idempotency keys (Stripe's model), shared by every bff process
CREATE TABLE idempotency_key (
  principal        text NOT NULL,
  key              text NOT NULL,
  method           text NOT NULL,
  path             text NOT NULL,
  request_hash     text NOT NULL,
  status           text NOT NULL CHECK (status IN ('in_progress', 'done')),
  response_status  integer,
  response_body    text,
  response_type    text,
  created_at       timestamptz NOT NULL,
  locked_until     timestamptz NOT NULL,
  PRIMARY KEY (principal, key)
);

-- Working-day calendar: staff overrides on top of the chinese-days package (decision 2)
CREATE TABLE calendar_override (
  day          date PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('workday', 'holiday')),
  note         text NOT NULL DEFAULT '',
  updated_by   uuid REFERENCES staff_member(id),
  updated_at   timestamptz NOT NULL
);
-- years staff entered completely (the package has no data for them)
CREATE TABLE calendar_year (
  year         integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  entered_by   uuid REFERENCES staff_member(id),
  entered_at   timestamptz NOT NULL
);

-- Development-only clock offset, so e2e can move time for every bff process at once
CREATE TABLE dev_clock (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  offset_ms   bigint NOT NULL DEFAULT 0
);

-- Reference data
INSERT INTO disqualification_kind (code, name_zh, name_en, legal_basis) VALUES
  ('hit_and_run_crime', '造成交通事故后逃逸构成犯罪', 'Hit-and-run crime', '公安部令第162号 第十五条（三）'),
  ('dui_serious_accident_crime', '醉酒驾驶或饮酒驾驶发生重大交通事故构成犯罪', 'DUI causing a serious accident (crime)', '公安部令第162号 第十五条（四）'),
  ('other_legal_bar', '法律、行政法规规定的其他情形', 'Other legal bar', '公安部令第162号 第十五条（十三）');
