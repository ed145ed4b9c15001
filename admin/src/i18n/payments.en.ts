import type { paymentsZhCN } from './payments.zh-CN.ts';

/** Payments and reconciliation (issue 21, ADR-035), English. */
export const paymentsEn: typeof paymentsZhCN = {
  resources: { 'payment-orders': 'Payment orders', 'payment-reconciliations': 'Daily reconciliation', 'payment-rejected-notifications': 'Refused payment notices' },
  field: {
    status: 'Status', q: 'Reference / trade no / payable', outTradeNo: 'Order reference', providerTradeNo: 'Alipay trade no', subject: 'For', amount: 'Amount', payable: 'Payable',
    ledgerEntries: 'Ledger entries', settledBy: 'Settled by', createdAt: 'Opened', paidAt: 'Paid', refundReason: 'Refund reason', businessDay: 'Business day',
    ledgerNet: 'Ledger net', statementNet: 'Statement net', mismatches: 'Mismatches', unresolved: 'Unresolved', ranAt: 'Reconciled at', problem: 'Problem', ledgerAmount: 'Ledger amount',
    statementAmount: 'Statement amount', resolutionNote: 'Resolution', receivedAt: 'Received', reason: 'Reason', ip: 'From',
  },
  status: { open: 'awaiting payment', paid: 'paid', closed: 'closed', refund_pending: 'refund in progress', refunded: 'refunded' },
  reconciliation_status: { balanced: 'balanced', mismatched: 'mismatched' },
  problem: { missing_in_ledger: 'not in the ledger', missing_in_statement: 'not in the statement', amount_differs: 'amounts differ' },
  kind: { payment: 'payment', refund: 'refund' },
  reject_reason: { bad_signature: 'invalid signature (forged or tampered)', app_id_mismatch: 'another app id', unknown_order: 'unknown order', amount_mismatch: 'amount differs', bad_status: 'invalid trade status', malformed: 'malformed' },
  refund: 'Refund', refunded: 'Refund sent; the money goes back the way it came', resolve: 'Record the resolution', resolved: 'Recorded', run: 'Reconcile now', run_title: 'Reconcile a day',
  reconciled: 'Reconciled', day_format: 'Write the date as YYYY-MM-DD', mismatches_title: 'Mismatches', no_mismatches: 'No mismatch: the ledger and the statement agree.',
  confirm: { refund_title: 'Refund order %{reference}?', refund: 'The money goes back to the payer through Alipay and this payment no longer counts as paid: a fine is unpaid again (the decision stands, the late fee keeps counting), records handled online wait for payment again and their points are withdrawn; the payer is told by SMS. This cannot be undone.' },
};
