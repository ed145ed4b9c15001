import { ExamPlanShow } from '../exam-plans/ExamPlanViews.tsx';
import { ExamAllocationList } from './AllocationViews.tsx';

/** 分配结果 (exam-allocations): 管理岗 sees each plan's batch, its digest and check, and the anomalies (ADR-033). */
export default { list: ExamAllocationList, show: ExamPlanShow, options: { label: 'exams.resources.exam-allocations' } };
