import type { CodesOf } from '../../core/errors.ts';
import { defineMessages } from '../../core/catalog.ts';

/** Error texts of the medical-institutions module (X-4.3.1, X-4.3.4, PD-12), zh-CN first, en. */
export const messages = defineMessages({
  // the entrustment (PD-12, as R-31 … R-33 for dealers)
  'medical.not_medical_institution': { status: 403, 'zh-CN': '只有医疗机构可以申请受委托提交身体条件证明', en: 'Only medical institutions can be entrusted with health certificates' },
  'medical.not_bound_to_institution': { status: 403, 'zh-CN': '您的账号没有绑定医疗机构', en: 'Your account is not bound to a medical institution',
    next: { 'zh-CN': '请联系车辆管理所系统管理员绑定所属医疗机构。', en: 'Ask the office’s system administrator to bind your account to your institution.' } },
  'medical.organisation_dissolved': { status: 422, 'zh-CN': '该单位已注销', en: 'The organisation is dissolved',
    next: { 'zh-CN': '已注销的单位不能申请受委托资格。', en: 'A dissolved organisation cannot apply.' } },
  'medical.reapply_banned': { status: 422, 'zh-CN': '受委托资格被取消后一年内不得再次申请', en: 'An institution whose entrustment ended cannot apply again for one year',
    detail: (p, l) => (l === 'zh-CN' ? `${p.reapplyAfter}起可再次申请。` : `You can apply again from ${p.reapplyAfter}.`) },
  'medical.documents_incomplete': { status: 422, 'zh-CN': '申请资料不齐全', en: 'Documents are missing',
    detail: (p, l) => {
      const names = String(p.missing).split(',').map((k) => documentNames[k]?.[l] ?? k);
      return l === 'zh-CN' ? `缺少：${names.join('、')}。请补齐后重新提交。` : `Missing: ${names.join(', ')}. Add them and submit again.`;
    } },
  'medical.qualification_not_found': { status: 404, 'zh-CN': '受委托资格不存在', en: 'Entrustment not found' },
  'medical.wrong_status': { status: 409, 'zh-CN': '资格当前状态不能进行该操作', en: 'The entrustment is not in a state that allows this step',
    detail: (p, l) => (l === 'zh-CN' ? '当前状态：' : 'Current status: ') + (qualificationStatusNames[String(p.status)]?.[l] ?? String(p.status ?? '')) + (l === 'zh-CN' ? '。请刷新页面查看最新状态。' : '. Reload the page to see where it stands.') },
  'medical.no_pending_review': { status: 409, 'zh-CN': '没有待审核的申请', en: 'There is no review waiting',
    next: { 'zh-CN': '该申请可能已被其他审核员处理，请刷新页面。', en: 'Another reviewer may have decided it; reload the page.' } },
  'medical.renewal_window_closed': { status: 422, 'zh-CN': '续期审核只能在有效期满前一个月内申请', en: 'Renewal is possible only in the last month before the entrustment ends',
    detail: (p, l) => (l === 'zh-CN' ? `续期申请期间为${p.opensOn}至${p.closesOn}。` : `Renewal runs from ${p.opensOn} to ${p.closesOn}.`) },
  'medical.certificate_not_found': { status: 404, 'zh-CN': '身体条件证明记录不存在', en: 'Health certificate not found' },
  'medical.qualification_exists': { status: 409, 'zh-CN': '本机构已有有效或待审核的受委托资格', en: 'Your institution already has an entrustment, valid or pending',
    next: { 'zh-CN': '请在“受委托资格”页面查看其状态；有效期最后一个月内可申请续期。', en: 'See its status on the entrustment page; renew it in its last month.' } },
  'medical.review_pending': { status: 409, 'zh-CN': '已有待审核的申请', en: 'A review is already pending',
    next: { 'zh-CN': '请等待管理岗审核结果。', en: 'Wait for the review’s decision.' } },
  // health certificates
  'medical.issued_in_future': { status: 422, 'zh-CN': '体检日期不能晚于今天', en: 'The examination date cannot be in the future',
    detail: (p, l) => (l === 'zh-CN' ? `今天是${p.today}。请填写实际体检的日期。` : `Today is ${p.today}. Enter the day the examination took place.`) },
  'medical.certificate_expired': { status: 422, 'zh-CN': '该身体条件证明已超过六个月有效期', en: 'This health certificate is older than six months',
    detail: (p, l) => (l === 'zh-CN' ? `按体检日期，证明有效至${p.validUntil}前一日。请重新体检后提交。` : `By its examination date it was valid until the day before ${p.validUntil}. Have a new examination and submit that.`) },
  'medical.certificate_duplicate': { status: 409, 'zh-CN': '同一天的同一份身体条件证明已经提交过', en: 'This health certificate was already submitted',
    next: { 'zh-CN': '请在证明列表中查看已提交的记录，无需重复提交。', en: 'Find it in the list of certificates; there is no need to send it again.' } },
  'medical.institution_not_qualified': { status: 422, 'zh-CN': '本医疗机构当前没有有效的受委托资格，不能提交身体条件证明', en: 'Your institution holds no valid entrustment, so it cannot submit health certificates',
    detail: (p, l) => (l === 'zh-CN' ? '资格状态：' : 'Qualification status: ') + (qualificationStatusNames[String(p.status)]?.[l] ?? String(p.status))
      + (l === 'zh-CN' ? '。请向车辆管理所申请或续期受委托资格。' : '. Apply to the vehicle administration office for the entrustment, or renew it.') },
  'medical.person_not_found': { status: 404, 'zh-CN': '未找到该身份证明号码对应的驾驶人', en: 'No driver with this ID number' },
  'medical.licence_not_found': { status: 404, 'zh-CN': '该驾驶人名下没有这本驾驶证', en: 'This driver holds no such licence' },
  'medical.purpose_not_applicable': { status: 422, 'zh-CN': '该驾驶人不属于此类身体条件证明的提交对象', en: 'This driver is not one who submits this kind of certificate',
    detail: (p, l) => {
      const zh = l === 'zh-CN';
      if (p.reason === 'under_70') return zh ? `年满70周岁的驾驶人才需每年提交；该驾驶人${p.age}周岁。换证请选择“换领驾驶证”。` : `Only drivers aged 70 or over submit one yearly; this driver is ${p.age}. For a renewal choose “licence renewal”.`;
      if (p.reason === 'no_disability_class') return zh ? '只有准驾车型含残疾人专用小型自动挡载客汽车（C5）的驾驶人需每三年提交。请选择其他类别。' : 'Only holders of the class for disabled drivers’ automatic cars (C5) submit one every three years. Choose another kind.';
      return zh ? '该驾驶证状态不能使用身体条件证明。请核对驾驶证。' : 'The licence is in a state that cannot use a certificate. Check the licence.';
    } },
});

export const documentNames: Record<string, { 'zh-CN': string; en: string }> = {
  practice_licence: { 'zh-CN': '医疗机构执业许可证', en: 'practice licence of the medical institution' },
  organisation_code_certificate: { 'zh-CN': '统一社会信用代码证书', en: 'organisation code certificate' },
  letter_of_authorisation: { 'zh-CN': '委托书', en: 'letter of authorisation' },
  agent_identity: { 'zh-CN': '经办人身份证明', en: 'agent’s identity document' },
  health_authority_listing: { 'zh-CN': '卫生健康主管部门公布名单', en: 'the health authority’s published list' },
};

export const qualificationStatusNames: Record<string, { 'zh-CN': string; en: string }> = {
  none: { 'zh-CN': '未申请', en: 'not applied for' },
  pending: { 'zh-CN': '待审核', en: 'pending' },
  active: { 'zh-CN': '有效', en: 'active' },
  rejected: { 'zh-CN': '未通过', en: 'rejected' },
  revoked: { 'zh-CN': '因出具虚假证明已取消', en: 'revoked for false certificates' },
  lapsed: { 'zh-CN': '逾期未审核，已取消', en: 'lapsed' },
  expired: { 'zh-CN': '已过有效期', en: 'expired' },
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
