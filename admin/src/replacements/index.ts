import { ReplacementList } from './ReplacementList.tsx';
import { ReplacementShow } from './ReplacementShow.tsx';

/** 补换领业务 (replacements): 受理岗 and 档案岗 queues, list + show with the named steps of R-29. */
export default {
  list: ReplacementList,
  show: ReplacementShow,
  options: { label: 'replacements.menu' },
};
