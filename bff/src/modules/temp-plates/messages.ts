import type { CodesOf } from '../../core/errors.ts';
import { defineMessages } from '../../core/catalog.ts';

/** Error texts of the temporary-plates module (zh-CN first, en). */
export const messages = defineMessages({
  //
  'temp_plates.not_a_dealer': { status: 403, 'zh-CN': '只有汽车销售商单位可以办理核发临时号牌业务', en: 'Only car dealers can issue temporary plates' },
  'temp_plates.organisation_dissolved': { status: 422, 'zh-CN': '该单位已注销', en: 'The organisation is dissolved' },
  'temp_plates.city_not_entrusted': { status: 422, 'zh-CN': '本地未委托汽车销售商核发临时号牌', en: 'This city does not entrust dealers with temporary plates' },
  'temp_plates.reapply_banned': { status: 422, 'zh-CN': '核发临时号牌资格被取消后一年内不得再次申请', en: 'A dealer whose qualification ended cannot reapply for one year',
    detail: (p, l) => (l === 'zh-CN' ? `${p.reapplyAfter}起可再次申请` : `You can apply again from ${p.reapplyAfter}`) },
  'temp_plates.documents_incomplete': { status: 422, 'zh-CN': '申请资料不齐全', en: 'Documents are missing',
    detail: (p, l) => {
      const names = String(p.missing).split(',').map((k) => documentNames[k]?.[l] ?? k);
      return l === 'zh-CN' ? `缺少：${names.join('、')}。请补齐后重新提交。` : `Missing: ${names.join(', ')}. Add them and submit again.`;
    } },
  'temp_plates.qualification_exists': { status: 409, 'zh-CN': '本单位已有有效或待审核的核发临时号牌资格', en: 'Your organisation already has a qualification, valid or pending' },
  'temp_plates.qualification_not_found': { status: 404, 'zh-CN': '核发临时号牌资格不存在', en: 'Qualification not found' },
  'temp_plates.wrong_status': { status: 409, 'zh-CN': '资格当前状态不能进行该操作', en: 'The qualification is not in a state that allows this step' },
  'temp_plates.review_pending': { status: 409, 'zh-CN': '已有待审核的申请', en: 'A review is already pending' },
  'temp_plates.no_pending_review': { status: 409, 'zh-CN': '没有待审核的申请', en: 'There is no review waiting' },
  'temp_plates.renewal_window_closed': { status: 422, 'zh-CN': '资格审核只能在有效期满前一个月内进行', en: 'Renewal is possible only in the last month before the qualification ends',
    detail: (p, l) => (l === 'zh-CN' ? `审核期间为${p.opensOn}至${p.closesOn}` : `Renewal review runs from ${p.opensOn} to ${p.closesOn}`) },
  'temp_plates.quota_required': { status: 400, 'zh-CN': '请设定每次可持有的空白临时号牌数量', en: 'Set the number of blanks the dealer may hold' },
  //
  'temp_plates.not_qualified': { status: 422, 'zh-CN': '该销售商当前没有有效的核发临时号牌资格', en: 'The dealer has no valid qualification at the moment',
    detail: (p, l) => (l === 'zh-CN' ? '资格状态：' : 'Qualification status: ') + (qualificationStatusNames[String(p.status)]?.[l] ?? String(p.status)) },
  'temp_plates.qualification_expired': { status: 422, 'zh-CN': '核发临时号牌资格已过有效期', en: 'The qualification has expired',
    detail: (p, l) => (l === 'zh-CN' ? `资格有效期至${p.validUntil}，请重新申请资格` : `The qualification was valid until ${p.validUntil}; apply for it again`) },
  'temp_plates.quota_exceeded': { status: 409, 'zh-CN': '超出该销售商可持有的空白临时号牌数量', en: 'This would exceed the number of blanks the dealer may hold',
    detail: (p, l) => l === 'zh-CN'
      ? `可持有${p.quota}块，库存${p.inStock}块，本次最多发放${p.available}块。请减少发放数量。`
      : `The dealer may hold ${p.quota}; ${p.inStock} in stock, so at most ${p.available} now. Lower the number.` },
  'temp_plates.check_failed': { status: 422, 'zh-CN': '核查未通过：交回的损毁号牌或核发资料与系统记录不符', en: 'Check failed: the damaged blanks or the issuance materials do not match the records',
    detail: (p, l) => {
      const zh = l === 'zh-CN';
      const parts: string[] = [];
      if (p.damagedMissing) parts.push(zh ? `未交回的损毁号牌：${p.damagedMissing}` : `damaged blanks not returned: ${p.damagedMissing}`);
      if (p.damagedUnknown) parts.push(zh ? `系统中未登记损毁的号牌：${p.damagedUnknown}` : `not recorded as damaged: ${p.damagedUnknown}`);
      if (String(p.problems).includes('issued_count')) {
        parts.push(zh ? `交回核发资料${p.issuedDeclared}份，系统记录${p.issuedRecorded}份` : `${p.issuedDeclared} issuance files handed in, ${p.issuedRecorded} recorded`);
      }
      if (String(p.problems).includes('materials')) parts.push(zh ? '核发资料不符合规定' : 'the issuance materials are not in order');
      return parts.join(zh ? '；' : '; ');
    } },
  'temp_plates.handout_documents_incomplete': { status: 422, 'zh-CN': '领取空白临时号牌的资料不齐全', en: 'Documents for collecting blank plates are missing',
    detail: (p, l) => {
      const names = String(p.missing).split(',').map((k) => documentNames[k]?.[l] ?? k);
      return l === 'zh-CN' ? `缺少：${names.join('、')}。` : `Missing: ${names.join(', ')}.`;
    },
    next: { 'zh-CN': '请领取人出示单位组织机构代码证、委托书和本人身份证明，扫描上传后再发放。', en: 'Ask the collector for the organisation code certificate, the letter of authorisation and their identity document; scan and upload them, then hand out.' } },
  'temp_plates.check_pending': { status: 409, 'zh-CN': '上次发放的核查尚未完成，暂不能再次发放', en: 'The check of the last hand-out is still pending' },
  'temp_plates.explanation_required': { status: 422, 'zh-CN': '该销售商须先到公安机关交通管理部门进行情况说明', en: 'The dealer must first give an explanation to the authority' },
  'temp_plates.explanation_not_required': { status: 409, 'zh-CN': '当前无需情况说明', en: 'No explanation is required at the moment' },
  'temp_plates.serial_exhausted': { status: 409, 'zh-CN': '空白临时号牌编号已用完', en: 'No blank numbers are left' },
  'temp_plates.blank_not_found': { status: 404, 'zh-CN': '空白临时号牌不存在', en: 'Blank plate not found' },
  'temp_plates.blank_not_in_stock': { status: 409, 'zh-CN': '该空白临时号牌不在库存中', en: 'This blank is not in stock' },
  'temp_plates.blank_not_returned': { status: 409, 'zh-CN': '该号牌尚未交回，不能销毁', en: 'This blank has not been returned, so it cannot be destroyed' },
  //
  'temp_plates.model_not_authorised': { status: 422, 'zh-CN': '该品牌型号不在授权范围内', en: 'This brand and model are not in your authorised list',
    detail: (p, l) => (l === 'zh-CN' ? `“${p.brandModel}”不在授权的品牌型号清单内` : `“${p.brandModel}” is not on the authorised list`) },
  'temp_plates.vehicle_registered': { status: 422, 'zh-CN': '该车辆已注册登记，不能核发临时号牌', en: 'This vehicle is already registered' },
  'temp_plates.vin_invalid': { status: 422, 'zh-CN': '车辆识别代号不正确', en: 'The VIN is not valid' },
  'temp_plates.vin_has_temp_plate': { status: 409, 'zh-CN': '该车辆已有在用的临时号牌', en: 'This vehicle already has a temporary plate in use' },
  'temp_plates.issuance_not_found': { status: 404, 'zh-CN': '临时号牌核发记录不存在', en: 'Issuance not found' },
  'temp_plates.already_registered': { status: 409, 'zh-CN': '已登记过注册登记信息', en: 'The registration was already recorded' },
  'temp_plates.city_not_found': { status: 404, 'zh-CN': '不能设置该地市', en: 'City not found' },
});

const documentNames: Record<string, { 'zh-CN': string; en: string }> = {
  organisation_code_certificate: { 'zh-CN': '单位组织机构代码证', en: 'organisation code certificate' },
  letter_of_authorisation: { 'zh-CN': '委托书', en: 'letter of authorisation' },
  agent_identity: { 'zh-CN': '代理人身份证明', en: 'agent’s identity document' },
  collector_identity: { 'zh-CN': '领取人身份证明', en: 'collector’s identity document' },
  brand_model_list: { 'zh-CN': '销售机动车品牌型号清单', en: 'list of brands and models sold' },
  sales_permit: { 'zh-CN': '准予销售证明', en: 'sales permit' },
};

export const qualificationStatusNames: Record<string, { 'zh-CN': string; en: string }> = {
  pending: { 'zh-CN': '待审核', en: 'pending' },
  active: { 'zh-CN': '有效', en: 'active' },
  rejected: { 'zh-CN': '未通过', en: 'rejected' },
  suspended: { 'zh-CN': '暂停', en: 'suspended' },
  revoked: { 'zh-CN': '已取消', en: 'revoked' },
  lapsed: { 'zh-CN': '逾期未审核，已取消', en: 'lapsed' },
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
