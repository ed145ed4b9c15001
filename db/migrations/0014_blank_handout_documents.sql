-- R-33.2.1 (issue 18): when 受理岗 hands out blank temporary plates, the
-- collecting unit's 组织机构代码证, 委托书 and the collector's 身份证明 are
-- checked (complete, unaltered, valid). Their scans are uploaded by the
-- 受理岗 through the one upload store (ADR-021, kind `handout_document`) and
-- kept with the hand-out, one of each kind.
CREATE TABLE temp_plate_batch_document (
  batch_id   uuid NOT NULL REFERENCES temp_plate_batch(id),
  kind       text NOT NULL CHECK (kind IN ('organisation_code_certificate', 'letter_of_authorisation', 'collector_identity')),
  upload_id  uuid NOT NULL REFERENCES upload(id),
  PRIMARY KEY (batch_id, kind)
);
