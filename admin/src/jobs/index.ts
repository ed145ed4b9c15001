import { JobList } from './JobList.tsx';

/** 后台任务 (jobs): list only; system_admin. */
export default {
  list: JobList,
};
