import { OutboxList } from './OutboxList.tsx';
import { OutboxShow } from './OutboxShow.tsx';

/** 消息发件箱 (outbox): list + show; system_admin, intake and review. */
export default {
  list: OutboxList,
  show: OutboxShow,
};
