-- Staff refunds of a counted payment tell the owning module (issue 21, X-5.5,
-- X-5.7; docs/decisions/038-refunds-and-bills.md).
--
-- `refunded_job`: the job kind the payments module enqueues, in the
-- transaction that records the refund, when a payment that counted for the
-- payable goes back (payload { orderId, payableKind, payableRef, amountFen,
-- refundedAt, reason, payerUserId }); NULL: the payable has nothing to undo.
-- `refund_reverses_payment`: the refund takes back the payment that counted
-- (管理岗 refunding a paid order), not a second payment that never counted
-- (an old order paid late, refunded automatically).
ALTER TABLE payment_order
  ADD COLUMN refunded_job text CHECK (refunded_job ~ '^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$'),
  ADD COLUMN refund_reverses_payment boolean NOT NULL DEFAULT false;
