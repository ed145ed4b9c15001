/** 第六章 档案管理 (X-6, issue 22): the console's words for the electronic archive and the paper files. */
export const archivesZhCN = {
  resources: {
    'archive-records': '电子档案', 'archive-chains': '档案校验', 'archive-destructions': '档案销毁计划', 'archive-retention': '档案保管期限',
    'paper-files': '纸质档案', 'paper-file-transfers': '档案移交', 'returned-certificates': '交回证件',
  },
  business_type: {
    account_registration: '用户注册', account_change: '用户变更', account_binding: '绑定', plate_preselection: '预选号牌', plate_registration: '号牌登记',
    replacement: '补换领牌证', temp_plate_stock: '临时号牌发放', temp_plate_issuance: '临时号牌核发', inspection_booking: '检验预约',
    licence_service: '驾驶证业务', exam: '考试', violation: '违法处理', payment: '缴款', medical_certificate: '身体条件证明', medical_qualification: '医疗机构受委托资格', default: '其他业务',
  },
  retention: { permanent: '永久保存', years: '%{n} 年', help: '整年数；留空为永久保存。已归档的档案保留归档时确定的保管期限。' },
  field: {
    updatedAt: '更新时间',
    caseRef: '业务流水号', businessType: '业务类型', version: '版本', authorityName: '档案所在地', personIdNumberMasked: '身份证明号码', personNameMasked: '姓名',
    plateNo: '号牌号码', licenceNo: '驾驶证号', finishedAt: '办结时间', archivedAt: '归档时间', retainUntil: '保管至', status: '状态', files: '影像', digest: '摘要',
    idNumber: '身份证明号码（完整输入）', q: '业务流水号 / 号牌', from: '办结日期起', to: '办结日期止', data: '申请数据', trail: '审核记录', messages: '短信与邮寄',
    documents: '影像资料', versions: '版本', paperFile: '纸质档案', chain: '校验链', records: '档案数', ok: '校验结果', brokenAt: '首个异常',
    years: '保管年限', note: '说明', proposedAt: '提出时间', decidedBy: '处理人', decidedAt: '处理时间',
    fileNo: '档案编号', location: '存放位置', room: '库房', cabinet: '柜', shelf: '层', box: '盒', bound: '已装订', checkedInAt: '入库时间', checkedInBy: '入库人',
    loan: '借阅', borrower: '借阅人', reason: '事由', dueBack: '应还日期', lentAt: '借出时间', overdue: '逾期', checkedDocuments: '核对的材料', event: '事件', by: '经办人', at: '时间', city: '城市',
    toAuthorityId: '接收城市', fromName: '移出城市', toName: '接收城市', sentAt: '移交时间', certificate: '证件', serial: '证件编号', action: '处理',
  },
  status: { kept: '保存中', destroyed: '已销毁', on_shelf: '在架', on_loan: '借出', in_transfer: '移交中', proposed: '待审批', approved: '已销毁', sent: '待接收', received: '已接收', refused: '已拒收' },
  event: {
    checked_in: '入库', bound: '装订', moved: '移位', lent: '借出', returned: '归还', transfer_sent: '移出', transfer_received: '接收', transfer_refused: '拒收',
    certificate_destroyed: '销毁交回证件', core_restored: '恢复证芯编号', case_withdrawn: '退办',
  },
  document: {
    application_form_original: '申请表原件', identity_document_copy: '身份证明复印件', organisation_certificate_copy: '组织机构代码证复印件',
    letter_of_authorisation_original: '委托书原件', agent_identity_document_copy: '代理人身份证明复印件', registration_form_original: '登记申请表原件',
    vehicle_invoice_copy: '购车发票复印件', insurance_certificate_copy: '交强险凭证复印件', collector_identity_document_copy: '领取人身份证明复印件',
  },
  reason: { sequence_gap: '序号缺失', link_broken: '链接断裂', content_changed: '内容被改动', file_changed: '影像被改动', digest_changed: '摘要被改动', head_mismatch: '链头不符' },
  record: {
    print: '打印档案', print_heading: '业务档案', content_ok: '内容与摘要一致', content_bad: '内容与摘要不一致：档案可能被篡改', destroyed_note: '该档案已按保管期限销毁，仅保留销毁记录和摘要。',
    no_paper: '尚未入库纸质档案', check_in: '入库纸质档案', viewed_note: '查阅已记录，公民可在“谁查看了我的信息”中看到（只显示岗位和城市）。',
  },
  chain: { ok: '完整', broken: '异常' },
  destruction: {
    approve: '批准销毁', keep: '继续保管', approved: '已销毁，保留销毁记录', kept: '已继续保管',
    approve_title: '确定销毁该档案？', approve_consequence: '将删除业务 %{caseRef} 的档案内容和影像，只保留销毁记录和摘要。销毁不能撤销。',
    keep_title: '继续保管该档案？', keep_consequence: '业务 %{caseRef} 的档案继续保存，一年后重新列入销毁计划。',
  },
  paper: {
    check_in: '入库', checked_in: '已入库，档案编号已生成', checklist: '核对材料（须全部齐全）', lend: '借出', lent: '已借出', give_back: '归还', returned: '已归还',
    move: '移位', moved: '已移位', label: '打印标签', label_heading: '档案标签', label_help: '用手机或扫码枪扫描二维码可打开该档案页面。', history: '档案履历',
    lend_title: '确定借出该档案？', lend_consequence: '档案 %{fileNo} 将借给所选人员，到期未还将列入逾期清单。',
    return_title: '确定归还？', return_consequence: '档案 %{fileNo} 归还入库，原位置：%{location}。', overdue_only: '只看逾期', print: '打印',
    due_help: '不填则为5个工作日后', bind: '装订',
  },
  transfer: {
    send: '移交档案', receive: '确认接收', refuse: '拒收', received_done: '已接收入库', refused_done: '已拒收，档案退回原城市',
    refuse_title: '拒收这批档案？', refuse_consequence: '档案将退回%{from}原位置。', refuse_reason: '接收城市拒收', id_help: '身份证明号码为6–30位字母或数字',
  },
  certificate: { plate: '号牌', vehicle_licence: '行驶证', driving_licence: '驾驶证', inspection_sticker: '检验合格标志', temp_plate: '临时号牌' },
  certificate_action: { destroyed: '销毁', core_restored: '恢复证芯编号', case_withdrawn: '退办' },
};
