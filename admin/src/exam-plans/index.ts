import { ExamPlanCreate, ExamPlanList, ExamPlanShow } from './ExamPlanViews.tsx';

/** 考试计划 (exam-plans): the exam station publishes plans ≥ 10 days ahead; 管理岗 reads. */
export default { list: ExamPlanList, show: ExamPlanShow, create: ExamPlanCreate, options: { label: 'exams.resources.exam-plans' } };
