-- Chapters 4–6 bring two more kinds of outside operator, each bound to the
-- place they work for (as dealer → organisation, station_operator → station):
--   medical_operator — an entrusted medical institution's operator (X-4.3.1,
--                      PD-12), bound through staff_member.organisation_id;
--   exam_operator    — an exam station's operator (X-4.4.7), bound to the
--                      exam station by the exam module's migration.
-- Like the other outside operators they hold no department post, and the
-- auditor still holds none either.
ALTER TABLE staff_member DROP CONSTRAINT staff_member_roles_check;
ALTER TABLE staff_member DROP CONSTRAINT staff_member_auditor_holds_no_post;
ALTER TABLE staff_member
  ADD CONSTRAINT staff_member_roles_check
    CHECK (roles <@ ARRAY['intake', 'review', 'archive', 'station_operator', 'dealer', 'system_admin', 'auditor', 'medical_operator', 'exam_operator']::text[] AND cardinality(roles) > 0),
  ADD CONSTRAINT staff_member_auditor_holds_no_post
    CHECK (NOT (roles @> ARRAY['auditor']::text[] AND roles && ARRAY['intake', 'review', 'archive', 'station_operator', 'dealer', 'medical_operator', 'exam_operator']::text[])),
  ADD CONSTRAINT staff_member_medical_operator_has_organisation
    CHECK (NOT (roles @> ARRAY['medical_operator']::text[]) OR organisation_id IS NOT NULL);
