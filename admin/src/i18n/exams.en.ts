import type { examsZhCN } from './exams.zh-CN.ts';

/** Exam booking (issue 20, X-4.4, ADR-032/033), English. */
export const examsEn: typeof examsZhCN = {
  resources: { 'exam-plans': 'Exam plans', 'exam-allocations': 'Exam allocations', 'exam-results': 'Candidates and results' },
  field: {
    plan: 'Plan', station: 'Exam centre', seats: 'Seats', applicants: 'Applications', status: 'Status', closesAt: 'Applications close', anomalies: 'Anomalies', subject: 'Subject',
    classes: 'Classes', examDate: 'Exam day', session: 'Session', digest: 'Allocation digest', check: 'Check', allocated: 'Allocated', reference: 'Reference', person: 'Candidate',
    idNumber: 'ID number', phone: 'Phone', rank: 'Rank', rankKey: 'Rank basis', result: 'Result', first: 'Result', retake: 'Retake',
  },
  subject: { s1: 'Subject 1', s2: 'Subject 2', s3: 'Subject 3' },
  session: { am: 'morning', pm: 'afternoon' },
  planStatus: { open: 'Collecting', allocated: 'Allocated', cancelled: 'Cancelled' },
  status: { applied: 'Queued', allocated: 'Allocated', not_allocated: 'Not allocated', cancelled: 'Cancelled', passed: 'Passed', failed: 'Failed', absent: 'Absent' },
  keyKind: { accepted: 'application accepted', last_exam: 'last exam', cancelled: 'own cancellation', no_show: 'no-show' },
  anomaly: { allocation_overdue: 'not allocated after the cut-off', no_applicants: 'no applicants', seats_left: 'seats left' },
  outcome: { pass: 'Pass', fail: 'Fail (retake)', absent: 'Absent' },
  retake: { pass: 'Retake passed', fail: 'Retake failed', skipped: 'Retake skipped' },
  publish: 'Publish an exam plan',
  publishHint: 'At least ten days ahead; after the cut-off the platform allocates by rank.',
  extended: 'seats left, open until the 3rd day before',
  checkOk: 'Checked: ranking the stored keys again gives the same result and digest',
  checkBad: 'The check differs; tell the system administrator',
  recordResult: 'Enter the result',
  resultRecorded: 'Result entered; the candidate was sent an SMS',
  counterCancel: 'Cancel at the counter',
  cancelledAtCounter: 'Cancelled at the counter; the candidate was sent an SMS',
  confirm: { cancel_title: 'Cancel exam booking %{reference}?', cancel: 'Check the candidate’s ID first. The seat is not allocated again, and the candidate’s rank basis becomes the time of this cancellation. This cannot be undone.' },
};
