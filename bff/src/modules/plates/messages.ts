import type { CodesOf } from '../../core/errors.ts';
import type { CatalogEntry } from '../../core/catalog.ts';

/** The next step after a self-composed serial breaks a format rule (the title names the rule). */
const fixSerial = { 'zh-CN': '请修改号码后重新提交。', en: 'Change the number and submit it again.' };

/** Error texts of the plates module (zh-CN first, en). */
export const messages = {
  // GA 36 format of a serial: one code per rule, so the user is told which one a serial breaks
  'plates.serial_charset': { status: 422, 'zh-CN': '号牌号码只能由数字和英文字母组成', en: 'A plate serial has digits and letters only',
    next: fixSerial },
  'plates.serial_letter_i_o': { status: 422, 'zh-CN': '号牌号码不能使用字母 I 和 O', en: 'Plate serials never use the letters I and O',
    next: fixSerial },
  'plates.serial_length': { status: 422, 'zh-CN': '号牌号码位数不对：普通号牌为5位，新能源号牌为6位', en: 'Wrong length: ordinary plates have 5 characters, new-energy plates 6',
    next: fixSerial },
  'plates.serial_too_many_letters': { status: 422, 'zh-CN': '号牌号码最多只能有2个英文字母', en: 'A plate serial has at most two letters',
    next: fixSerial },
  'plates.serial_ordinary_d_f': { status: 422, 'zh-CN': '普通号牌号码的第一位不能是 D 或 F（新能源号牌专用）', en: 'An ordinary serial cannot start with D or F (they mark new-energy plates)',
    next: fixSerial },
  'plates.serial_new_energy_type': { status: 422, 'zh-CN': '新能源号牌须以 D（纯电动）或 F（非纯电动）标明能源类型：小型车在第一位，大型车在最后一位', en: 'New-energy serials carry D (battery electric) or F (other): first for small vehicles, last for large ones',
    next: fixSerial },
  'plates.serial_new_energy_digits': { status: 422, 'zh-CN': '新能源号牌号码的其余位置须为数字（小型车后四位，大型车前五位）', en: 'The other positions of a new-energy serial are digits (the last four for small, the first five for large vehicles)',
    next: fixSerial },
  'plates.serial_not_in_segment': { status: 422, 'zh-CN': '该号码不在所选号段内，请按号段规则编排', en: 'This number is not in the chosen segment; follow its pattern' },
  'plates.serial_excluded_digit': { status: 422, 'zh-CN': '本号段不投放含有该数字的号码', en: 'This segment leaves out numbers containing that digit',
    next: fixSerial },
  'plates.plate_province': { status: 422, 'zh-CN': '号牌号码第一位应为省、自治区、直辖市简称', en: 'A plate number starts with the province abbreviation',
    next: { 'zh-CN': '请核对号牌号码后重新输入。', en: 'Check the plate number and enter it again.' } },
  'plates.plate_authority_letter': { status: 422, 'zh-CN': '号牌号码第二位应为发牌机关代号（字母，不含 I、O）', en: 'The second character is the issuing authority letter (no I or O)',
    next: { 'zh-CN': '请核对号牌号码后重新输入。', en: 'Check the plate number and enter it again.' } },
  // segment plans
  'plates.pattern_length': { status: 422, 'zh-CN': '号段规则的位数与号牌种类不符', en: 'The pattern length does not fit the plate kind' },
  'plates.pattern_invalid': { status: 422, 'zh-CN': '号段规则不符合 GA 36 号牌编码规则', en: 'The pattern does not fit the GA 36 numbering rules' },
  'plates.segment_too_small': { status: 422, 'zh-CN': '每次投入使用的号段不得少于1000个号码', en: 'A segment put into use holds at least 1,000 numbers',
    detail: (p, l) => (typeof p.size === 'number' ? (l === 'zh-CN' ? `该号段规则只有 ${p.size} 个号码。` : `This pattern holds only ${p.size} numbers.`) : undefined),
    next: { 'zh-CN': '请放宽号段规则（如把固定字符改为 #、@ 或 *）后再保存。', en: 'Widen the pattern, for instance by turning a fixed character into #, @ or *, and save again.' } },
  // counted on what the pool will hold (issue 18)
  'plates.segment_too_small_after_exclusions': { status: 422, 'zh-CN': '去掉排除数字和保留号码后，号段可用号码不足1000个', en: 'Without the excluded digits and the withheld numbers, the segment has fewer than 1,000 usable numbers',
    detail: (p, l) =>
      l === 'zh-CN'
        ? `号段规则共 ${p.numbers} 个号码，去掉含排除数字的号码后剩 ${p.withoutExcludedDigits} 个，再去掉保留号码后可用 ${p.size} 个。`
        : `The pattern holds ${p.numbers} numbers, ${p.withoutExcludedDigits} without those containing an excluded digit, and ${p.size} usable once the withheld numbers are set aside.`,
    next: { 'zh-CN': '请减少排除数字或保留号码，或放宽号段规则，使可用号码不少于1000个。', en: 'Exclude fewer digits or withhold fewer numbers, or widen the pattern, so that at least 1,000 numbers remain usable.' } },
  'plates.publish_too_late': { status: 422, 'zh-CN': '启用计划须在号段启用之日前至少三个工作日公布', en: 'The plan must be published at least three working days before the segment starts' },
  'plates.pool_below_minimum': { status: 422, 'zh-CN': '预选号码池可用号码不得低于五万个', en: 'The preselection pool must hold at least 50,000 available numbers',
    detail: (p, l) => (typeof p.available === 'number' ? (l === 'zh-CN' ? `开放本号段后，本部门该号牌种类的可用号码为 ${p.available} 个。` : `With this segment open, your authority would have ${p.available} numbers of this plate kind available.`) : undefined),
    next: { 'zh-CN': '请先建立更多号段的号码池，与本号段一起开放，使可用号码不少于五万个。', en: 'Build the pools of further segments first and open them together with this one, so that at least 50,000 numbers are available.' } },
  'plates.plan_wrong_status': { status: 409, 'zh-CN': '启用计划当前状态不能进行该操作', en: 'The plan is not in a state that allows this step' },
  'plates.plan_not_started': { status: 422, 'zh-CN': '号段尚未到启用时间', en: 'The segment has not reached its start time yet',
    detail: (p, l) => (typeof p.startAt === 'string' ? (l === 'zh-CN' ? `启用时间为 ${p.startAt}。` : `It starts at ${p.startAt}.`) : undefined),
    next: { 'zh-CN': '请在公布的启用时间到达后再开放预选。', en: 'Open it for preselection once the announced start time has come.' } },
  'plates.plan_not_found': { status: 404, 'zh-CN': '号段启用计划不存在', en: 'Segment plan not found' },
  'plates.authority_without_prefix': { status: 422, 'zh-CN': '本部门没有发牌机关代号，不能制定号段启用计划', en: 'Your authority has no plate prefix and cannot plan segments' },
  'plates.approval_authority_invalid': { status: 422, 'zh-CN': '批准或备案机关应为上级公安机关交通管理部门', en: 'The approving or filing authority must be the superior authority' },
  'plates.withheld_serial_invalid': { status: 422, 'zh-CN': '保留号码不属于本号段', en: 'A withheld number is not in this segment' },
  // preselection
  'plates.segment_not_open': { status: 422, 'zh-CN': '该号段目前不接受预选', en: 'This segment is not open for preselection',
    next: { 'zh-CN': '请从当前开放预选的号段中选择。', en: 'Choose one of the segments open for preselection.' } },
  'plates.not_own_vehicle': { status: 422, 'zh-CN': '只能为本人或本单位需办理注册登记的机动车预选号牌', en: 'You can preselect only for your own (or your organisation’s) vehicle',
    next: { 'zh-CN': '请核对车辆识别代号和机动车所有人的身份信息。', en: 'Check the VIN and the owner’s identity details.' } },
  'plates.vehicle_already_registered': { status: 422, 'zh-CN': '该车辆已办理注册登记，无需预选号牌', en: 'This vehicle is already registered',
    next: { 'zh-CN': '请核对车辆识别代号是否填写正确。', en: 'Check that the VIN is entered correctly.' } },
  'plates.plate_kind_mismatch': { status: 422, 'zh-CN': '车辆的号牌种类与该号段不符', en: 'The vehicle’s plate kind differs from the segment’s',
    next: { 'zh-CN': '请选择与该车号牌种类相同的号段。', en: 'Choose a segment of the vehicle’s plate kind.' } },
  'plates.active_preselection_exists': { status: 409, 'zh-CN': '您已有一辆机动车正在预选号牌，完成注册登记后方可预选另一辆', en: 'You already have a preselection in progress; the next one waits until that vehicle is registered' },
  'plates.vin_in_preselection': { status: 409, 'zh-CN': '该车辆已有进行中的号牌预选', en: 'This vehicle already has a preselection in progress',
    next: { 'zh-CN': '请查看该车的预选进度；如不是您本人发起的，请到车管所窗口咨询。', en: 'Check that vehicle’s preselection in progress; if you did not start it, ask at a counter.' } },
  'plates.number_taken': { status: 409, 'zh-CN': '该号码已被选用，请换一个号码', en: 'This number is already taken; please choose another' },
  'plates.number_withheld': { status: 409, 'zh-CN': '该号码为保留号码，不接受预选', en: 'This number is withheld and cannot be preselected',
    next: { 'zh-CN': '请换一个号码。', en: 'Please choose another number.' } },
  'plates.banned': { status: 403, 'zh-CN': '因逾期未办理注册登记或登记信息不一致，您两年内不能通过互联网预选号牌', en: 'Because a reservation lapsed or its data did not match, you cannot preselect online for two years',
    detail: (p, l) => (p.endsOn ? (l === 'zh-CN' ? `${p.endsOn}起可再次网上预选。` : `You can preselect online again from ${p.endsOn}.`) : undefined),
    next: { 'zh-CN': '在此期间，您可在办理注册登记时到车管所现场选取号牌号码。', en: 'Until then, you can choose a number at the vehicle administration office when you register the vehicle.' } },
  'plates.account_not_active': { status: 403, 'zh-CN': '账号当前不能办理业务', en: 'Your account cannot use services at the moment',
    next: { 'zh-CN': '如账号已暂停，请用短信验证码登录以恢复后再办理。', en: 'If your account is suspended, sign in with an SMS code to reactivate it, then try again.' } },
  'plates.preselection_not_found': { status: 404, 'zh-CN': '预选记录不存在', en: 'Preselection not found' },
  'plates.preselection_wrong_status': { status: 409, 'zh-CN': '预选记录当前状态不能进行该操作', en: 'The preselection is not in a state that allows this step',
    next: { 'zh-CN': '请刷新页面查看预选记录的当前状态。', en: 'Reload the page to see the preselection’s current status.' } },
  'plates.reservation_overdue': { status: 409, 'zh-CN': '已超过三个工作日的注册登记期限，预选号码作废', en: 'The three working days to register have passed; the reserved number has lapsed' },
  'plates.serial_required': { status: 400, 'zh-CN': '自行编排时请填写号码', en: 'Enter the number you composed' },
  // random draw (PD-14)
  'plates.draws_exhausted': { status: 422, 'zh-CN': '每辆车最多可以选取5次号码', en: 'A vehicle has at most five draws',
    next: { 'zh-CN': '如本次号码仍在选择时间内，请从中选择一个；否则可改为自行编排号码预选。', en: 'If the last draw is still open, pick one of its numbers; otherwise preselect a number you compose yourself.' } },
  'plates.offer_expired': { status: 409, 'zh-CN': '本次号码已超过10分钟的选择时间，请重新选取', en: 'The ten minutes to pick from this draw have passed; draw again' },
  'plates.number_not_offered': { status: 422, 'zh-CN': '请从本次选取的号码中选择一个', en: 'Pick one of the numbers offered in this draw' },
  'plates.pool_exhausted': { status: 409, 'zh-CN': '号码池暂无可选号码', en: 'The pool has no numbers left to offer',
    next: { 'zh-CN': '请稍后再试，或选择其他号段。', en: 'Please try again later or choose another segment.' } },
  // issue 18: the draw's seed was committed to before the browser's nonce
  'plates.draw_commitment_stale': { status: 409, 'zh-CN': '本次选号的承诺值已变化，号码未选取', en: 'The commitment for this draw has changed; no numbers were drawn',
    next: { 'zh-CN': '请刷新页面，核对新的承诺值后重新选取（不计入选取次数）。', en: 'Reload the page, note the new commitment and draw again (this attempt does not count).' } },
  'plates.draw_not_found': { status: 404, 'zh-CN': '选号记录不存在', en: 'Draw not found' },
  'plates.proof_not_ready': { status: 409, 'zh-CN': '选号结束（选定或超时）后才公开随机种子', en: 'The seed is revealed once the offer has ended (picked or expired)' },
} satisfies Record<string, CatalogEntry>;

/** SMS texts of the module, zh-CN as the authorities send them. */
export const smsTemplates: Record<string, (p: Record<string, unknown>) => string> = {
  'plates.reserved': (p) => `【交管12123】您已成功预选号牌号码${p.plateNo}（业务流水号${p.reference}），请于${p.deadlineDay}前持车辆和相关资料到公安机关交通管理部门办理注册登记，逾期号码作废且两年内不能网上预选。`,
  'plates.cancelled': (p) =>
    p.reason === 'mismatch'
      ? `【交管12123】您预选的号牌号码${p.plateNo}因注册登记信息与预选信息不一致已被取消，${p.banEndsOn}前不能通过互联网预选号牌。`
      : `【交管12123】您预选的号牌号码${p.plateNo}因逾期未办理注册登记已被取消，${p.banEndsOn}前不能通过互联网预选号牌。`,
  'plates.issued': (p) => `【交管12123】您的机动车已办理注册登记，号牌号码${p.plateNo}。`,
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
