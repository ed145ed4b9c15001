import { ObjectionList, ObjectionShow } from './ObjectionViews.tsx';

/** 异议与消除申请 (violation-objections): 管理岗 decides within five (three) working days. */
export default { list: ObjectionList, show: ObjectionShow, options: { label: 'violations.objections_menu' } };
