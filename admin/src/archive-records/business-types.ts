/** The business types of the electronic archive (ADR-036), in menu order. */
export const BUSINESS_TYPES = [
  'account_registration', 'account_change', 'account_binding', 'plate_registration', 'replacement', 'temp_plate_stock', 'temp_plate_issuance',
  'inspection_booking', 'licence_service', 'medical_certificate', 'medical_qualification', 'exam', 'violation', 'payment',
] as const;

/** The paper file's checklist of each business (as the bff's rules.ts; the bff decides). */
export const REQUIRED_DOCUMENTS: Record<string, readonly string[]> = {
  account_registration: ['application_form_original', 'identity_document_copy'],
  account_registration_organisation: ['application_form_original', 'organisation_certificate_copy', 'letter_of_authorisation_original', 'agent_identity_document_copy'],
  plate_registration: ['registration_form_original', 'identity_document_copy', 'vehicle_invoice_copy', 'insurance_certificate_copy'],
  temp_plate_stock: ['organisation_certificate_copy', 'letter_of_authorisation_original', 'collector_identity_document_copy'],
  default: ['application_form_original', 'identity_document_copy'],
};
