-- Issue 17: every staff member on two factors (GB/T 22239 level 3).
-- Enrolment is two steps: a new key waits in `totp_pending_key` until a code
-- from it confirms it. Re-enrolment keeps the current key working until then,
-- so starting one (which needs the current password and a current code) never
-- turns the second factor off. A member without an enabled key gets only an
-- enrolment session at sign-in (bff/src/http/auth.ts).
ALTER TABLE staff_member ADD COLUMN totp_pending_key bytea;

-- An enrolment started under the old one-column flow waits as a pending key.
UPDATE staff_member SET totp_pending_key = totp_key, totp_key = NULL, totp_last_step = NULL
WHERE NOT totp_enabled AND totp_key IS NOT NULL;

ALTER TABLE staff_member ADD CONSTRAINT staff_member_totp_enabled_has_key CHECK (NOT totp_enabled OR totp_key IS NOT NULL);
