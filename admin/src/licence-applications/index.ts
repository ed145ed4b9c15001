import { LicenceApplicationList } from './LicenceApplicationList.tsx';

/** 初次申领驾驶证 (licence-applications): accepted applications; recording the issuance converts learners. */
export default { list: LicenceApplicationList, options: { label: 'accounts.resources.licence-applications' } };
