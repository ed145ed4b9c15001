import type { CodesOf } from '../../core/errors.ts';
import { defineMessages } from '../../core/catalog.ts';

/** Error texts of the payments module (zh-CN first, en). */
export const messages = defineMessages({
  'payments.bad_amount': { status: 422, 'zh-CN': '支付金额不正确', en: 'The amount to pay is not valid',
    next: { 'zh-CN': '请返回业务页面重新发起支付。', en: 'Go back to the service page and start the payment again.' } },
  'payments.order_expired': { status: 409, 'zh-CN': '支付订单已过期', en: 'The payment order has expired',
    next: { 'zh-CN': '请返回业务页面重新发起支付，金额按当天计算。', en: 'Go back to the service page and start the payment again; the amount is worked out for today.' } },
  'payments.order_busy': { status: 409, 'zh-CN': '该笔款项正在生成支付订单', en: 'A payment order for this is being opened right now',
    next: { 'zh-CN': '请稍后刷新页面再试。', en: 'Refresh the page in a moment and try again.' } },
  'payments.order_not_found': { status: 404, 'zh-CN': '支付订单不存在', en: 'Payment order not found' },
  'payments.order_not_open': { status: 409, 'zh-CN': '该支付订单当前不能支付', en: 'This payment order cannot be paid now',
    detail: (p, l) => (l === 'zh-CN' ? `订单状态：${statusNames[String(p.status)]?.['zh-CN'] ?? p.status}` : `Order status: ${statusNames[String(p.status)]?.en ?? p.status}`),
    next: { 'zh-CN': '已支付的订单可查看电子回执；已关闭的订单请返回业务页面重新发起支付。', en: 'A paid order has its receipt; for a closed order go back to the service page and start again.' } },
  'payments.provider_unavailable': { status: 503, 'zh-CN': '支付渠道暂时无法连接', en: 'The payment provider cannot be reached right now',
    next: { 'zh-CN': '请稍后再试，未完成的支付不会扣款。', en: 'Try again shortly; nothing is charged for an unfinished payment.' } },
  'payments.not_refundable': { status: 409, 'zh-CN': '该订单不能退款', en: 'This order cannot be refunded',
    detail: (p, l) => (l === 'zh-CN' ? `订单状态：${statusNames[String(p.status)]?.['zh-CN'] ?? p.status}` : `Order status: ${statusNames[String(p.status)]?.en ?? p.status}`),
    next: { 'zh-CN': '只有已支付的订单可以退款。', en: 'Only a paid order can be refunded.' } },
  'payments.notifications_limited': { status: 429, 'zh-CN': '该地址发送的无效支付通知过多，暂不受理', en: 'Too many refused payment notifications from this address; not taken for now',
    detail: (p, l) => (l === 'zh-CN' ? `请于${p.minutes}分钟后重新发送。` : `Send it again in ${p.minutes} minutes.`) },
  'payments.mismatch_not_found': { status: 404, 'zh-CN': '对账差异不存在', en: 'Reconciliation mismatch not found' },
  'payments.mismatch_resolved': { status: 409, 'zh-CN': '该对账差异已处理', en: 'This mismatch has already been resolved',
    next: { 'zh-CN': '刷新列表查看处理结果。', en: 'Refresh the list to see how it was resolved.' } },
  'payments.province_only': { status: 403, 'zh-CN': '支付对账由省级管理岗负责', en: 'Payment reconciliation is the province review post’s work',
    next: { 'zh-CN': '请联系省级管理岗处理。', en: 'Ask the province review post.' } },
  'payments.dev_gateway_disabled': { status: 404, 'zh-CN': '模拟支付网关未启用', en: 'The development payment gateway is not enabled' },
  'payments.dev_trade_not_found': { status: 404, 'zh-CN': '模拟支付交易不存在', en: 'Development gateway trade not found' },
});

export const statusNames: Record<string, { 'zh-CN': string; en: string }> = {
  open: { 'zh-CN': '待支付', en: 'awaiting payment' },
  paid: { 'zh-CN': '已支付', en: 'paid' },
  closed: { 'zh-CN': '已关闭', en: 'closed' },
  refund_pending: { 'zh-CN': '退款中', en: 'refund in progress' },
  refunded: { 'zh-CN': '已退款', en: 'refunded' },
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
