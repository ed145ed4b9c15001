import type { CodesOf } from '../../core/errors.ts';
import { defineMessages } from '../../core/catalog.ts';

/** Error texts of the archives module (第六章, X-6; zh-CN first, en). */
export const messages = defineMessages({
  // electronic archive
  'archives.record_not_found': { status: 404, 'zh-CN': '档案不存在', en: 'Archive record not found' },
  'archives.file_not_found': { status: 404, 'zh-CN': '档案中没有该文件', en: 'The record has no such file' },
  'archives.record_destroyed': { status: 410, 'zh-CN': '该档案已按保管期限销毁，只保留销毁记录', en: 'This record was destroyed at the end of its retention; only its tombstone is kept' },
  'archives.retention_unknown_type': { status: 404, 'zh-CN': '没有该业务类型的保管期限', en: 'No retention period for this business type' },
  'archives.destruction_not_found': { status: 404, 'zh-CN': '销毁计划中没有该条目', en: 'No such entry in the destruction schedule' },
  'archives.destruction_decided': { status: 409, 'zh-CN': '该条目已经处理', en: 'This entry has already been decided',
    next: { 'zh-CN': '刷新销毁计划查看当前状态。', en: 'Refresh the destruction schedule to see its state.' } },
  'archives.retention_not_over': { status: 409, 'zh-CN': '该档案的保管期限尚未届满，不能销毁', en: 'The record’s retention period is not over; it cannot be destroyed',
    detail: (p, l) => (l === 'zh-CN' ? `保管期限至${p.retainUntil}。请选择“继续保管”。` : `It is kept until ${p.retainUntil}. Choose “keep”.`) },
  // paper files
  'archives.case_not_archived': { status: 422, 'zh-CN': '系统中没有该业务的电子档案，不能入库纸质档案', en: 'The system has no electronic record of this case, so its paper file cannot be checked in',
    next: { 'zh-CN': '核对业务类型和业务流水号；业务办结后系统自动归档，再入库纸质档案。', en: 'Check the business type and reference; the system archives a case when it ends — check its paper file in then.' } },
  'archives.checklist_incomplete': { status: 422, 'zh-CN': '纸质材料不齐全，不能入库', en: 'The paper file is incomplete; it cannot be checked in',
    detail: (p, l) => {
      const names = String(p.missing).split(', ').map((d) => DOCUMENT_NAMES[d]?.[l === 'zh-CN' ? 0 : 1] ?? d);
      return l === 'zh-CN' ? `缺少：${names.join('、')}。请补齐后再入库。` : `Missing: ${names.join(', ')}. Complete the file, then check it in.`;
    } },
  'archives.paper_file_exists': { status: 409, 'zh-CN': '该业务的纸质档案已经入库', en: 'The paper file of this case is already checked in',
    next: { 'zh-CN': '在纸质档案列表中按业务流水号查找该档案。', en: 'Find it in the paper files by its reference.' } },
  'archives.paper_file_not_found': { status: 404, 'zh-CN': '纸质档案不存在', en: 'Paper file not found' },
  'archives.not_on_shelf': { status: 409, 'zh-CN': '该档案当前不在架上', en: 'The file is not on its shelf',
    detail: (p, l) => (l === 'zh-CN' ? `当前状态：${statusName(p.status, l)}。请先办理归还或等待移交完成。` : `It is ${statusName(p.status, l)}. Record its return, or wait for the transfer to finish.`) },
  'archives.not_on_loan': { status: 409, 'zh-CN': '该档案没有借出，无需归还', en: 'The file is not on loan',
    next: { 'zh-CN': '刷新档案页面查看当前位置。', en: 'Refresh the file’s page to see where it is.' } },
  'archives.borrower_not_found': { status: 422, 'zh-CN': '借阅人不是本市的工作人员', en: 'The borrower is not a staff member of this city',
    next: { 'zh-CN': '从列表中选择本市的工作人员。', en: 'Choose a member of this city’s staff from the list.' } },
  'archives.due_back_invalid': { status: 422, 'zh-CN': '归还日期须晚于今天，且不超过30天', en: 'The due-back day must be after today and within 30 days',
    next: { 'zh-CN': '选择今天之后30天内的日期。', en: 'Choose a day within the next 30 days.' } },
  'archives.transfer_not_found': { status: 404, 'zh-CN': '移交单不存在', en: 'Transfer not found' },
  'archives.transfer_same_city': { status: 422, 'zh-CN': '接收城市不能是本市', en: 'The receiving city must be another city',
    next: { 'zh-CN': '选择车辆迁入地的城市。', en: 'Choose the city the vehicle moves to.' } },
  'archives.transfer_nothing': { status: 422, 'zh-CN': '该人员在本市没有在架的纸质档案', en: 'This person has no file on the shelves of this city',
    next: { 'zh-CN': '核对身份证明号码；借出的档案须先归还。', en: 'Check the ID number; files on loan must be returned first.' } },
  'archives.transfer_decided': { status: 409, 'zh-CN': '该移交单已经处理', en: 'This transfer has already been decided',
    next: { 'zh-CN': '刷新移交单查看当前状态。', en: 'Refresh the transfer to see its state.' } },
  'archives.transfer_not_receiver': { status: 404, 'zh-CN': '只有接收城市的档案岗可以确认接收', en: 'Only the receiving city’s archive post can confirm' },
  // returned certificates
  'archives.core_restore_needs_archive': { status: 422, 'zh-CN': '该业务尚未归档，不能恢复证芯编号，应办理退办', en: 'The case is not archived, so its core number cannot be restored; withdraw it instead',
    next: { 'zh-CN': '选择“退办”。', en: 'Choose “withdraw”.' } },
  'archives.withdraw_needs_no_archive': { status: 422, 'zh-CN': '该业务已经归档，应恢复证芯编号，不能退办', en: 'The case is archived: restore its core number instead of withdrawing it',
    next: { 'zh-CN': '选择“恢复证芯编号”。', en: 'Choose “restore core number”.' } },
  'archives.certificate_recorded': { status: 409, 'zh-CN': '该证件已经登记处理', en: 'This certificate has already been recorded',
    next: { 'zh-CN': '在交回证件列表中查看该记录。', en: 'See it in the returned certificates.' } },
});

/** The documents of the paper files' checklists (rules.ts REQUIRED_DOCUMENTS). */
const DOCUMENT_NAMES: Record<string, [string, string]> = {
  application_form_original: ['申请表原件', 'the application form (original)'],
  identity_document_copy: ['身份证明复印件', 'a copy of the ID document'],
  organisation_certificate_copy: ['组织机构代码证复印件', 'a copy of the organisation certificate'],
  letter_of_authorisation_original: ['委托书原件', 'the letter of authorisation (original)'],
  agent_identity_document_copy: ['代理人身份证明复印件', 'a copy of the agent’s ID'],
  registration_form_original: ['登记申请表原件', 'the registration form (original)'],
  vehicle_invoice_copy: ['购车发票复印件', 'a copy of the purchase invoice'],
  insurance_certificate_copy: ['交强险凭证复印件', 'a copy of the insurance certificate'],
  collector_identity_document_copy: ['领取人身份证明复印件', 'a copy of the collector’s ID'],
};

function statusName(s: unknown, l: 'zh-CN' | 'en'): string {
  const names: Record<string, [string, string]> = { on_shelf: ['在架', 'on its shelf'], on_loan: ['借出', 'on loan'], in_transfer: ['移交中', 'being transferred'] };
  const n = names[String(s)];
  return n ? (l === 'zh-CN' ? n[0] : n[1]) : String(s);
}

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
