import type { violationsZhCN } from './violations.zh-CN.ts';

/** Traffic violations (issue 21): the console's words, en. */
export const violationsEn: typeof violationsZhCN = {
  menu: 'Traffic violations', objections_menu: 'Objections and exemptions', title: 'Traffic violations', enter: 'Enter a camera record', objections: 'Objections and exemptions',
  fields: {
    status: 'Status', q: 'Plate / record number', flagged: 'Non-owner handling flagged', reviewDueAt: 'Review by', notifyDueAt: 'Notify by', reference: 'Record number', plateNo: 'Plate',
    occurredAt: 'Time', place: 'Place', act: 'Offence', actCode: 'Offence code', fine: 'Fine', fineYuan: 'Fine (yuan)', points: 'Points', ownerPhone: 'Owner’s phone',
    source: 'Source', deviceNo: 'Camera number', owner: 'Owner', clearedReason: 'Reason cleared / voided', decisionNo: 'Decision number', holder: 'Penalised person', decisionStatus: 'Decision status',
    paid: 'Payment', lateFee: 'late fee', at: 'Time', action: 'Action', actor: 'By', change: 'Change', note: 'Note', dueAt: 'Decide by', kind: 'Kind', ground: 'Reason',
    applicant: 'Applicant', submittedAt: 'Submitted', statement: 'Statement', caseFile: 'Case file',
  },
  status: { pending_review: 'awaiting review', open: 'notified, not handled', objected: 'under objection', handling: 'awaiting payment', handled: 'handled', cleared: 'cleared', rejected: 'void' },
  source: { camera: 'traffic camera', onsite: 'on-site ticket' },
  decision_status: { awaiting_payment: 'awaiting payment', paid: 'paid' },
  objection_status: { pending: 'to decide', upheld: 'upheld', dismissed: 'dismissed' },
  objection_kind: { objection: 'objection (5 working days)', exemption: 'exemption (3 working days)' },
  ground: { not_my_vehicle: 'not my vehicle', wrong_plate: 'plate misread or cloned', stolen_plate: 'plate stolen', emergency_vehicle: 'emergency mission', facts_wrong: 'facts wrong', other: 'other' },
  photos: 'Photos', photo_alt: 'Camera photo %{n}', decision: 'Penalty decision and payment', messages: 'SMS sent', trail: 'Trail', steps: 'Steps', decide: 'Decide',
  flag: 'Flagged: %{reason}',
  step: { review: 'Approve and notify the owner', reject: 'Void', clear: 'Clear (exemption)', uphold: 'Uphold (clear the record)', dismiss: 'Dismiss' },
  confirm: {
    title: 'Do this for %{reference}?',
    review: 'The record takes effect and the owner is told by SMS; they can handle it online or object.',
    reject: 'The record is voided and the owner is not told. This cannot be undone.',
    clear: 'The record is cleared and not penalised. This cannot be undone.',
    uphold: 'The objection is upheld, the record is cleared and the applicant told by SMS. This cannot be undone.',
    dismiss: 'The objection is dismissed, the record is open for handling again and the applicant told why by SMS. This cannot be undone.',
  },
  done: 'Done', imported: '%{count} records imported',
  import: 'Import camera records (CSV)', import_label: 'CSV text', import_button: 'Import',
  import_help: 'First line is the header: plate_no,occurred_at,place,act_code,act,fine_yuan,points,device_no,captured_at. Times as YYYY-MM-DD HH:MM (Beijing time), fines in yuan with at most two decimals. If any line cannot be imported, none is.',
  plate_format: 'Enter a plate number, e.g. 粤B12345', act_code_format: 'An offence code has 4 or 5 digits',
};
