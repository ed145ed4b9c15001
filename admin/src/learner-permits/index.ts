import { LearnerPermitCreate, LearnerPermitList, LearnerPermitShow } from './LearnerPermitViews.tsx';

/** 学习驾驶证明 (learner-permits): 受理岗 issues one after an accepted first application; 管理岗 reads (X-4.4.1, X-4.4.3, X-4.4.4; ADR-039). */
export default { list: LearnerPermitList, show: LearnerPermitShow, create: LearnerPermitCreate, options: { label: 'exams.resources.learner-permits' } };
