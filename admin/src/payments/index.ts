import { OrderList, OrderShow } from './OrderViews.tsx';

/** 缴费订单 (payment-orders): 管理岗 reads the orders of the city and refunds a paid one with a reason (issue 21, ADR-035). */
export default { list: OrderList, show: OrderShow, options: { label: 'payments.resources.payment-orders' } };
