-- Exam seats and learner permits (issue 20 continued, X-4.4.1, X-4.4.3,
-- X-4.4.4, X-4.4.6, X-4.4.8; ADR-039).
--
-- 受理岗 issues the 学习驾驶证明 after an accepted first application: who
-- issued it, and at most one permit per first application (a second issue of
-- the same application is a 409, whichever process gets there second).
ALTER TABLE learner_permit ADD COLUMN issued_by uuid REFERENCES staff_member(id);
CREATE UNIQUE INDEX learner_permit_one_per_application ON learner_permit (licence_application_id) WHERE licence_application_id IS NOT NULL;

-- A seat freed after the batch goes to the next waiting applicant by rank
-- (exams.reallocate job): the waiting applicants of a plan in rank order.
CREATE INDEX exam_application_waiting_idx ON exam_application (plan_id, rank, id) WHERE status = 'not_allocated';
