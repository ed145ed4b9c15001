import type { CodesOf } from '../../core/errors.ts';
import { defineMessages } from '../../core/catalog.ts';
import { vehicleStateName } from '../../core/vehicle-states.ts';

/** Error texts of the replacements module (zh-CN first, en). */
export const messages = defineMessages({
  //
  'replacements.personal_only': { status: 403, 'zh-CN': '单位用户不能通过互联网办理补、换领业务', en: 'Organisation users cannot replace plates, licences or stickers online',
    next: { 'zh-CN': '请到车管所窗口办理。', en: 'Please go to a counter.' } },
  'replacements.counter_registered_only': { status: 403, 'zh-CN': '补、换领业务仅限窗口注册的个人用户办理，请携带身份证明到窗口办理注册', en: 'Only users registered in person at a counter can use replacement services; register at a counter first' },
  'replacements.barred': { status: 403, 'zh-CN': '因曾拒收或逾期未领取补换领的证件，一年内不能通过互联网办理补、换领业务', en: 'Because a replacement was refused or not collected, you cannot use online replacement services for one year',
    detail: (p, l) => l === 'zh-CN'
      ? `${p.endsOn}起可再次通过互联网办理补、换领号牌、行驶证、检验合格标志和驾驶证业务；在此之前请到窗口办理。`
      : `Online replacement of plates, vehicle licences, stickers and driving licences is possible again from ${p.endsOn}; until then, please go to a counter.` },
  //
  'replacements.vehicle_not_found': { status: 404, 'zh-CN': '未找到该车辆', en: 'Vehicle not found' },
  'replacements.vehicle_not_own': { status: 422, 'zh-CN': '只能为绑定的本人机动车办理补、换领业务', en: 'Only your own bound vehicles can be handled',
    next: { 'zh-CN': '请由机动车所有人登录本人账号办理。', en: 'The vehicle’s owner can apply from their own account.' } },
  'replacements.vehicle_not_registered': { status: 422, 'zh-CN': '该车辆尚未注册登记，没有可补换领的号牌和行驶证', en: 'This vehicle is not registered yet, so there is nothing to replace',
    next: { 'zh-CN': '请先办理注册登记。', en: 'Register the vehicle first.' } },
  'replacements.vehicle_state_blocked': { status: 422, 'zh-CN': '机动车当前状态不能办理补、换领业务', en: 'The vehicle’s status does not allow a replacement',
    detail: (p, l) => l === 'zh-CN'
      ? `机动车处于“${vehicleStateName(String(p.state), l)}”状态，不能办理补、换领业务。请先到登记地公安机关交通管理部门处理。`
      : `The vehicle’s status is “${vehicleStateName(String(p.state), l)}”, so nothing can be replaced for it. Settle this with the traffic-management office of its registration city first.` },
  'replacements.no_certificate_photo': { status: 422, 'zh-CN': '系统中没有该车的行驶证证件专用电子照片，不能网上补换领行驶证，请到窗口办理', en: 'No certificate photo is on record for this vehicle, so its vehicle licence cannot be replaced online; please go to a counter' },
  'replacements.plate_kind_not_online': { status: 422, 'zh-CN': '该号牌种类不能通过互联网补、换领，请到窗口办理', en: 'This plate kind cannot be replaced online; please go to a counter' },
  'replacements.application_open': { status: 409, 'zh-CN': '该车辆的这项补换领业务正在办理中', en: 'A replacement of this item for this vehicle is already in progress',
    next: { 'zh-CN': '请等待该业务办结；如需修改，可在受理前取消后重新申请。', en: 'Wait until it is finished; to change it, cancel it before it is accepted and apply again.' } },
  //
  'replacements.post_not_allowed': { status: 422, 'zh-CN': '同一辆机动车非首次补、换领号牌，不能选择邮寄，请选择到窗口自取', en: 'Plates replaced for this vehicle before cannot be sent by post; choose pickup' },
  'replacements.temp_plate_only_with_plate': { status: 422, 'zh-CN': '只有补、换领号牌时可以同时申领临时号牌', en: 'A temporary plate can only be ordered with replacement plates' },
  'replacements.insurance_certificate_required': { status: 422, 'zh-CN': '补、换领检验合格标志须上传机动车交通事故责任强制保险凭证', en: 'Upload the compulsory-insurance certificate to replace an inspection sticker' },
  'replacements.insurance_check_failed': { status: 422, 'zh-CN': '交强险凭证未通过全部核查项，请不予受理并说明原因', en: 'The insurance certificate did not pass every check; reject the application with the reason',
    detail: (p, l) => {
      const names = String(p.failed).split(',').map((k) => insuranceCheckNames[k]?.[l] ?? k);
      return l === 'zh-CN' ? `未确认：${names.join('、')}` : `Not confirmed: ${names.join(', ')}`;
    } },
  // staff steps
  'replacements.not_found': { status: 404, 'zh-CN': '补换领业务不存在', en: 'Replacement application not found' },
  'replacements.wrong_status': { status: 409, 'zh-CN': '业务当前状态不能进行该操作', en: 'The application is not in a state that allows this step',
    next: { 'zh-CN': '请刷新页面查看业务进度；如有疑问，请联系受理的车管所。', en: 'Reload the page to see its progress; if you have questions, contact the office handling it.' } },
  'replacements.old_item_required': { status: 422, 'zh-CN': '换领业务须在送达或领取时收回损毁的号牌或行驶证', en: 'For an exchange the damaged plate or licence must be handed over at delivery or pickup' },
  'replacements.pickup_not_overdue': { status: 422, 'zh-CN': '尚未超过一个月的领取期限', en: 'The one-month pickup period has not ended yet',
    detail: (p, l) => (l === 'zh-CN' ? `领取期限至${p.lastDay}` : `The pickup period runs until ${p.lastDay}`) },
  'replacements.post_not_dispatched': { status: 409, 'zh-CN': '邮件尚未交寄，暂不能登记投递结果', en: 'The item has not been handed to the post yet' },
  'replacements.archive_first': { status: 422, 'zh-CN': '业务尚未归档，应办理退办', en: 'The case was not archived: withdraw it instead' },
  'replacements.already_archived': { status: 422, 'zh-CN': '业务已归档，应办理恢复牌证证芯编号', en: 'The case is archived: restore the certificate-core number instead' },
  'replacements.nothing_to_destroy': { status: 409, 'zh-CN': '没有待销毁的收回证件', en: 'There is no returned item waiting to be destroyed' },
  'replacements.temp_plate_no_required': { status: 400, 'zh-CN': '用户申领了临时号牌，请填写临时号牌号码', en: 'The applicant ordered a temporary plate: enter its number' },
  'replacements.city_not_found': { status: 404, 'zh-CN': '不能设置该地市', en: 'City not found' },
});

const insuranceCheckNames: Record<string, { 'zh-CN': string; en: string }> = {
  clear: { 'zh-CN': '清晰可辨', en: 'clear' },
  complete: { 'zh-CN': '内容完整', en: 'complete' },
  unaltered: { 'zh-CN': '无涂改', en: 'unaltered' },
  valid: { 'zh-CN': '有效', en: 'valid' },
  matchesVehicle: { 'zh-CN': '与车辆信息一致', en: 'matches the vehicle' },
};

/**
 * SMS texts of this module (zh-CN, as the authorities send them), keyed by
 * outbox template. platform/outbox.ts renders only its own templates today:
 * until these are merged into its table, /dev/inbox shows the template name
 * and payload.
 */
export const smsTemplates: Record<string, (p: Record<string, unknown>) => string> = {
  'replacements.submitted': (p) => `【交管12123】您的补换领申请（业务流水号${p.reference}）已提交，受理岗将于${p.acceptBy}前受理。`,
  'replacements.accepted': (p) => `【交管12123】您的补换领申请（业务流水号${p.reference}）已受理，正在制作。`,
  'replacements.rejected': (p) => `【交管12123】您的补换领申请（业务流水号${p.reference}）未予受理，原因：${p.reason}。`,
  'replacements.sent': (p) => `【交管12123】您补换领的${p.itemName}已交邮寄递（业务流水号${p.reference}）。${p.handOver ? '签收时请将损毁的证件交给邮政工作人员。' : ''}拒收将一年内不能网上办理补换领业务。`,
  'replacements.ready_for_pickup': (p) =>
    `【交管12123】您补换领的${p.itemName}已制作完成（业务流水号${p.reference}），请于${p.lastDay}前到${p.authorityName}领取${p.handOver ? '，并交回损毁的证件' : ''}。逾期未领取的，一年内不能网上办理补换领业务。`,
  'replacements.barred': (p) => `【交管12123】因补换领的证件${p.reason === 'refused' ? '被拒收' : '逾期未领取'}（业务流水号${p.reference}），${p.endsOn}前您不能通过互联网办理补换领业务。`,
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
