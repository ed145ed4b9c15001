-- Counter cancellation and counter unbinding (issue 18, R-16.2, R-19.1, R-20.1,
-- R-21.2 (二); docs/decisions/027-counter-cancel-and-unbind.md).
--
-- 受理岗 cancels an account, or ends one of its bindings, at the holder's own
-- request made in person: the holder's identity document (a unit: its agent's,
-- and the unit's code) is read against 人口信息库 before anything changes.
-- A counter cancellation is recorded by the staff member, for the user's request.

ALTER TABLE account_cancellation
  DROP CONSTRAINT account_cancellation_kind_check,
  DROP CONSTRAINT account_cancellation_check;
ALTER TABLE account_cancellation
  ADD CONSTRAINT account_cancellation_kind_check CHECK (kind IN ('forced', 'self', 'automatic', 'counter')),
  ADD CONSTRAINT account_cancellation_staff_kinds CHECK ((kind IN ('forced', 'counter')) = (staff_id IS NOT NULL)),
  ADD CONSTRAINT account_cancellation_counter_is_request CHECK (kind <> 'counter' OR reason = 'user_request');

-- One row per counter act, under its reference number (the confirmation the
-- holder takes away). The identity document read is the one that was checked.
CREATE TABLE account_counter_action (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference        text NOT NULL UNIQUE,
  kind             text NOT NULL CHECK (kind IN ('cancel', 'unbind_vehicle', 'unbind_licence')),
  user_account_id  uuid NOT NULL REFERENCES user_account(id),
  vehicle_id       uuid REFERENCES vehicle(id),
  licence_id       uuid REFERENCES driving_licence(id),
  id_type          text NOT NULL,
  id_number        text NOT NULL,
  person_id        uuid NOT NULL REFERENCES person(id),   -- the holder, or the unit's agent
  note             text NOT NULL DEFAULT '',
  staff_id         uuid NOT NULL REFERENCES staff_member(id),
  authority_id     text NOT NULL REFERENCES authority(id),
  at               timestamptz NOT NULL,
  CONSTRAINT account_counter_action_vehicle CHECK ((kind = 'unbind_vehicle') = (vehicle_id IS NOT NULL)),
  CONSTRAINT account_counter_action_licence CHECK ((kind = 'unbind_licence') = (licence_id IS NOT NULL))
);
CREATE INDEX account_counter_action_user_idx ON account_counter_action (user_account_id, at DESC);
-- An account is cancelled once, so it has at most one counter cancellation.
CREATE UNIQUE INDEX account_counter_action_one_cancel ON account_counter_action (user_account_id) WHERE kind = 'cancel';
