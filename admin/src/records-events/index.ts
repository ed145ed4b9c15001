import { RecordsEventCreate, RecordsEventList } from './RecordsEventViews.tsx';

/** 机动车/驾驶证业务记录 (records-events): events that unbind automatically. */
export default { list: RecordsEventList, create: RecordsEventCreate, options: { label: 'accounts.resources.records-events' } };
