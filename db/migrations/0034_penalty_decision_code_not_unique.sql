-- A penalty decision's verification code (12 characters of 34, about 60 random bits) is
-- checked together with the decision's number: violations.verifyDecision finds the decision
-- by its number, then compares the code. Nothing looks a decision up by its code alone.
--
-- The code was UNIQUE across all decisions, so a code drawn a second time failed the
-- citizen's confirmation with a 500 (ADR-041). The number makes a decision unique;
-- the code only has to be hard to guess for it.
ALTER TABLE penalty_decision DROP CONSTRAINT penalty_decision_verification_code_key;
