-- Issue 17, access and personal data (ADR-024).
--
-- 审计员 (auditor): reads the audit log and holds no business post, so that
-- whoever checks the log is not someone whose work it records (GB/T 22239
-- level 3, separation of duties).
ALTER TABLE staff_member DROP CONSTRAINT staff_member_roles_check;
ALTER TABLE staff_member
  ADD CONSTRAINT staff_member_roles_check
    CHECK (roles <@ ARRAY['intake', 'review', 'archive', 'station_operator', 'dealer', 'system_admin', 'auditor']::text[] AND cardinality(roles) > 0),
  ADD CONSTRAINT staff_member_auditor_holds_no_post
    CHECK (NOT (roles @> ARRAY['auditor']::text[] AND roles && ARRAY['intake', 'review', 'archive', 'station_operator', 'dealer']::text[]));

-- Who saw a citizen's full ID number, phone, e-mail or postal address, and why:
-- one row per reveal (staff lists and exports show these masked). The citizen
-- reads it as "who viewed my data" — the staff member's post and city, never
-- the name; the audit log has the same event with the actor. Append-only.
CREATE TABLE personal_data_access (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at               timestamptz NOT NULL,
  -- whose data: any of these that is known (the citizen sees rows matching her account, her person or her organisation)
  user_account_id  uuid REFERENCES user_account(id),
  person_id        uuid REFERENCES person(id),
  organisation_id  uuid REFERENCES organisation(id),
  -- who: the member, the posts held at that moment and the city
  staff_member_id  uuid NOT NULL REFERENCES staff_member(id),
  staff_roles      text[] NOT NULL CHECK (cardinality(staff_roles) > 0),
  authority_id     text NOT NULL REFERENCES authority(id),
  -- what and why
  resource         text NOT NULL CHECK (resource ~ '^[a-z][a-z-]{1,60}$'),
  record_id        text NOT NULL CHECK (length(record_id) BETWEEN 1 AND 100),
  field            text NOT NULL CHECK (field ~ '^[A-Za-z][A-Za-z.]{0,60}$'),
  data_kind        text NOT NULL CHECK (data_kind IN ('id_number', 'phone', 'email', 'postal_address')),
  reason           text NOT NULL CHECK (char_length(reason) BETWEEN 2 AND 200),
  request_id       text
);
CREATE INDEX personal_data_access_account_idx ON personal_data_access (user_account_id, at DESC) WHERE user_account_id IS NOT NULL;
CREATE INDEX personal_data_access_person_idx ON personal_data_access (person_id, at DESC) WHERE person_id IS NOT NULL;
CREATE INDEX personal_data_access_organisation_idx ON personal_data_access (organisation_id, at DESC) WHERE organisation_id IS NOT NULL;

CREATE FUNCTION personal_data_access_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'personal_data_access is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER personal_data_access_no_update BEFORE UPDATE OR DELETE ON personal_data_access
  FOR EACH ROW EXECUTE FUNCTION personal_data_access_is_append_only();
CREATE TRIGGER personal_data_access_no_truncate BEFORE TRUNCATE ON personal_data_access
  FOR EACH STATEMENT EXECUTE FUNCTION personal_data_access_is_append_only();

