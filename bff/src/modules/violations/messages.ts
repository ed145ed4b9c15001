import type { CodesOf } from '../../core/errors.ts';
import { defineMessages } from '../../core/catalog.ts';

const licenceStateNames: Record<string, { 'zh-CN': string; en: string }> = {
  cancelled: { 'zh-CN': '注销', en: 'cancelled' },
  revoked: { 'zh-CN': '吊销', en: 'revoked' },
  detained: { 'zh-CN': '暂扣', en: 'detained' },
  seized: { 'zh-CN': '扣押', en: 'seized' },
};
const statusNames: Record<string, { 'zh-CN': string; en: string }> = {
  pending_review: { 'zh-CN': '待审核', en: 'awaiting review' },
  open: { 'zh-CN': '未处理', en: 'not handled' },
  objected: { 'zh-CN': '异议审核中', en: 'under objection' },
  handling: { 'zh-CN': '已生成决定书、待缴款', en: 'decided, awaiting payment' },
  handled: { 'zh-CN': '已处理', en: 'handled' },
  cleared: { 'zh-CN': '已消除', en: 'cleared' },
  rejected: { 'zh-CN': '已作废', en: 'void' },
};
const counter = { 'zh-CN': '请携带驾驶证和行驶证到违法行为发生地、机动车登记地或其他任一公安机关交通管理部门的违法处理窗口办理。', en: 'Take your driving licence and vehicle licence to a violation-handling counter of any traffic-management office (where it happened, where the vehicle is registered, or any other).' };

/** Error texts of the violations module (zh-CN first, en); each refusal says why and where to go. */
export const messages = defineMessages({
  // X-5.1, PD-6, PD-10
  'violations.personal_only': { status: 403, 'zh-CN': '单位用户不能通过互联网处理交通违法', en: 'Organisation users cannot handle traffic violations online',
    next: { 'zh-CN': '请由驾驶人登录本人账号处理，或到违法处理窗口办理。', en: 'The driver can handle them from their own account, or at a violation-handling counter.' } },
  'violations.licence_not_bound': { status: 422, 'zh-CN': '未绑定驾驶证，不能网上处理交通违法', en: 'No driving licence is bound to your account, so violations cannot be handled online',
    next: { 'zh-CN': '请先在“我的”中绑定本人驾驶证后再处理。', en: 'Bind your own driving licence under “My account” first.' } },
  'violations.licence_not_usable': { status: 422, 'zh-CN': '驾驶证当前状态不能网上处理交通违法', en: 'Your driving licence’s status does not allow online handling',
    detail: (p, l) => {
      const s = licenceStateNames[String(p.status)]?.[l] ?? String(p.status);
      return l === 'zh-CN' ? `驾驶证处于“${s}”状态。${counter['zh-CN']}` : `The licence is ${s}. ${counter.en}`;
    } },
  // X-5.2, X-5.3, X-5.4
  'violations.not_camera_recorded': { status: 422, 'zh-CN': '该违法不是交通技术监控设备记录的，不能网上处理', en: 'This violation was not recorded by a traffic camera, so it cannot be handled online', next: counter },
  'violations.fine_over_limit': { status: 422, 'zh-CN': '该违法罚款超过200元，须按一般程序到窗口处理', en: 'The fine of this violation is over 200 yuan: it is handled at a counter (general procedure)',
    detail: (p, l) => (l === 'zh-CN' ? `罚款${p.fine}元，网上处理限${p.limit}元以下（每条）。${counter['zh-CN']}` : `The fine is ${p.fine} yuan; online handling is limited to ${p.limit} yuan per record. ${counter.en}`) },
  'violations.points_would_reach_limit': { status: 422, 'zh-CN': '处理后驾驶证累计记分将达到12分，不能网上处理', en: 'After handling, your licence would reach 12 points, so this cannot be handled online',
    detail: (p, l) => (l === 'zh-CN'
      ? `当前记分（含待缴款决定书）${p.current}分，本次${p.adding}分，合计${p.total}分，达到${p.limit}分。${counter['zh-CN']}`
      : `Current points (including decisions awaiting payment) ${p.current}, this handling ${p.adding}, total ${p.total}: that reaches ${p.limit}. ${counter.en}`) },
  'violations.record_not_open': { status: 409, 'zh-CN': '该违法记录当前不能处理', en: 'This record cannot be handled now',
    detail: (p, l) => {
      const s = statusNames[String(p.status)]?.[l] ?? String(p.status);
      return l === 'zh-CN' ? `记录状态为“${s}”。请刷新页面查看最新状态。` : `Its status is “${s}”. Reload the page to see the latest status.`;
    } },
  'violations.batch_one_vehicle': { status: 422, 'zh-CN': '一次只能处理同一辆机动车的违法记录', en: 'One handling covers the records of one vehicle only',
    next: { 'zh-CN': '请按车辆分别处理。', en: 'Handle each vehicle’s records separately.' } },
  'violations.batch_empty': { status: 422, 'zh-CN': '请选择要处理的违法记录', en: 'Choose the records to handle',
    next: { 'zh-CN': '在列表中勾选可以网上处理的记录。', en: 'Tick the records that can be handled online in the list.' } },
  'violations.not_found': { status: 404, 'zh-CN': '未找到该违法记录', en: 'Violation record not found' },
  'violations.decision_not_found': { status: 404, 'zh-CN': '未找到该处罚决定书', en: 'Penalty decision not found',
    next: { 'zh-CN': '请核对决定书编号后重新输入。', en: 'Check the decision number and enter it again.' } },
  'violations.already_paid': { status: 409, 'zh-CN': '该处罚决定书的罚款已缴纳', en: 'The fine of this decision is already paid',
    next: { 'zh-CN': '可在“处罚决定书”中查看缴款记录。', en: 'See the payment under “Penalty decisions”.' } },
  'violations.payment_unavailable': { status: 503, 'zh-CN': '网上缴款暂不可用，请稍后再试', en: 'Online payment is not available right now; please try again later' },
  // X-5.11 objections
  'violations.objection_not_allowed': { status: 409, 'zh-CN': '该违法记录当前不能提出异议', en: 'No objection can be raised on this record now',
    detail: (p, l) => {
      const s = statusNames[String(p.status)]?.[l] ?? String(p.status);
      return l === 'zh-CN' ? `记录状态为“${s}”；已有异议审核中、已处理或已消除的记录不能再提出异议。如有疑问，请到违法行为发生地的违法处理窗口咨询。` : `Its status is “${s}”; records under objection, handled or cleared cannot be objected to. For questions, ask at a violation-handling counter where it happened.`;
    } },
  'violations.objection_not_found': { status: 404, 'zh-CN': '未找到该异议', en: 'Objection not found' },
  'violations.objection_decided': { status: 409, 'zh-CN': '该异议已审核', en: 'This objection has been decided already',
    next: { 'zh-CN': '请刷新页面查看审核结果。', en: 'Reload the page to see the decision.' } },
  // X-5.11 staff
  'violations.wrong_status': { status: 409, 'zh-CN': '记录当前状态不能进行该操作', en: 'The record is not in a state that allows this step',
    detail: (p, l) => {
      const s = statusNames[String(p.status)]?.[l] ?? String(p.status);
      return l === 'zh-CN' ? `记录状态为“${s}”。请刷新页面查看可进行的操作。` : `Its status is “${s}”. Reload the page to see the steps allowed.`;
    } },
  'violations.vehicle_unknown': { status: 422, 'zh-CN': '机动车登记信息中没有该号牌', en: 'No vehicle with this plate is on record',
    next: { 'zh-CN': '请核对号牌号码；外地号牌请转交登记地。', en: 'Check the plate number; for another province’s plate, pass the record to its registration office.' } },
  'violations.duplicate_record': { status: 409, 'zh-CN': '同一号牌、同一时间、同一违法行为的记录已录入', en: 'A record of this plate, time and act is already entered',
    next: { 'zh-CN': '请在列表中查找该记录。', en: 'Find that record in the list.' } },
  'violations.import_invalid': { status: 422, 'zh-CN': 'CSV 文件中有不能导入的行，未导入任何记录', en: 'Some rows of the CSV file cannot be imported; nothing was imported',
    detail: (p, l) => (l === 'zh-CN' ? `第${p.line}行“${p.column}”列：${p.problem}。请改正后重新导入。` : `Line ${p.line}, column “${p.column}”: ${p.problem}. Correct it and import again.`) },
  'violations.photo_not_found': { status: 404, 'zh-CN': '未找到该照片', en: 'Photo not found' },
});

/** SMS texts of this module (zh-CN, as the authorities send them), keyed by outbox template. */
export const smsTemplates: Record<string, (p: Record<string, unknown>) => string> = {
  'violations.confirm_code': (p) => `【交管12123】您正在网上处理交通违法（${p.plateNo}，罚款${p.fine}元，记${p.points}分），验证码为${p.code}，${p.minutes}分钟内有效。请勿告诉他人。`,
  'violations.notified': (p) => `【交管12123】您的机动车${p.plateNo}于${p.occurredAt}在${p.place}有交通技术监控记录的违法行为（${p.act}），请在30日内处理或提出异议。`,
  'violations.decision_served': (p) => `【交管12123】处罚决定书${p.decisionNo}已送达，罚款${p.fine}元，记${p.points}分。请于${p.lastFreeDay}前缴纳罚款，逾期每日按罚款数额的3%加处罚款；缴款成功后处理方为完成。`,
  'violations.fine_paid': (p) => `【交管12123】处罚决定书${p.decisionNo}的罚款${p.fine}元${Number(p.lateFee) > 0 ? `及加处罚款${p.lateFeeYuan}元` : ''}已缴纳，交通违法处理完成。`,
  'violations.fine_refunded': (p) => `【交管12123】处罚决定书${p.decisionNo}已缴纳的${p.refunded}元已退回原支付账户（${p.reason}）。该罚款现为未缴纳，处罚决定仍然有效，请于交管12123重新缴纳，今日应缴${p.due}元。`,
  'violations.objection_received': (p) => `【交管12123】您对违法记录${p.reference}提出的${p.kind === 'exemption' ? '消除申请' : '异议'}已受理，将于${p.dueDay}前完成审核。`,
  'violations.objection_decided': (p) => `【交管12123】您对违法记录${p.reference}提出的${p.kind === 'exemption' ? '消除申请' : '异议'}审核结果：${p.upheld ? '已采纳，记录已消除' : `未采纳（${p.note}），请在规定期限内处理`}。`,
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
