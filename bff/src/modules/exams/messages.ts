import type { CodesOf } from '../../core/errors.ts';
import { defineMessages, type Locale } from '../../core/catalog.ts';

const subjectName = (s: unknown, l: Locale) => (l === 'zh-CN' ? `科目${['', '一', '二', '三'][Number(s)] ?? s}` : `subject ${s}`);
const shanghai = (iso: unknown) => {
  const d = new Date(String(iso));
  if (Number.isNaN(d.getTime())) return String(iso);
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
};

/** Error texts of the exams module (zh-CN first, en). */
export const messages = defineMessages({
  // citizens
  'exams.units_cannot_book': { status: 403, 'zh-CN': '单位账号不能预约驾驶人考试', en: 'Organisation accounts cannot book driving tests',
    next: { 'zh-CN': '请考生本人使用个人账号登录后预约。', en: 'The candidate books from their own personal account.' } },
  'exams.no_permit': { status: 422, 'zh-CN': '未找到有效的学习驾驶证明，不能预约考试', en: 'No valid learner permit was found, so no test can be booked',
    next: { 'zh-CN': '初次申领或增加准驾车型的申请受理并取得学习驾驶证明后，才能预约考试；请到车管所或驾校咨询。', en: 'You can book once your first or additional-class application is accepted and a learner permit is issued; ask the vehicle office or your driving school.' } },
  'exams.permit_not_found': { status: 404, 'zh-CN': '未找到该学习驾驶证明', en: 'Learner permit not found' },
  'exams.permit_void': { status: 422, 'zh-CN': '学习驾驶证明已作废，不能预约考试', en: 'The learner permit is void; no test can be booked',
    next: { 'zh-CN': '科目二或科目三第五次考试不合格后其他科目成绩作废，请重新申请驾驶证。', en: 'After a fifth failed sitting of subject 2 or 3 the other subjects passed are void, so please apply for a licence again.' } },
  'exams.permit_expired': { status: 422, 'zh-CN': '学习驾驶证明有效期已过或不够，不能预约', en: 'The learner permit has expired or ends before the exam',
    detail: (p, l) => l === 'zh-CN'
      ? `学习驾驶证明有效期至${p.validUntil}，考试日期须在有效期内。有效期内未考完的，已考试合格的科目成绩作废，请重新申请。`
      : `The learner permit is valid until ${p.validUntil}; the exam must fall within it. Subjects passed are void if not finished in time; please apply again.` },
  'exams.subject_passed': { status: 422, 'zh-CN': '该科目已考试合格', en: 'You have already passed this subject',
    detail: (p, l) => l === 'zh-CN' ? `${subjectName(p.subject, l)}已于${p.passedOn}考试合格，请预约下一个科目。` : `You passed ${subjectName(p.subject, l)} on ${p.passedOn}; book the next subject.` },
  'exams.subject_order': { status: 422, 'zh-CN': '请按科目顺序预约考试', en: 'Subjects are booked in order',
    detail: (p, l) => l === 'zh-CN'
      ? `预约${subjectName(p.subject, l)}前须先通过${subjectName(p.required, l)}考试。请先预约${subjectName(p.required, l)}。`
      : `${subjectName(p.subject, l)} can be booked after passing ${subjectName(p.required, l)}. Book ${subjectName(p.required, l)} first.` },
  'exams.waiting_period': { status: 422, 'zh-CN': '学习驾驶证明取得时间不足，暂不能预约该科目', en: 'The waiting period after the learner permit has not passed yet',
    detail: (p, l) => l === 'zh-CN'
      ? `学习驾驶证明于${p.issuedOn}取得，须满${p.days}日才能预约${subjectName(p.subject, l)}。您可于${p.from}起预约。`
      : `Your learner permit was issued on ${p.issuedOn}; ${subjectName(p.subject, l)} can be booked ${p.days} days after that. You can book from ${p.from}.` },
  'exams.sittings_exhausted': { status: 422, 'zh-CN': '该科目预约考试次数已满五次', en: 'This subject has been booked five times already',
    detail: (p, l) => l === 'zh-CN' ? `${subjectName(p.subject, l)}在学习驾驶证明有效期内最多预约考试${p.max}次，已用完。` : `${subjectName(p.subject, l)} may be booked at most ${p.max} times while the permit is valid; none is left.`,
    next: { 'zh-CN': '请到车管所咨询重新申请。', en: 'Ask the vehicle office about applying again.' } },
  'exams.rebook_wait': { status: 422, 'zh-CN': '考试不合格后十日内不能再次预约该科目', en: 'After a failed sitting the subject can be booked again only ten days later',
    detail: (p, l) => l === 'zh-CN'
      ? `${subjectName(p.subject, l)}本次考试（含补考）不合格或缺考，须十日后再预约。您可于${p.from}起预约。`
      : `Your last sitting of ${subjectName(p.subject, l)} (with its retake) was failed or missed; you can book it again from ${p.from}.` },
  'exams.plan_not_found': { status: 404, 'zh-CN': '未找到该考试计划', en: 'Exam plan not found' },
  'exams.plan_closed': { status: 422, 'zh-CN': '该考试计划已停止受理预约', en: 'This exam plan no longer takes applications',
    detail: (p, l) => l === 'zh-CN' ? `该计划的预约已于${shanghai(p.closesAt)}截止，请选择其他考试计划。` : `Applications for this plan closed at ${shanghai(p.closesAt)}; please choose another plan.` },
  'exams.plan_class': { status: 422, 'zh-CN': '该考试计划不考您申请的准驾车型', en: 'This plan does not examine your licence class',
    detail: (p, l) => l === 'zh-CN' ? `您申请的准驾车型为${p.class}，请选择考${p.class}的考试计划。` : `Your class is ${p.class}; choose a plan for ${p.class}.` },
  'exams.location_changes': { status: 422, 'zh-CN': '考试地变更已达三次，不能再变更', en: 'The exam location has been changed three times; no more changes are allowed',
    next: { 'zh-CN': '请选择原考试场的考试计划。', en: 'Choose a plan at your current exam station.' } },
  'exams.location_large_class': { status: 422, 'zh-CN': '大型车准驾车型不能变更考试地', en: 'The exam location cannot be changed for large classes',
    next: { 'zh-CN': '请选择原考试场的考试计划。', en: 'Choose a plan at your current exam station.' } },
  'exams.already_applied': { status: 409, 'zh-CN': '该科目已有未完成的考试预约', en: 'You already have an open application for this subject',
    next: { 'zh-CN': '请在“我的考试预约”中查看；如需改约，请先取消原预约。', en: 'See “My exam bookings”; to change it, cancel the open one first.' } },
  'exams.application_not_found': { status: 404, 'zh-CN': '未找到该考试预约', en: 'Exam application not found' },
  'exams.not_cancellable': { status: 409, 'zh-CN': '该考试预约已结束，不能取消', en: 'This application has ended and cannot be cancelled',
    next: { 'zh-CN': '请刷新页面查看最新状态。', en: 'Reload the page to see its status.' } },
  'exams.cancel_too_late': { status: 422, 'zh-CN': '考试前一日之后不能取消预约', en: 'A booking can be cancelled only up to the day before the exam',
    detail: (p, l) => l === 'zh-CN'
      ? `考试日期为${p.examDate}，最迟须于${p.lastDay}取消。未按时参加考试的，按考试不合格处理。`
      : `The exam is on ${p.examDate}; the last day to cancel was ${p.lastDay}. A no-show counts as a fail.` },
  'exams.cancel_after_cut_off': { status: 422, 'zh-CN': '预约截止后不能网上取消', en: 'After the booking cut-off the booking cannot be cancelled online',
    detail: (p, l) => l === 'zh-CN'
      ? `该计划已于${shanghai(p.closesAt)}截止预约。如需取消，请在考试前一日之前本人携带身份证明到车管所窗口办理。`
      : `The plan's bookings closed at ${shanghai(p.closesAt)}. To cancel, go to a vehicle-office counter with your ID, at the latest the day before the exam.` },
  // exam stations and staff (X-4.4.7, results)
  'exams.no_station': { status: 403, 'zh-CN': '您的账号未关联考试场', en: 'Your account is not linked to an exam station' },
  'exams.publish_too_late': { status: 422, 'zh-CN': '考试计划须提前十日以上发布', en: 'An exam plan is published at least ten days ahead',
    detail: (p, l) => l === 'zh-CN' ? `考试日期${p.examDate}距今不足十日，最早可发布${p.earliest}的考试计划。` : `${p.examDate} is less than ten days away; the earliest exam day you can publish is ${p.earliest}.` },
  'exams.plan_exists': { status: 409, 'zh-CN': '该考试场同一日期、场次、科目的计划已发布', en: 'A plan for this subject, day and session is already published',
    next: { 'zh-CN': '请修改日期或场次。', en: 'Choose another day or session.' } },
  'exams.result_too_early': { status: 422, 'zh-CN': '考试日之前不能录入成绩', en: 'Results can be entered from the exam day',
    detail: (p, l) => l === 'zh-CN' ? `考试日期为${p.examDate}，请在考试当日或之后录入。` : `The exam is on ${p.examDate}; enter the result on or after that day.` },
  'exams.result_retake_needed': { status: 422, 'zh-CN': '首次考试不合格的，须同时录入补考结果', en: 'For a failed first attempt, the retake must be entered too',
    next: { 'zh-CN': '请选择补考结果：合格、不合格或放弃补考。', en: 'Choose the retake’s result: pass, fail or skipped.' } },
  'exams.result_not_allowed': { status: 409, 'zh-CN': '该预约未获分配或成绩已录入', en: 'This application was not allocated, or its result is already entered',
    next: { 'zh-CN': '请刷新列表查看最新状态。', en: 'Reload the list to see its status.' } },
  // 受理岗 issues the learner permit (X-4.4.1, X-4.4.3, X-4.4.4; ADR-039)
  'exams.permit_application_not_accepted': { status: 422, 'zh-CN': '该初次申领申请不在已受理状态，不能核发学习驾驶证明', en: 'This first application is not in the accepted state, so no learner permit can be issued',
    detail: (p, l) => l === 'zh-CN' ? `该申请当前状态为“${p.status}”。学习驾驶证明在初次申领受理后、考试前核发。` : `The application is “${p.status}”. A learner permit is issued after a first application is accepted, before the tests.` },
  'exams.permit_class': { status: 422, 'zh-CN': '申请的准驾车型无法识别，不能核发学习驾驶证明', en: 'The class applied for is not recognised, so no learner permit can be issued',
    detail: (p, l) => l === 'zh-CN' ? `申请的准驾车型为“${p.class}”，请核对申请。` : `The application's class is “${p.class}”; check the application.` },
  'exams.permit_exists': { status: 409, 'zh-CN': '该申请人已有有效的学习驾驶证明', en: 'This applicant already holds a learner permit for this application or class',
    next: { 'zh-CN': '请在学习驾驶证明列表中查看，无需重复核发。', en: 'See the learner-permit list; it need not be issued twice.' } },
  'exams.licence_application_not_found': { status: 404, 'zh-CN': '未找到该初次申领申请', en: 'First application not found' },
  'exams.counter_cut_off_first': { status: 422, 'zh-CN': '预约截止前请考生在网上自行取消', en: 'Before the cut-off the candidate cancels online',
    next: { 'zh-CN': '请告知考生登录交管12123取消。', en: 'Ask the candidate to cancel in the app.' } },
});

/** SMS texts of this module (zh-CN, as the authorities send them), keyed by outbox template. */
export const smsTemplates: Record<string, (p: Record<string, unknown>) => string> = {
  'exams.applied': (p) =>
    `【交管12123】您已提交${p.examDate}${p.stationName}${p.subjectName}考试预约申请（受理号${p.reference}），当前排序第${p.rank}名，计划${p.seats}个名额。预约截止后按排序统一分配，结果以短信通知。`,
  'exams.allocated': (p) =>
    `【交管12123】您的${p.subjectName}考试预约成功：${p.examDate}${p.sessionName}，${p.stationName}，排序第${p.rank}名（计划${p.seats}个名额），预约凭证号${p.reference}。请携带身份证明按时参加考试。`,
  'exams.not_allocated': (p) =>
    `【交管12123】您${p.examDate}${p.stationName}${p.subjectName}考试预约未获分配：排序第${p.rank}名，计划${p.seats}个名额。您可预约其他考试计划，排序依据不变。`,
  'exams.reallocated': (p) =>
    `【交管12123】有考生取消预约，按排序递补：您的${p.subjectName}考试预约成功，${p.examDate}${p.sessionName}，${p.stationName}，排序第${p.rank}名（计划${p.seats}个名额），预约凭证号${p.reference}。如不能参加，请于考试前一日之前取消。`,
  'exams.permit_issued': (p) =>
    `【交管12123】您的学习驾驶证明（准驾车型${p.class}）已于${p.issuedOn}核发，有效期至${p.validUntil}。${p.subject2From}起可预约科目二，请在有效期内完成考试。`,
  'exams.cancelled': (p) => `【交管12123】您的${p.subjectName}考试预约（受理号${p.reference}，${p.examDate}）已取消。`,
  'exams.result': (p) => `【交管12123】您${p.examDate}的${p.subjectName}考试成绩：${p.resultName}。`,
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
