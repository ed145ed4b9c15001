import { ReconciliationList, ReconciliationShow, RejectedList } from './ReconciliationViews.tsx';

/** 每日对账 (payment-reconciliations): ledger vs provider statement, mismatches for province 管理岗 (issue 21, ADR-035). */
export const paymentReconciliations = { list: ReconciliationList, show: ReconciliationShow, options: { label: 'payments.resources.payment-reconciliations' } };
/** 异常支付通知 (payment-rejected-notifications): forged or tampered notifications refused. */
export const paymentRejectedNotifications = { list: RejectedList, options: { label: 'payments.resources.payment-rejected-notifications' } };
