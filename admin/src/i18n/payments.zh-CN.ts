/** 缴费与对账 (issue 21, ADR-035): the console's words for payment orders and the daily reconciliation. */
export const paymentsZhCN = {
  resources: { 'payment-orders': '缴费订单', 'payment-reconciliations': '每日对账', 'payment-rejected-notifications': '异常支付通知' },
  field: {
    status: '状态', q: '订单编号 / 交易号 / 款项', outTradeNo: '订单编号', providerTradeNo: '支付宝交易号', subject: '缴费事项', amount: '金额', payable: '款项',
    ledgerEntries: '记账笔数', settledBy: '确认方式', createdAt: '下单时间', paidAt: '支付时间', refundReason: '退款原因', businessDay: '对账日',
    ledgerNet: '平台账净额', statementNet: '渠道账单净额', mismatches: '差异笔数', unresolved: '未处理', ranAt: '对账时间', problem: '差异', ledgerAmount: '平台金额',
    statementAmount: '账单金额', resolutionNote: '处理说明', receivedAt: '收到时间', reason: '原因', ip: '来源地址',
  },
  status: { open: '待支付', paid: '已支付', closed: '已关闭', refund_pending: '退款中', refunded: '已退款' },
  reconciliation_status: { balanced: '平账', mismatched: '有差异' },
  problem: { missing_in_ledger: '平台未记账', missing_in_statement: '账单中没有', amount_differs: '金额不一致' },
  kind: { payment: '收款', refund: '退款' },
  reject_reason: { bad_signature: '签名无效（伪造或被篡改）', app_id_mismatch: '应用编号不符', unknown_order: '订单不存在', amount_mismatch: '金额不符', bad_status: '交易状态无效', malformed: '格式错误' },
  refund: '退款', refunded: '已提交退款，将原路退回', resolve: '记录处理结果', resolved: '已记录', run: '立即对账', run_title: '按日对账', reconciled: '对账完成',
  day_format: '请按 YYYY-MM-DD 填写日期', mismatches_title: '差异明细', no_mismatches: '没有差异：平台账与渠道账单一致。',
  confirm: { refund_title: '退还订单 %{reference} 的款项？', refund: '款项将通过支付宝原路退回缴款人，该笔缴费不再计为已缴：罚款恢复为未缴纳（处罚决定仍有效，滞纳金照常计算），网上处理的违法恢复为待缴款、已记分值撤回，并短信告知缴款人。此操作无法撤销。' },
};
