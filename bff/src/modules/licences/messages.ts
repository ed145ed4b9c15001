import type { CodesOf } from '../../core/errors.ts';
import { defineMessages } from '../../core/catalog.ts';
import { licenceStateName } from './licence-states.ts';

const zh = (l: string) => l === 'zh-CN';

/** Error texts of the licences module (zh-CN first, en); every refusal says what to do next. */
export const messages = defineMessages({
  //
  'licences.personal_only': { status: 403, 'zh-CN': '单位用户不能通过互联网办理驾驶证业务', en: 'Organisation users cannot use driving-licence services online',
    next: { 'zh-CN': '请驾驶人本人登录个人账号办理，或到车管所窗口办理。', en: 'The driver can apply from their own personal account, or at a counter.' } },
  'licences.counter_registered_only': { status: 403, 'zh-CN': '驾驶证补换领和延期业务仅限窗口注册的个人用户办理', en: 'Only users registered in person at a counter can use driving-licence services online',
    next: { 'zh-CN': '请携带身份证明到车管所或交警大队开户窗口办理注册。', en: 'Register at a vehicle administration office or traffic-police counter with your ID first.' } },
  'licences.licence_not_found': { status: 404, 'zh-CN': '未找到该驾驶证', en: 'Driving licence not found' },
  'licences.licence_not_own': { status: 422, 'zh-CN': '只能为本人绑定的驾驶证办理', en: 'Only your own bound licence can be handled',
    next: { 'zh-CN': '请由驾驶人本人登录账号办理。', en: 'The licence holder can apply from their own account.' } },
  //
  'licences.state_blocked': { status: 422, 'zh-CN': '驾驶证当前状态不能办理该业务', en: 'The licence’s status does not allow this service',
    detail: (p, l) => zh(l)
      ? `驾驶证处于“${licenceStateName(String(p.state), l)}”状态，不能通过互联网办理。请到发证地车辆管理所窗口处理后再办理。`
      : `The licence’s status is “${licenceStateName(String(p.state), l)}”, so this cannot be done online. Settle it at a counter of the issuing office first.` },
  //
  'licences.renewal_too_early': { status: 422, 'zh-CN': '驾驶证有效期满前90日内才能申请期满换证', en: 'A renewal can be applied for within 90 days before the licence expires',
    detail: (p, l) => zh(l) ? `驾驶证有效期至${p.validUntil}，${p.opensOn}起可申请。届时我们会短信提醒您。` : `The licence is valid until ${p.validUntil}; you can apply from ${p.opensOn}.` },
  'licences.renewal_counter_only': { status: 422, 'zh-CN': '驾驶证逾期超过11个月，不能网上换证', en: 'The licence expired more than 11 months ago, so it cannot be renewed online',
    detail: (p, l) => zh(l) ? `驾驶证有效期至${p.validUntil}。请于${p.counterUntil}前到核发地车辆管理所窗口办理，逾期超过一年将被注销。` : `The licence was valid until ${p.validUntil}. Renew it at a counter of the issuing office by ${p.counterUntil}; after a year it is cancelled.` },
  'licences.renewal_overdue_cancelled': { status: 422, 'zh-CN': '驾驶证超过有效期一年以上未换证，已被注销', en: 'The licence expired more than a year ago without renewal and is cancelled',
    detail: (p, l) => zh(l)
      ? `驾驶证有效期至${p.validUntil}，${p.cancelledOn}起注销。${p.restoreUntil}前可到车辆管理所申请恢复：考试科目一合格后恢复驾驶资格。`
      : `The licence was valid until ${p.validUntil} and is cancelled from ${p.cancelledOn}. Until ${p.restoreUntil} you can have it restored at a vehicle administration office by passing the theory test (subject 1).` },
  //
  'licences.age_renewal_not_due': { status: 422, 'zh-CN': '您的准驾车型无需因年龄换证', en: 'Your licence classes need no change because of age',
    detail: (p, l) => zh(l)
      ? `您${p.age}周岁，准驾车型${p.classes}。年满60周岁持大型车型、年满70周岁持普通三轮或二轮摩托车的，才需办理超龄换证。`
      : `You are ${p.age} and hold ${p.classes}. Only holders of large classes from 60, and of motorcycle classes D/E from 70, change them.` },
  //
  'licences.health_certificate_required': { status: 422, 'zh-CN': '没有有效的身体条件证明', en: 'There is no valid health certificate',
    next: { 'zh-CN': '请到联网的医疗机构体检，由医院上传《机动车驾驶人身体条件证明》（六个月内有效）后再申请。', en: 'Have a medical examination at a networked hospital; once it uploads the health certificate (valid six months), apply again.' } },
  //
  'licences.no_certificate_photo': { status: 422, 'zh-CN': '系统中没有您的驾驶证证件专用电子照片', en: 'No certificate photo of you is on record',
    next: { 'zh-CN': '请先在“账户—证件照片”上传照片，审核通过（一个工作日内）后再申请。', en: 'Upload one under Account → Certificate photo first; once it is approved (within one working day) apply again.' } },
  //
  'licences.declaration_required': { status: 422, 'zh-CN': '请先阅读并确认申告事项', en: 'Read and confirm the declaration first',
    next: { 'zh-CN': '如有申告事项所列情形，不能网上办理，请到车管所窗口办理。', en: 'If any of the listed conditions applies to you, apply at a counter instead.' } },
  //
  'licences.onsite_only': { status: 422, 'zh-CN': '该驾驶证近一年内补换领次数较多，须到窗口现场办理', en: 'This licence was replaced several times within a year; it must be handled in person',
    detail: (p, l) => zh(l) ? `近一年内已申请补换领${p.count}次。请本人携带身份证明到车辆管理所窗口办理。` : `It was replaced ${p.count} times within the past year. Please come to a counter in person with your ID.` },
  'licences.application_open': { status: 409, 'zh-CN': '该驾驶证已有正在办理的补换领业务', en: 'An application for this licence is already in progress',
    next: { 'zh-CN': '请等待该业务办结；受理前可以取消后重新申请。', en: 'Wait until it is finished; before it is accepted you can cancel it and apply again.' } },
  // staff steps
  'licences.not_found': { status: 404, 'zh-CN': '驾驶证业务不存在', en: 'Application not found' },
  'licences.wrong_status': { status: 409, 'zh-CN': '业务当前状态不能进行该操作', en: 'The application is not in a state that allows this step',
    next: { 'zh-CN': '请刷新页面查看业务进度。', en: 'Reload the page to see its progress.' } },
  'licences.old_licence_required': { status: 422, 'zh-CN': '换证须在送达或领取时收回原驾驶证', en: 'For an exchange the old licence must be handed in at delivery or pickup',
    next: { 'zh-CN': '收回原驾驶证后勾选“已收回原证”再登记。', en: 'Take in the old licence, tick “old licence handed in” and record again.' } },
  'licences.pickup_not_overdue': { status: 422, 'zh-CN': '尚未超过一个月的领取期限', en: 'The one-month pickup period has not ended yet',
    detail: (p, l) => (zh(l) ? `领取期限至${p.lastDay}，期满后再登记逾期未领取。` : `The pickup period runs until ${p.lastDay}; record it as not collected after that.`) },
  'licences.post_not_dispatched': { status: 409, 'zh-CN': '邮件尚未交寄，暂不能登记投递结果', en: 'The licence has not been handed to the post yet',
    next: { 'zh-CN': '请先办理交寄。', en: 'Hand it to the post first.' } },
  'licences.archive_first': { status: 422, 'zh-CN': '业务尚未归档，应办理退办', en: 'The case was not archived: withdraw it instead',
    next: { 'zh-CN': '请使用“退办”。', en: 'Use “withdraw”.' } },
  'licences.already_archived': { status: 422, 'zh-CN': '业务已归档，应办理恢复证芯', en: 'The case is archived: restore the certificate core instead',
    next: { 'zh-CN': '请使用“恢复证芯”。', en: 'Use “restore core number”.' } },
  'licences.nothing_to_destroy': { status: 409, 'zh-CN': '没有待销毁的收回驾驶证', en: 'There is no returned licence waiting to be destroyed',
    next: { 'zh-CN': '请核对业务是否已收回原证。', en: 'Check whether the old licence was handed in.' } },
  //
  'licences.deferral_not_found': { status: 404, 'zh-CN': '延期业务不存在', en: 'Deferral not found' },
  'licences.deferral_expired': { status: 422, 'zh-CN': '期限已过，不能网上申请延期', en: 'The date has passed, so a deferral cannot be applied for online',
    detail: (p, l) => (zh(l) ? `期限为${p.endDate}。请在期满后一年内到车辆管理所窗口申请。` : `The date was ${p.endDate}. Apply at a counter within a year after it.`) },
  'licences.deferral_too_late': { status: 422, 'zh-CN': '网上申请延期须在期限届满一个月前提出', en: 'An online deferral must be applied for at least one month before the date',
    detail: (p, l) => (zh(l) ? `期限为${p.endDate}，网上申请的最后一天是${p.lastDay}。现在请到车辆管理所窗口申请。` : `The date is ${p.endDate}; the last day to apply online was ${p.lastDay}. Please apply at a counter now.`) },
  'licences.deferral_until_invalid': { status: 422, 'zh-CN': '延期后的日期须晚于原期限', en: 'The new date must be after the current one',
    detail: (p, l) => (zh(l) ? `原期限为${p.endDate}，请选择之后的日期。` : `The current date is ${p.endDate}; choose a later one.`) },
  'licences.deferral_too_long': { status: 422, 'zh-CN': '延期最长不超过三年', en: 'A deferral lasts at most three years',
    detail: (p, l) => (zh(l) ? `原期限为${p.endDate}，最晚可延至${p.maxUntil}。` : `The current date is ${p.endDate}; the latest possible is ${p.maxUntil}.`) },
  'licences.deferral_note_required': { status: 422, 'zh-CN': '选择“其他”原因时请填写具体原因', en: 'Describe the reason when you choose “other”',
    next: { 'zh-CN': '请在“原因说明”中写明延期的原因。', en: 'Write the reason in the note.' } },
  'licences.deferral_once': { status: 409, 'zh-CN': '本有效期内已申请过延期', en: 'A deferral was already applied for in this period',
    next: { 'zh-CN': '每个有效期只能延期一次，请在“延期”页面查看已申请的延期和回执。', en: 'A period can be deferred once, so see your deferral and its receipt on the deferrals page.' } },
  'licences.no_review_due': { status: 422, 'zh-CN': '您的驾驶证没有审验期限', en: 'Your licence has no review date',
    next: { 'zh-CN': '无需延期审验；如有疑问请咨询车辆管理所。', en: 'There is nothing to defer; ask the vehicle administration office if unsure.' } },
  'licences.no_health_obligation': { status: 422, 'zh-CN': '您目前无需提交身体条件证明', en: 'You have no health certificate to submit at present',
    next: { 'zh-CN': '年满70周岁或持残疾人专用车准驾车型（C5）的驾驶人才需定期提交。', en: 'Only holders aged 70 or over, or of the disability class C5, submit one periodically.' } },
  'licences.deferral_wrong_status': { status: 409, 'zh-CN': '延期申请当前状态不能进行该操作', en: 'The deferral is not in a state that allows this step',
    next: { 'zh-CN': '请刷新页面查看状态。', en: 'Reload the page to see its status.' } },
  'licences.receipt_not_found': { status: 404, 'zh-CN': '未找到与编号和验证码相符的延期回执', en: 'No deferral receipt matches this number and code' },
  //
  'licences.not_restorable': { status: 422, 'zh-CN': '驾驶证已超过有效期一年以上，不能通过提交身体条件证明恢复', en: 'The licence expired more than a year ago; a certificate no longer restores it',
    detail: (p, l) => (zh(l) ? `驾驶证有效期至${p.validUntil}，${p.until}前才能恢复。请到车辆管理所窗口咨询重新申领。` : `The licence was valid until ${p.validUntil}; restoration was possible until ${p.until}. Ask at a counter about applying anew.`) },
  'licences.nothing_to_restore': { status: 409, 'zh-CN': '该驾驶证没有因未提交身体条件证明而注销', en: 'This licence was not cancelled for a missing health certificate',
    next: { 'zh-CN': '无需恢复。', en: 'There is nothing to restore.' } },
  'licences.no_certificate_for_restore': { status: 422, 'zh-CN': '注销后还没有提交新的身体条件证明', en: 'No new health certificate has come since the cancellation',
    next: { 'zh-CN': '请到医疗机构体检由医院上传，或在本页上传体检报告后再恢复。', en: 'Have an examination (the hospital uploads it), or upload your report on this page, then restore.' } },
});

/** Reason names, for the receipt and SMS. */
export const deferralReasonNames: Record<string, { 'zh-CN': string; en: string }> = {
  military_service: { 'zh-CN': '服兵役', en: 'Military service' },
  abroad: { 'zh-CN': '出国（境）', en: 'Abroad' },
  other: { 'zh-CN': '其他', en: 'Other' },
};
export const deferralKindNames: Record<string, { 'zh-CN': string; en: string }> = {
  renewal: { 'zh-CN': '延期换证', en: 'Deferred renewal' },
  review: { 'zh-CN': '延期审验', en: 'Deferred review' },
  health_certificate: { 'zh-CN': '延期提交身体条件证明', en: 'Deferred health certificate' },
};
export const kindNames: Record<string, { 'zh-CN': string; en: string }> = {
  renewal: { 'zh-CN': '期满换证', en: 'Renewal on expiry' },
  age_renewal: { 'zh-CN': '超龄换证', en: 'Renewal on reaching an age' },
  damage_exchange: { 'zh-CN': '损毁换证', en: 'Exchange of a damaged licence' },
  loss_replacement: { 'zh-CN': '遗失补证', en: 'Replacement of a lost licence' },
};

/** SMS texts of this module (zh-CN, as the authorities send them), keyed by outbox template. */
export const smsTemplates: Record<string, (p: Record<string, unknown>) => string> = {
  'licences.submitted': (p) => `【交管12123】您的${p.kindName}申请（业务流水号${p.reference}）已提交，受理岗将于${p.acceptBy}前受理。`,
  'licences.accepted': (p) => `【交管12123】您的${p.kindName}申请（业务流水号${p.reference}）已受理，正在制证。`,
  'licences.rejected': (p) => `【交管12123】您的${p.kindName}申请（业务流水号${p.reference}）未予受理，原因：${p.reason}。`,
  'licences.sent': (p) => `【交管12123】您的驾驶证已交邮寄递（业务流水号${p.reference}）。${p.handOver ? '签收时请将原驾驶证交给邮政工作人员。' : ''}拒收将一年内不能网上办理补换领业务。`,
  'licences.ready_for_pickup': (p) => `【交管12123】您的驾驶证已制作完成（业务流水号${p.reference}），请于${p.lastDay}前到${p.authorityName}领取${p.handOver ? '，并交回原驾驶证' : ''}。逾期未领取的，一年内不能网上办理补换领业务。`,
  'licences.completed': (p) => `【交管12123】您的新驾驶证已${p.how === 'delivered' ? '送达' : '领取'}（业务流水号${p.reference}），有效期至${p.validUntil}。`,
  'licences.barred': (p) => `【交管12123】因驾驶证${p.reason === 'refused' ? '被拒收' : '逾期未领取'}（业务流水号${p.reference}），${p.endsOn}前您不能通过互联网办理补换领业务。`,
  'licences.deferral_submitted': (p) => `【交管12123】您的${p.kindName}申请（编号${p.reference}）已提交，受理岗将于${p.acceptBy}前受理。`,
  'licences.deferral_accepted': (p) => `【交管12123】您的${p.kindName}申请（编号${p.reference}）已受理，延期至${p.deferredUntil}。延期回执验证码${p.code}，可在网办进度中下载打印。延期期间不得驾驶机动车。`,
  'licences.deferral_rejected': (p) => `【交管12123】您的${p.kindName}申请（编号${p.reference}）未予受理，原因：${p.reason}。`,
  'licences.obligation_opened': (p) => `【交管12123】您的驾驶证记分周期已结束，请于${p.lastDay}前到医疗机构体检并提交身体条件证明。`,
  'licences.obligation_closing': (p) => `【交管12123】提醒：请于${p.lastDay}前提交身体条件证明。年满70周岁驾驶人记分周期结束后一年内仍未提交的，驾驶证将被注销。`,
  'licences.cancelled_no_certificate': (p) => `【交管12123】您的驾驶证（${p.licenceNo}）因记分周期结束后一年内未提交身体条件证明已被注销。驾驶证有效期内或超过有效期不满一年的，提交身体条件证明后可恢复。`,
  'licences.restored': (p) => `【交管12123】您提交的身体条件证明已收到，驾驶证（${p.licenceNo}）已恢复。`,
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
