import { ViolationCreate, ViolationList, ViolationShow } from './ViolationViews.tsx';

/** 交通违法记录 (violations): 受理岗 enters, imports and reviews camera records; each opens as its electronic case file. */
export default { list: ViolationList, show: ViolationShow, create: ViolationCreate, options: { label: 'violations.menu' } };
