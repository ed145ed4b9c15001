import { RecordList, RecordShow } from './RecordViews.tsx';
import { ChainList, DestructionList } from './ChainViews.tsx';
import { RetentionEdit, RetentionList } from './RetentionViews.tsx';

/** 电子档案: search and read the city's case records; every view is logged for the citizen (ADR-024). */
export const archiveRecords = { list: RecordList, show: RecordShow, options: { label: 'archives.resources.archive-records' } };
/** 档案校验: the digest chains verified (ADR-036). */
export const archiveChains = { list: ChainList, options: { label: 'archives.resources.archive-chains' } };
/** 档案销毁计划 (ADR-036). */
export const archiveDestructions = { list: DestructionList, options: { label: 'archives.resources.archive-destructions' } };
/** 档案保管期限: retention per business type, 管理岗 sets it (X-6.3, ADR-036). */
export const archiveRetention = { list: RetentionList, edit: RetentionEdit, options: { label: 'archives.resources.archive-retention' } };
