-- Entrusted medical institutions and health certificates (第四章第三节,
-- X-4.3.1, X-4.3.4, PD-12; ADR-031).
--
-- A medical institution qualifies exactly like a dealer for temporary plates
-- (PD-12, mirroring R-31 … R-33 and dealer_qualification of 0005): an
-- application with documents, 管理岗 review, a one-year term, a renewal
-- review only in the last month, revocation for false certificates, and a
-- one-year ban on applying again after a revocation or a lapse.
--
-- 身体条件证明 (health certificates) are kept here for every module that
-- reads them (the licences module: renewals X-4.1.7, the 70+ and disability
-- obligations X-4.3.2/X-4.3.3, citizens' own 体检 reports X-4.3.5). A
-- certificate is usable for six months from its issue day (X-4.3.4); one
-- issued under a qualification that was revoked for false certificates is
-- not accepted any more (X-4.3.1) — checked by join, so no certificate row
-- changes when a qualification is revoked.

-- 医疗机构委托资格 of one organisation (one admission; renewals extend it).
-- pending → active | rejected; active → revoked (false certificates) |
-- lapsed (not renewed in time). Revoked or lapsed → no new application
-- before `reapply_after` (PD-12).
CREATE TABLE medical_qualification (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id       uuid NOT NULL REFERENCES organisation(id),
  authority_id          text NOT NULL REFERENCES authority(id),
  status                text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'rejected', 'revoked', 'lapsed')),
  -- what 管理岗 records (as R-33.1.3 for dealers)
  organisation_name     text NOT NULL CHECK (length(organisation_name) BETWEEN 1 AND 100),
  organisation_code     text NOT NULL,                 -- USCC
  legal_rep_name        text NOT NULL,
  legal_rep_phone       text NOT NULL,
  practice_licence_no   text NOT NULL CHECK (length(practice_licence_no) BETWEEN 1 AND 60),   -- 医疗机构执业许可证登记号 (X-4.3.4: qualified by the health authority)
  valid_from            date,
  valid_until           date,                          -- last valid day (one year)
  applied_at            timestamptz NOT NULL,
  applied_by            uuid REFERENCES staff_member(id),
  decided_at            timestamptz,
  decided_by            uuid REFERENCES staff_member(id),
  decision_note         text NOT NULL DEFAULT '',
  ended_at              timestamptz,
  end_reason            text,
  reapply_after         date,
  updated_at            timestamptz NOT NULL,
  CHECK (status IN ('pending', 'rejected') OR (valid_from IS NOT NULL AND valid_until IS NOT NULL AND valid_until >= valid_from)),
  CHECK ((status IN ('revoked', 'lapsed')) = (reapply_after IS NOT NULL)),
  CHECK (status NOT IN ('revoked', 'lapsed', 'rejected') OR ended_at IS NOT NULL)
);
-- One live qualification per institution (as R-31.1).
CREATE UNIQUE INDEX medical_qualification_one_live ON medical_qualification (organisation_id) WHERE status IN ('pending', 'active');
CREATE INDEX medical_qualification_authority_idx ON medical_qualification (authority_id, status, valid_until);

-- Each review of a qualification: the first admission and every renewal.
-- `due_at`: the review's deadline (working days, PD-2), shown as the queue's SLA timer.
CREATE TABLE medical_qualification_review (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  qualification_id  uuid NOT NULL REFERENCES medical_qualification(id),
  kind              text NOT NULL CHECK (kind IN ('initial', 'renewal')),
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  submitted_at      timestamptz NOT NULL,
  submitted_by      uuid REFERENCES staff_member(id),
  due_at            timestamptz NOT NULL,
  decided_at        timestamptz,
  decided_by        uuid REFERENCES staff_member(id),
  note              text NOT NULL DEFAULT '',
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX medical_review_one_pending ON medical_qualification_review (qualification_id) WHERE status = 'pending';
CREATE INDEX medical_review_queue_idx ON medical_qualification_review (status, due_at);

-- The documents of a review (as R-31.2, adapted to a medical institution).
CREATE TABLE medical_qualification_document (
  review_id   uuid NOT NULL REFERENCES medical_qualification_review(id),
  kind        text NOT NULL CHECK (kind IN ('practice_licence', 'organisation_code_certificate', 'letter_of_authorisation', 'agent_identity', 'health_authority_listing')),
  upload_id   uuid NOT NULL REFERENCES upload(id),
  PRIMARY KEY (review_id, kind)
);

-- 身体条件证明: one certificate for one person. source 'institution' = sent by
-- an entrusted institution's operator under its qualification; 'self' = the
-- citizen's own 体检 report (X-4.3.5). valid_until is exclusive: the
-- certificate is usable on issued_on ≤ day < valid_until (X-4.3.4, six
-- calendar months, PD-2 month-end clamp).
CREATE SEQUENCE health_certificate_ref_seq;
CREATE TABLE health_certificate (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference               text NOT NULL UNIQUE DEFAULT ('TJ' || lpad(nextval('health_certificate_ref_seq')::text, 10, '0')),
  person_id               uuid NOT NULL REFERENCES person(id),
  licence_id              uuid REFERENCES driving_licence(id),
  issuer_organisation_id  uuid REFERENCES organisation(id),
  qualification_id        uuid REFERENCES medical_qualification(id),
  authority_id            text REFERENCES authority(id),
  source                  text NOT NULL CHECK (source IN ('institution', 'self')),
  purpose                 text NOT NULL CHECK (purpose IN ('renewal', 'age_70_yearly', 'disability_3y')),
  issued_on               date NOT NULL,
  valid_until             date NOT NULL,
  conclusion              text NOT NULL CHECK (conclusion IN ('fit', 'unfit')),
  status                  text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'void')),
  void_reason             text,
  upload_id               uuid REFERENCES upload(id),
  created_by_kind         text NOT NULL CHECK (created_by_kind IN ('user', 'staff', 'system', 'anonymous')),
  created_by              text,
  created_at              timestamptz NOT NULL,
  CONSTRAINT health_certificate_issuer CHECK ((source = 'institution') = (issuer_organisation_id IS NOT NULL AND qualification_id IS NOT NULL)),
  CONSTRAINT health_certificate_period CHECK (valid_until > issued_on),
  CHECK ((status = 'void') = (void_reason IS NOT NULL))
);
-- One certificate per person, purpose, issuer and issue day: a second send of the same 体检 is refused.
CREATE UNIQUE INDEX health_certificate_one_per_day ON health_certificate
  (person_id, purpose, issued_on, coalesce(issuer_organisation_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE status = 'valid';
CREATE INDEX health_certificate_person_idx ON health_certificate (person_id, issued_on DESC);
CREATE INDEX health_certificate_issuer_idx ON health_certificate (issuer_organisation_id, created_at DESC);
CREATE INDEX health_certificate_qualification_idx ON health_certificate (qualification_id);
