import { QualificationCreate, QualificationList, QualificationShow } from './Qualifications.tsx';

/** 医疗机构受委托资格 (medical-qualifications): institutions apply and renew, 管理岗 reviews and revokes (X-4.3.1, PD-12). */
export const medicalQualifications = { list: QualificationList, show: QualificationShow, create: QualificationCreate, options: { label: 'medical.qualification.menu' } };
