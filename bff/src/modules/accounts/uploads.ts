import { FILE_TYPES, IMAGE_TYPES, type UploadKind } from '../../platform/uploads/kinds.ts';
import type { UploadPurpose } from './rules.ts';

/**
 * The files of chapter 2 in the upload store (ADR-021): what 受理岗 scans at
 * the counter and the citizen's certificate photo
 * which must be an image.
 */
export const accountUploadKinds = {
  onsite_photo: { types: FILE_TYPES, description: '现场照片 on-site photo of the applicant or agent' },
  application_form: { types: FILE_TYPES, description: '申请表 signed application form' },
  identity_document: { types: FILE_TYPES, description: '身份证明 applicant’s identity document' },
  owner_identity_document: { types: FILE_TYPES, description: 'identity document of the owner of a vehicle not owned' },
  vehicle_licence: { types: FILE_TYPES, description: '行驶证 of a vehicle not owned' },
  organisation_certificate: { types: FILE_TYPES, description: 'organisation’s certificate (统一社会信用代码)' },
  letter_of_authorisation: { types: FILE_TYPES, description: '授权委托书 letter of authorisation' },
  agent_identity_document: { types: FILE_TYPES, description: 'agent’s identity document' },
  certificate_photo: { types: IMAGE_TYPES, description: '驾驶证证件专用电子照片 certificate photo (image only)' },
} as const satisfies Record<UploadPurpose, UploadKind>;
