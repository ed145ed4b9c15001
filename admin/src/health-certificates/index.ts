import { CertificateCreate, CertificateList, CertificateShow } from './Certificates.tsx';

/** 身体条件证明 (health-certificates): the entrusted institution uploads; 管理岗 and 受理岗 read. */
export const healthCertificates = { list: CertificateList, show: CertificateShow, create: CertificateCreate, options: { label: 'medical.certificate.menu' } };
