/** SMS texts of chapter 2 (registration, changes, cancellation), zh-CN as the authorities send them. */
const typeName: Record<string, string> = { owner_driver: '车主或驾驶人', learner: '学员', new_car_owner: '新车车主' };
// R-21.1 reasons (CancelReason in rules.ts).
const cancelReason: Record<string, string> = {
  deceased: '用户死亡',
  dissolved: '单位已注销',
  user_request: '本人申请',
  false_materials: '提交虚假材料',
  new_car_no_preselection: '新车车主注册后二十四小时内未预选号牌',
  new_car_not_registered: '新车车主预选号牌后三个工作日内未办理注册登记',
};

export const smsTemplates: Record<string, (p: Record<string, unknown>) => string> = {
  'accounts.application_accepted': (p) =>
    `【交管12123】您的互联网用户申请（受理编号${p.reference}）已受理，将于${p.dueDay} 24:00前完成审核。查看进度：${p.link}`,
  'accounts.registered_at_counter': (p) =>
    `【交管12123】您的互联网用户注册（受理编号${p.reference}）已审核通过，账号为${p.phoneMasked}，用户类型：${typeName[String(p.personalType)] ?? '个人用户'}。请用手机号和短信验证码登录并设置密码。`,
  'accounts.change_approved': (p) => `【交管12123】您的互联网用户变更申请（受理编号${p.reference}）已审核通过${p.plateNo ? `，已绑定机动车${p.plateNo}` : ''}。`,
  'accounts.application_rejected': (p) => `【交管12123】您的互联网用户申请（受理编号${p.reference}）未通过审核，原因：${p.reason}。`,
  'accounts.organisation_registered': (p) =>
    `【交管12123】单位用户"${p.organisationName}"已注册（受理编号${p.reference}），账号为${p.phoneMasked}。`,
  'accounts.organisation_changed': (p) => `【交管12123】单位用户"${p.organisationName}"的信息已变更（受理编号${p.reference}）。`,
  'accounts.certificate_photo_decided': (p) =>
    p.status === 'approved'
      ? '【交管12123】您上传的驾驶证证件专用电子照片已审核通过并保存。'
      : `【交管12123】您上传的驾驶证证件专用电子照片未通过审核${p.reason ? `，原因：${p.reason}` : ''}，请重新上传。`,
  'accounts.licence_issued': (p) => `【交管12123】您的驾驶证（准驾车型${p.classes}）已核发，您的账户已转为驾驶人用户。`,
  'accounts.phone_changed': (p) => `【交管12123】您的账户手机号已变更为${p.phoneMasked}。如非本人操作，请立即联系交管部门。`,
  'accounts.suspended': () => '【交管12123】您的账户已暂停使用。用短信验证码登录即可恢复。',
  'accounts.cancelled': (p) =>
    `【交管12123】您的互联网用户账户已注销${p.reference ? `（受理编号${p.reference}）` : ''}，原因：${cancelReason[String(p.reason)] ?? p.reason ?? '—'}。`,
  'accounts.unbound_at_counter': (p) =>
    `【交管12123】根据您在窗口的申请（受理编号${p.reference}），${p.plateNo ? `机动车${p.plateNo}` : `驾驶证${p.licenceNoMasked ?? ''}`}已与您的互联网用户账户解除绑定。如非本人申请，请立即联系交管部门。`,
};
