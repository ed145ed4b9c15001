/**
 * Issue 20 — driving-test booking by rank (第四章第四节, X-4.4, PD-13).
 * The demo block of db/migrations/0018_exam_booking.sql, appended to
 * demo.sql by generate.ts (one call). Deterministic: fixed ids, dates and
 * names; identity numbers from the generator's own builder.
 *
 *   - 深圳市机动车驾驶人考试中心 (exam station), bound to the operator exam.szks.
 *   - Plans (published 2026-11-20): 科目一 2026-12-28; 科目二 2027-03-15 am, 20 seats
 *     (the e2e plan); 科目二 2027-04-01 am, 30 seats; 科目三 2027-03-20 pm, 20 seats.
 *     Each with its allocation job at the cut-off (00:00 of the 5th day before).
 *   - 邱志远 (19866010001, online 学员): C1 permit issued 2026-09-01, 科目一 passed
 *     2026-10-10 — past the waiting period; rank key = that exam (2026-10-10 08:30).
 *   - 温嘉怡 (19866010002, counter-registered 学员): C1 permit issued 2027-02-20,
 *     科目一 passed 2027-02-25 — inside the 10-day wait for 科目二 until 2027-03-02
 *     (the e2e story moves the shared clock there).
 *   - 20 competing applications for the e2e plan, by learners of a driving school
 *     (no online account): two with earlier keys than 邱志远's, eighteen later —
 *     so he is rank 3 of 20 seats.
 */

type SqlValue = string | number | boolean | null | { raw: string };
export type ExamsSeedKit = {
  insert: (table: string, columns: string[], rows: { values: SqlValue[]; comment?: string }[]) => string;
  citizenPasswordHash: string;
  makeIdNumber: (region: string, birth: string, sex: 'M' | 'F', seq?: number) => string;
  reservePhone: (p: string) => string;
  personId: (n: number) => string;
  accountId: (n: number) => string;
  examOperatorId: string;
};

const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const examIds = {
  station: id('e1', 1),
  permit: (n: number) => id('e2', n),
  plan: (n: number) => id('e3', n),
  application: (n: number) => id('e4', n),
  licenceApplication: (n: number) => id('e5', n),
};

/** 00:00 Asia/Shanghai of the 5th day before, as the literal the loader reads. */
function cutOff(examDate: string): string {
  const d = new Date(`${examDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 5);
  return `${d.toISOString().slice(0, 10)} 00:00:00+08`;
}

export function examsSeed(k: ExamsSeedKit): string {
  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 20: driving-test booking by rank (needs db/migrations/0018_exam_booking.sql)',
    '-- ---------------------------------------------------------------------------', ''];
  const PUBLISHED = '2026-11-20 09:00:00+08';

  out.push('-- the exam station, and its operator exam.szks bound to it');
  out.push(k.insert('exam_station', ['id', 'name', 'authority_id', 'address', 'phone', 'subjects_2_and_3_together', 'status', 'created_at'], [
    { values: [examIds.station, '深圳市机动车驾驶人考试中心', '440300', '广东省深圳市龙岗区坪地街道龙岗大道坪地段1号', '0755-28400000', false, 'active', '2026-01-05 09:00:00+08'] },
  ]));
  out.push(`UPDATE staff_member SET exam_station_id = '${examIds.station}' WHERE id = '${k.examOperatorId}';\n`);

  const plans = [
    { n: 1, subject: 1, classes: '{C1,C2}', date: '2026-12-28', session: 'am', seats: 50, note: '科目一' },
    { n: 2, subject: 2, classes: '{C1,C2}', date: '2027-03-15', session: 'am', seats: 20, note: '科目二 — the e2e plan' },
    { n: 3, subject: 2, classes: '{C1,C2}', date: '2027-04-01', session: 'am', seats: 30, note: '科目二 — the next one' },
    { n: 4, subject: 3, classes: '{C1,C2}', date: '2027-03-20', session: 'pm', seats: 20, note: '科目三' },
  ];
  out.push('-- X-4.4.7: plans published ≥ 10 days ahead; collection ends at 00:00 of the 5th day before');
  out.push(k.insert('exam_plan', ['id', 'station_id', 'authority_id', 'subject', 'classes', 'exam_date', 'session', 'seats', 'status', 'closes_at', 'extended', 'published_at', 'published_by'],
    plans.map((p) => ({ values: [examIds.plan(p.n), examIds.station, '440300', p.subject, p.classes, p.date, p.session, p.seats, 'open', cutOff(p.date), false, PUBLISHED, k.examOperatorId], comment: p.note }))));
  out.push('-- ADR-033: each plan\'s one batch, a durable job at its cut-off');
  out.push(k.insert('job', ['kind', 'payload', 'run_at', 'dedupe_key', 'max_attempts', 'created_at'],
    plans.map((p) => ({ values: ['exams.allocate', `{"planId":"${examIds.plan(p.n)}"}`, cutOff(p.date), examIds.plan(p.n), 20, PUBLISHED] }))));

  // learners: the two of the story, then twenty of a driving school
  const learners = [
    { n: 1801, name: '邱志远', sex: 'M' as const, region: '440307', birth: '1998-03-14', phone: '19866010001', channel: 'online', accepted: '2026-09-01 10:00:00+08', issued: '2026-09-01', s1: '2026-10-10', note: 'past the waiting period' },
    { n: 1802, name: '温嘉怡', sex: 'F' as const, region: '440304', birth: '2003-07-22', phone: '19866010002', channel: 'counter', accepted: '2026-11-24 10:00:00+08', issued: '2027-02-20', s1: '2027-02-25', note: 'inside the 10-day wait for 科目二 until 2027-03-02' },
  ];
  const SCHOOL = ['龚海波', '莫晓丹', '谭振宇', '甘丽萍', '韦国强', '尹思远', '邵雨桐', '姚建新', '柯美华', '乔宏伟', '沈佳怡', '严俊杰', '熊秀兰', '孔令辉', '詹晓彤', '常志勇', '欧阳婉', '薛东升', '顾晨曦', '阎立群'];
  const competitors = SCHOOL.map((name, i) => {
    // keys: two before 邱志远's (2026-10-10 08:30), eighteen after
    const early = i < 2;
    const s1 = early ? `2026-10-0${3 + i}` : `2026-10-${String(11 + i).padStart(2, '0')}`;
    return { n: 1803 + i, name, sex: (i % 2 === 0 ? 'M' : 'F') as 'M' | 'F', region: ['440303', '440304', '440305', '440306', '440307'][i % 5]!,
      birth: `${1990 + (i % 12)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(5 + i).padStart(2, '0')}`,
      phone: `198660110${String(i).padStart(2, '0')}`, accepted: `2026-08-${String(10 + i).padStart(2, '0')} 10:00:00+08`, issued: `2026-08-${String(10 + i).padStart(2, '0')}`, s1 };
  });
  const all = [...learners.map((l) => ({ ...l })), ...competitors.map((c) => ({ ...c, channel: null as string | null, note: '驾校学员' }))];
  const people = all.map((l) => ({ ...l, idNumber: k.makeIdNumber(l.region, l.birth, l.sex), phone: k.reservePhone(l.phone) }));

  out.push('-- 学员: new persons (the story\'s two, and twenty of a driving school)');
  out.push(k.insert('person', ['id', 'id_type', 'id_number', 'name', 'sex', 'birth_date', 'address', 'phone'],
    people.map((p) => ({ values: [k.personId(p.n), 'resident_id', p.idNumber, p.name, p.sex, p.birth, `广东省深圳市龙岗区龙城街道清林路${p.n - 1700}号`, p.phone], comment: p.note }))));
  out.push('-- R-7.1 / X-4.4.1: accepted first-licence applications (初次申领, C1)');
  out.push(k.insert('licence_application', ['id', 'person_id', 'kind', 'classes', 'phone', 'status', 'authority_id', 'accepted_at'],
    people.map((p) => ({ values: [examIds.licenceApplication(p.n), k.personId(p.n), 'first_licence', 'C1', p.phone, 'accepted', '440300', p.accepted], comment: p.name }))));
  out.push('-- the story\'s two learners have accounts (学员, Demo#2026pass)');
  out.push(k.insert('user_account', ['id', 'kind', 'personal_type', 'registration_channel', 'person_id', 'organisation_id', 'phone', 'email',
    'postal_address', 'postcode', 'password_hash', 'status', 'authority_id', 'created_at'],
  people.filter((p) => p.channel).map((p) => ({ values: [k.accountId(p.n), 'personal', 'learner', p.channel!, k.personId(p.n), null, p.phone, null, null, null,
    k.citizenPasswordHash, 'active', p.channel === 'counter' ? '440300' : null, p.accepted], comment: p.name }))));
  out.push('-- 学习驾驶证明: issued with the application, valid three years (X-4.4.4); 科目一 passed');
  const examAt = (day: string) => `${day} 08:30:00+08`;
  out.push(k.insert('learner_permit', ['id', 'person_id', 'kind', 'licence_application_id', 'class', 'authority_id', 'issued_on', 'valid_until', 'accepted_at',
    'subject1_passed_on', 'last_exam_at', 'exam_station_id', 'status', 'updated_at'],
  people.map((p) => {
    const [y, m, d] = p.issued.split('-').map(Number) as [number, number, number];
    const until = new Date(Date.UTC(y + 3, m - 1, d - 1)).toISOString().slice(0, 10);
    return { values: [examIds.permit(p.n), k.personId(p.n), 'first_licence', examIds.licenceApplication(p.n), 'C1', '440300', p.issued, until, p.accepted,
      p.s1, examAt(p.s1), examIds.station, 'active', examAt(p.s1)], comment: p.name };
  })));
  // ADR-039: a learner whose first application is accepted and whose permit 受理岗 issues in the console (the e2e story)
  const jiang = { n: 1823, name: '蒋立新', sex: 'M' as const, region: '440307', birth: '2001-05-18', phone: k.reservePhone('19866012001') };
  out.push('-- ADR-039: 蒋立新, first application accepted, learner permit not yet issued (受理岗 issues it in the console)');
  out.push(k.insert('person', ['id', 'id_type', 'id_number', 'name', 'sex', 'birth_date', 'address', 'phone'],
    [{ values: [k.personId(jiang.n), 'resident_id', k.makeIdNumber(jiang.region, jiang.birth, jiang.sex, 123) /* a fixed sequence: draws nothing from the generator's random stream */, jiang.name, jiang.sex, jiang.birth, '广东省深圳市龙岗区龙城街道清林路123号', jiang.phone] }]));
  out.push(k.insert('licence_application', ['id', 'person_id', 'kind', 'classes', 'phone', 'status', 'authority_id', 'accepted_at'],
    [{ values: [examIds.licenceApplication(jiang.n), k.personId(jiang.n), 'first_licence', 'C1', jiang.phone, 'accepted', '440300', '2026-11-23 15:00:00+08'], comment: jiang.name }]));
  out.push('-- X-4.4.8: twenty applications collecting for the e2e plan (科目二 2027-03-15), each with its permit\'s key (the last exam)');
  out.push(k.insert('exam_application', ['id', 'reference', 'plan_id', 'permit_id', 'user_account_id', 'subject', 'status', 'rank_key_at', 'rank_key_kind', 'applied_at'],
    competitors.map((c, i) => ({ values: [examIds.application(c.n), `EX20270315S${String(i + 1).padStart(5, '0')}`, examIds.plan(2), examIds.permit(c.n), null, 2, 'applied',
      examAt(c.s1), 'last_exam', `2026-11-2${i % 5} 1${i % 10}:00:00+08`], comment: c.name }))));
  return out.join('\n');
}
