import { ExamResultList, ExamResultShow } from './ExamResultViews.tsx';

/** 考生名单与成绩 (exam-results): the station enters results; 受理岗 cancels at the counter after the cut-off; 管理岗 reads. */
export default { list: ExamResultList, show: ExamResultShow, options: { label: 'exams.resources.exam-results' } };
