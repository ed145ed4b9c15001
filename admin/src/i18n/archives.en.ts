import type { archivesZhCN } from './archives.zh-CN.ts';

/** Chapter 6, archives (X-6, issue 22): English. */
export const archivesEn: typeof archivesZhCN = {
  resources: {
    'archive-records': 'Electronic archive', 'archive-chains': 'Archive verification', 'archive-destructions': 'Destruction schedule', 'archive-retention': 'Retention periods',
    'paper-files': 'Paper files', 'paper-file-transfers': 'File transfers', 'returned-certificates': 'Returned certificates',
  },
  business_type: {
    account_registration: 'Registration', account_change: 'Account change', account_binding: 'Binding', plate_preselection: 'Plate preselection', plate_registration: 'Plate registration',
    replacement: 'Replacement', temp_plate_stock: 'Temporary-plate stock', temp_plate_issuance: 'Temporary plate', inspection_booking: 'Inspection booking',
    licence_service: 'Licence service', exam: 'Exam', violation: 'Violation', payment: 'Payment', medical_certificate: 'Health certificate', medical_qualification: 'Medical institution entrustment', default: 'Other',
  },
  retention: { permanent: 'Permanent', years: '%{n} years', help: 'Whole years; leave empty to keep permanently. Records already archived keep the date they were given.' },
  field: {
    updatedAt: 'Updated',
    caseRef: 'Reference', businessType: 'Business', version: 'Version', authorityName: 'Held by', personIdNumberMasked: 'ID number', personNameMasked: 'Name',
    plateNo: 'Plate', licenceNo: 'Licence', finishedAt: 'Finished', archivedAt: 'Archived', retainUntil: 'Kept until', status: 'Status', files: 'Scans', digest: 'Digest',
    idNumber: 'ID number (in full)', q: 'Reference / plate', from: 'Finished from', to: 'Finished to', data: 'Application data', trail: 'Review trail', messages: 'SMS and post',
    documents: 'Scans', versions: 'Versions', paperFile: 'Paper file', chain: 'Chain', records: 'Records', ok: 'Result', brokenAt: 'First fault',
    years: 'Years', note: 'Note', proposedAt: 'Proposed', decidedBy: 'Decided by', decidedAt: 'Decided',
    fileNo: 'File no.', location: 'Place', room: 'Room', cabinet: 'Cabinet', shelf: 'Shelf', box: 'Box', bound: 'Bound', checkedInAt: 'Checked in', checkedInBy: 'Checked in by',
    loan: 'Loan', borrower: 'Borrower', reason: 'Reason', dueBack: 'Due back', lentAt: 'Lent', overdue: 'Overdue', checkedDocuments: 'Documents checked', event: 'Event', by: 'By', at: 'When', city: 'City',
    toAuthorityId: 'To city', fromName: 'From', toName: 'To', sentAt: 'Sent', certificate: 'Certificate', serial: 'Serial', action: 'Action',
  },
  status: { kept: 'Kept', destroyed: 'Destroyed', on_shelf: 'On shelf', on_loan: 'On loan', in_transfer: 'In transfer', proposed: 'To decide', approved: 'Destroyed', sent: 'Sent', received: 'Received', refused: 'Refused' },
  event: {
    checked_in: 'Checked in', bound: 'Bound', moved: 'Moved', lent: 'Lent', returned: 'Returned', transfer_sent: 'Sent away', transfer_received: 'Received', transfer_refused: 'Refused',
    certificate_destroyed: 'Returned certificate destroyed', core_restored: 'Core number restored', case_withdrawn: 'Case withdrawn',
  },
  document: {
    application_form_original: 'Application form (original)', identity_document_copy: 'ID document (copy)', organisation_certificate_copy: 'Organisation certificate (copy)',
    letter_of_authorisation_original: 'Letter of authorisation (original)', agent_identity_document_copy: 'Agent’s ID (copy)', registration_form_original: 'Registration form (original)',
    vehicle_invoice_copy: 'Purchase invoice (copy)', insurance_certificate_copy: 'Insurance certificate (copy)', collector_identity_document_copy: 'Collector’s ID (copy)',
  },
  reason: { sequence_gap: 'Missing number', link_broken: 'Broken link', content_changed: 'Content changed', file_changed: 'Scan changed', digest_changed: 'Digest changed', head_mismatch: 'Head mismatch' },
  record: {
    print: 'Print record', print_heading: 'Case record', content_ok: 'Content matches its digest', content_bad: 'Content does not match its digest: the record may have been tampered with', destroyed_note: 'This record was destroyed at the end of its retention; only its tombstone and digest are kept.',
    no_paper: 'No paper file checked in yet', check_in: 'Check in the paper file', viewed_note: 'This view is recorded; the citizen sees it in “who viewed my data” (post and city only).',
  },
  chain: { ok: 'Intact', broken: 'Broken' },
  destruction: {
    approve: 'Destroy', keep: 'Keep', approved: 'Destroyed; the tombstone is kept', kept: 'Kept',
    approve_title: 'Destroy this record?', approve_consequence: 'The record of %{caseRef} and its scans are deleted; only the tombstone and digest remain. This cannot be undone.',
    keep_title: 'Keep this record?', keep_consequence: 'The record of %{caseRef} is kept and proposed again in a year.',
  },
  paper: {
    check_in: 'Check in', checked_in: 'Checked in; file number assigned', checklist: 'Documents (all required)', lend: 'Lend', lent: 'Lent', give_back: 'Return', returned: 'Returned',
    move: 'Move', moved: 'Moved', label: 'Print label', label_heading: 'File label', label_help: 'Scan the QR code with a phone or scanner to open this file’s page.', history: 'History',
    lend_title: 'Lend this file?', lend_consequence: 'File %{fileNo} goes to the chosen member; if not back in time it is listed as overdue.',
    return_title: 'Record the return?', return_consequence: 'File %{fileNo} goes back to %{location}.', overdue_only: 'Overdue only', print: 'Print',
    due_help: 'Empty: 5 working days', bind: 'Bind',
  },
  transfer: {
    send: 'Send files', receive: 'Confirm receipt', refuse: 'Refuse', received_done: 'Received and shelved', refused_done: 'Refused; the files go back',
    refuse_title: 'Refuse these files?', refuse_consequence: 'The files go back to their places in %{from}.', refuse_reason: 'refused by the receiving city', id_help: 'ID numbers are 6–30 letters or digits',
  },
  certificate: { plate: 'Plate', vehicle_licence: 'Vehicle licence', driving_licence: 'Driving licence', inspection_sticker: 'Inspection sticker', temp_plate: 'Temporary plate' },
  certificate_action: { destroyed: 'Destroyed', core_restored: 'Core number restored', case_withdrawn: 'Withdrawn' },
};
