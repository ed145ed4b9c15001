import { CertificateCreate, CertificateList, TransferCreate, TransferList } from './TransferViews.tsx';
import { PaperFileCreate, PaperFileLabelPage, PaperFileList, PaperFileShow } from './PaperFileViews.tsx';

/** 纸质档案: check-in, place, loans and returns, the label with its QR code. */
export const paperFiles = { list: PaperFileList, show: PaperFileShow, create: PaperFileCreate, options: { label: 'archives.resources.paper-files' } };
export { PaperFileLabelPage };
/** 档案移交 between cities, both sides confirming (ADR-037). */
export const paperFileTransfers = { list: TransferList, create: TransferCreate, options: { label: 'archives.resources.paper-file-transfers' } };
/** 交回证件. */
export const returnedCertificates = { list: CertificateList, create: CertificateCreate, options: { label: 'archives.resources.returned-certificates' } };
