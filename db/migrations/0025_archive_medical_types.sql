-- Archives (X-6.1, issue 22): health certificates and medical institutions'
-- entrustments are archived as cases of their own (ADR-036, "Medical cases").
-- Retention defaults: a certificate 10 years (longer than any licence
-- service that relies on it is open); an entrustment 30 years, like the
-- dealer-style qualifications it mirrors (PD-12).
INSERT INTO archive_retention (business_type, years, note) VALUES
  ('medical_certificate',   10, '身体条件证明'),
  ('medical_qualification', 30, '医疗机构受委托资格')
ON CONFLICT (business_type) DO NOTHING;
