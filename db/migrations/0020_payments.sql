-- Payments through a payment provider (issue 21 "Payment", X-5.5, X-5.7, X-5.8,
-- PD-10; docs/decisions/035-payments.md). Money is integer fen everywhere:
-- bigint columns with CHECKs, never a decimal or a float.
--
-- A business module (violations: fines with their late fee) opens an order for
-- a payable (`payable_kind`, `payable_ref`) in its own transaction; the
-- provider's signed asynchronous notification, or the query job when no
-- notification comes, records the payment. Exactly-once is the database's
-- work: one open order per payable, one paid order per payable, one ledger
-- payment per order and per provider trade number, one refund per order.

CREATE SEQUENCE payment_order_no_seq;

-- One order = one out_trade_no at the provider. Lifecycle:
--   open → paid (notification or query: TRADE_SUCCESS / TRADE_FINISHED, amount and app id match)
--   open → closed (expired and the provider says unpaid; or replaced by a new order of another amount)
--   open | closed → refund_pending (paid at the provider while another order of the same payable
--                   is already paid: the money goes back) → refunded
--   paid → refund_pending (staff refund, with a reason) → refunded
CREATE TABLE payment_order (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  out_trade_no        text NOT NULL UNIQUE CHECK (out_trade_no ~ '^[A-Z0-9]{8,64}$'),
  payable_kind        text NOT NULL CHECK (payable_kind ~ '^[a-z][a-z0-9_]{1,40}$'),
  payable_ref         text NOT NULL CHECK (length(payable_ref) BETWEEN 1 AND 100),
  amount_fen          bigint NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 100000000),
  -- what the amount is made of (e.g. fine + late fee); the parts add up to the amount
  breakdown           jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(breakdown) = 'array'),
  subject             text NOT NULL CHECK (length(subject) BETWEEN 1 AND 128),
  owner_user_id       uuid NOT NULL REFERENCES user_account(id),
  authority_id        text REFERENCES authority(id),
  settled_job         text NOT NULL CHECK (settled_job ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'),
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'closed', 'refund_pending', 'refunded')),
  provider            text NOT NULL CHECK (provider IN ('alipay')),
  provider_trade_no   text UNIQUE,
  created_at          timestamptz NOT NULL,
  expires_at          timestamptz NOT NULL,
  paid_at             timestamptz,                       -- the provider's payment time
  settled_by          text CHECK (settled_by IN ('notification', 'query')),
  closed_at           timestamptz,
  refund_reason       text CHECK (length(refund_reason) BETWEEN 1 AND 200),
  refund_requested_by uuid REFERENCES staff_member(id),
  refund_requested_at timestamptz,
  refunded_at         timestamptz,
  CHECK (expires_at > created_at),
  CHECK ((status IN ('paid', 'refund_pending', 'refunded')) = (paid_at IS NOT NULL AND provider_trade_no IS NOT NULL)),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL) OR status IN ('refund_pending', 'refunded')),
  CHECK ((status IN ('refund_pending', 'refunded')) = (refund_reason IS NOT NULL)),
  CHECK ((status = 'refunded') = (refunded_at IS NOT NULL))
);
-- two tabs, two devices: one open order per payable, so both pay the same out_trade_no
CREATE UNIQUE INDEX payment_order_one_open_per_payable ON payment_order (payable_kind, payable_ref) WHERE status = 'open';
-- a payable is paid once; a second payment (an old order paid late) is refunded
CREATE UNIQUE INDEX payment_order_one_paid_per_payable ON payment_order (payable_kind, payable_ref) WHERE status = 'paid';
CREATE INDEX payment_order_owner_idx ON payment_order (owner_user_id, created_at DESC);
CREATE INDEX payment_order_payable_idx ON payment_order (payable_kind, payable_ref, created_at DESC);

-- The platform ledger: money in (payment) and out (refund), one row each per order.
CREATE TABLE payment_ledger_entry (
  id                  bigserial PRIMARY KEY,
  order_id            uuid NOT NULL REFERENCES payment_order(id),
  kind                text NOT NULL CHECK (kind IN ('payment', 'refund')),
  amount_fen          bigint NOT NULL CHECK (amount_fen > 0),
  out_trade_no        text NOT NULL,
  provider_trade_no   text NOT NULL,
  occurred_at         timestamptz NOT NULL,             -- the provider's time
  business_day        date NOT NULL,                     -- occurred_at's day in Asia/Shanghai: the statement's day
  recorded_at         timestamptz NOT NULL,
  source              text NOT NULL CHECK (source IN ('notification', 'query', 'refund')),
  CONSTRAINT payment_ledger_one_per_order UNIQUE (order_id, kind),
  CONSTRAINT payment_ledger_one_per_trade UNIQUE (provider_trade_no, kind)
);
CREATE INDEX payment_ledger_day_idx ON payment_ledger_entry (business_day);

-- Notifications refused: bad signature, another app id, unknown order, amount
-- differs, unknown trade status. Kept for staff (管理岗) and audited.
CREATE TABLE payment_notification_rejected (
  id                  bigserial PRIMARY KEY,
  received_at         timestamptz NOT NULL,
  reason              text NOT NULL CHECK (reason IN ('bad_signature', 'app_id_mismatch', 'unknown_order', 'amount_mismatch', 'bad_status', 'malformed')),
  out_trade_no        text,
  provider_trade_no   text,
  params              jsonb NOT NULL,
  ip                  text NOT NULL DEFAULT ''
);
CREATE INDEX payment_notification_rejected_at_idx ON payment_notification_rejected (received_at DESC);

-- Daily reconciliation: platform ledger vs provider statement for one business day.
CREATE TABLE payment_statement_line (
  id                  bigserial PRIMARY KEY,
  business_day        date NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('payment', 'refund')),
  out_trade_no        text NOT NULL,
  provider_trade_no   text NOT NULL,
  amount_fen          bigint NOT NULL CHECK (amount_fen > 0),
  occurred_at         timestamptz NOT NULL,
  CONSTRAINT payment_statement_line_once UNIQUE (business_day, provider_trade_no, kind)
);

CREATE TABLE payment_reconciliation (
  business_day          date PRIMARY KEY,
  status                text NOT NULL CHECK (status IN ('balanced', 'mismatched')),
  ledger_count          integer NOT NULL CHECK (ledger_count >= 0),
  ledger_net_fen        bigint NOT NULL,                 -- payments − refunds
  statement_count       integer NOT NULL CHECK (statement_count >= 0),
  statement_net_fen     bigint NOT NULL,
  mismatch_count        integer NOT NULL CHECK (mismatch_count >= 0),
  ran_at                timestamptz NOT NULL,
  CHECK ((status = 'balanced') = (mismatch_count = 0 AND ledger_net_fen = statement_net_fen))
);

CREATE TABLE payment_reconciliation_mismatch (
  id                  bigserial PRIMARY KEY,
  business_day        date NOT NULL REFERENCES payment_reconciliation(business_day),
  kind                text NOT NULL CHECK (kind IN ('payment', 'refund')),
  problem             text NOT NULL CHECK (problem IN ('missing_in_ledger', 'missing_in_statement', 'amount_differs')),
  out_trade_no        text NOT NULL,
  provider_trade_no   text NOT NULL,
  ledger_amount_fen   bigint,
  statement_amount_fen bigint,
  resolved_at         timestamptz,
  resolved_by         uuid REFERENCES staff_member(id),
  resolution_note     text CHECK (length(resolution_note) BETWEEN 1 AND 500),
  CONSTRAINT payment_mismatch_once UNIQUE (business_day, provider_trade_no, kind),
  CHECK ((resolved_at IS NULL) = (resolved_by IS NULL) AND (resolved_at IS NULL) = (resolution_note IS NULL))
);

-- DEVELOPMENT ONLY: the dev gateway that plays the provider (PAYMENT_PROVIDER=dev,
-- refused in production by env.ts). Its trades, as the provider would keep them.
CREATE TABLE dev_gateway_trade (
  out_trade_no        text PRIMARY KEY,
  trade_no            text NOT NULL UNIQUE,
  app_id              text NOT NULL,
  total_amount_fen    bigint NOT NULL CHECK (total_amount_fen > 0),
  subject             text NOT NULL,
  status              text NOT NULL CHECK (status IN ('WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_CLOSED')),
  notify_url          text NOT NULL,
  return_url          text NOT NULL,
  time_expire         timestamptz,
  created_at          timestamptz NOT NULL,
  paid_at             timestamptz,
  refund_fen          bigint NOT NULL DEFAULT 0 CHECK (refund_fen >= 0 AND refund_fen <= total_amount_fen),
  refunded_at         timestamptz
);
