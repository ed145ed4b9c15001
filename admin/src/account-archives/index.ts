import { ArchiveList, ArchiveShow } from './ArchiveViews.tsx';

/** 档案 (account-archives): 档案岗 checks, organises, binds and archives registrations (R-12.3/12.4, R-13.2/13.3). */
export default { list: ArchiveList, show: ArchiveShow, options: { label: 'accounts.resources.account-archives' } };
