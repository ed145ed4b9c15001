-- Driving-test booking by rank (第四章第四节, X-4.4.1 – X-4.4.9, PD-13;
-- ADR-032, ADR-033).
--
-- Exam stations publish plans (subject, class, date, session, seats) at least
-- ten days ahead; applications are collected until the plan's cut-off (the
-- 5th day before the exam, or the 3rd when seats are left) and then allocated
-- in ONE batch per plan by the rank key of X-4.4.8, ties broken by the
-- application id. The batch is a durable job; the allocation row per plan
-- (primary key = plan) makes a second batch impossible, with two processes or
-- after a kill (the job's transaction rolls back whole).

-- 考试场: an exam station of a city's traffic police.
CREATE TABLE exam_station (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL,
  authority_id  text NOT NULL REFERENCES authority(id),
  address       text NOT NULL,
  phone         text,
  -- X-4.4.2: whether 科目二 and 科目三 may be booked together in this locality
  subjects_2_and_3_together boolean NOT NULL DEFAULT false,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- The exam-station operator's station (0015 introduced the role).
ALTER TABLE staff_member ADD COLUMN exam_station_id uuid REFERENCES exam_station(id);

-- 学习驾驶证明: the learner permit of one person for one class. Issued after an
-- accepted first application (学员) or to a driver adding a class (X-4.4.1).
-- Valid three years (X-4.4.4); `valid_until` is the last valid day.
CREATE TABLE learner_permit (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id               uuid NOT NULL REFERENCES person(id),
  kind                    text NOT NULL CHECK (kind IN ('first_licence', 'add_class')),
  licence_application_id  uuid REFERENCES licence_application(id),
  licence_id              uuid REFERENCES driving_licence(id),
  class                   text NOT NULL CHECK (class IN ('A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'D', 'E', 'F')),
  -- X-4.4.3: a large class's 科目三 wait is 30 days instead of 40 for one already holding an automobile class
  holds_automobile_class  boolean NOT NULL DEFAULT false,
  authority_id            text NOT NULL REFERENCES authority(id),
  issued_on               date NOT NULL,
  valid_until             date NOT NULL,
  -- the time the application was accepted: the first rank key (X-4.4.8)
  accepted_at             timestamptz NOT NULL,
  subject1_passed_on      date,
  subject2_passed_on      date,
  subject3_passed_on      date,
  -- X-4.4.4: sittings of 科目二 / 科目三 (at most five each)
  sittings2               integer NOT NULL DEFAULT 0 CHECK (sittings2 BETWEEN 0 AND 5),
  sittings3               integer NOT NULL DEFAULT 0 CHECK (sittings3 BETWEEN 0 AND 5),
  -- X-4.4.8: the events a later rank key is built from
  last_exam_at            timestamptz,
  last_cancelled_at       timestamptz,
  last_no_show_at         timestamptz,
  -- X-4.4.5: a failed (or skipped) free retake ends the sitting; the subject is re-booked only from this day
  rebook2_from            date,
  rebook3_from            date,
  -- X-4.4.9: the chosen exam location and how often it changed
  exam_station_id         uuid REFERENCES exam_station(id),
  location_changes        integer NOT NULL DEFAULT 0 CHECK (location_changes BETWEEN 0 AND 3),
  status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'void', 'completed')),
  void_reason             text,
  updated_at              timestamptz NOT NULL,
  CHECK ((kind = 'first_licence') = (licence_application_id IS NOT NULL)),
  CHECK ((kind = 'add_class') = (licence_id IS NOT NULL)),
  CHECK (valid_until > issued_on),
  CHECK ((status = 'void') = (void_reason IS NOT NULL))
);
CREATE UNIQUE INDEX learner_permit_one_active ON learner_permit (person_id, class) WHERE status = 'active';

-- 考试计划: published by the exam station (X-4.4.7). `closes_at`: the end of
-- collection (00:00 of the 5th day before, moved to 00:00 of the 3rd day
-- before when seats were left then); `extended` records that move.
CREATE TABLE exam_plan (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id    uuid NOT NULL REFERENCES exam_station(id),
  authority_id  text NOT NULL REFERENCES authority(id),
  subject       smallint NOT NULL CHECK (subject IN (1, 2, 3)),
  classes       text[] NOT NULL CHECK (cardinality(classes) > 0),
  exam_date     date NOT NULL,
  session       text NOT NULL CHECK (session IN ('am', 'pm')),
  seats         integer NOT NULL CHECK (seats BETWEEN 1 AND 10000),
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'allocated', 'cancelled')),
  closes_at     timestamptz NOT NULL,
  extended      boolean NOT NULL DEFAULT false,
  published_at  timestamptz NOT NULL,
  published_by  uuid REFERENCES staff_member(id),
  -- X-4.4.7: published at least ten days ahead
  CONSTRAINT exam_plan_published_ten_days_ahead CHECK (exam_date >= (published_at AT TIME ZONE 'Asia/Shanghai')::date + 10),
  UNIQUE (station_id, subject, exam_date, session)
);
CREATE INDEX exam_plan_open_idx ON exam_plan (status, exam_date);

-- An application for one plan. status: applied (collecting) → allocated |
-- not_allocated (the batch); applied | allocated → cancelled; allocated →
-- passed | failed | absent (results). `rank_key_at` / `rank_key_kind`: the
-- X-4.4.8 key when applied (moved by a later cancellation or no-show of the
-- same permit while still collecting). `rank` is set by the batch.
CREATE TABLE exam_application (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference        text NOT NULL UNIQUE,
  plan_id          uuid NOT NULL REFERENCES exam_plan(id),
  permit_id        uuid NOT NULL REFERENCES learner_permit(id),
  user_account_id  uuid REFERENCES user_account(id),
  subject          smallint NOT NULL CHECK (subject IN (1, 2, 3)),
  status           text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'allocated', 'not_allocated', 'cancelled', 'passed', 'failed', 'absent')),
  rank_key_at      timestamptz NOT NULL,
  rank_key_kind    text NOT NULL CHECK (rank_key_kind IN ('accepted', 'last_exam', 'cancelled', 'no_show')),
  applied_at       timestamptz NOT NULL,
  rank             integer CHECK (rank > 0),
  decided_at       timestamptz,
  cancelled_at     timestamptz,
  cancelled_via    text CHECK (cancelled_via IN ('online', 'counter')),
  cancelled_by     uuid REFERENCES staff_member(id),
  first_outcome    text CHECK (first_outcome IN ('pass', 'fail', 'absent')),
  retake_outcome   text CHECK (retake_outcome IN ('pass', 'fail', 'skipped')),
  result_at        timestamptz,
  result_by        uuid REFERENCES staff_member(id),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  CHECK (status NOT IN ('passed', 'failed', 'absent') OR result_at IS NOT NULL)
);
-- one open application per permit and subject
CREATE UNIQUE INDEX exam_application_one_open ON exam_application (permit_id, subject) WHERE status IN ('applied', 'allocated');
-- the rank page: applications before mine in the plan's order
CREATE INDEX exam_application_rank_idx ON exam_application (plan_id, rank_key_at, id) WHERE status = 'applied';
CREATE INDEX exam_application_plan_idx ON exam_application (plan_id, rank);
CREATE INDEX exam_application_user_idx ON exam_application (user_account_id, applied_at DESC);

-- The one batch of a plan (ADR-033): its primary key is the plan, so a plan is
-- allocated once, whichever process or rerun gets there first. `digest`:
-- sha256 of the ranked list (rank, application id, outcome), reproducible
-- from the ledger.
CREATE TABLE exam_allocation (
  plan_id       uuid PRIMARY KEY REFERENCES exam_plan(id),
  allocated_at  timestamptz NOT NULL,
  applicants    integer NOT NULL CHECK (applicants >= 0),
  seats         integer NOT NULL,
  allocated     integer NOT NULL CHECK (allocated >= 0 AND allocated <= seats AND allocated <= applicants),
  digest        text NOT NULL,
  job_id        bigint
);
