import type { CodesOf } from '../../core/errors.ts';
import { defineMessages } from '../../core/catalog.ts';
import { vehicleStateName } from '../../core/vehicle-states.ts';

/** Error texts of the inspections module (zh-CN first, en). */
export const messages = defineMessages({
  // citizens
  'inspections.vehicle_not_found': { status: 404, 'zh-CN': '未找到该机动车', en: 'Vehicle not found' },
  'inspections.vehicle_not_own': { status: 422, 'zh-CN': '只能为绑定的本人或本单位机动车预约检验', en: 'You can book an inspection only for a bound vehicle of your own or of your organisation',
    next: { 'zh-CN': '请由机动车所有人登录本人账号预约。', en: 'The vehicle’s owner can book it from their own account.' } },
  'inspections.vehicle_state_blocked': { status: 422, 'zh-CN': '机动车当前状态不能预约检验', en: 'The vehicle’s status does not allow an inspection booking',
    detail: (p, l) => l === 'zh-CN'
      ? `机动车处于“${vehicleStateName(String(p.state), l)}”状态，不能预约检验。请先到登记地公安机关交通管理部门处理，状态恢复正常后再预约。`
      : `The vehicle’s status is “${vehicleStateName(String(p.state), l)}”, so it cannot be booked for inspection. Settle this with the traffic-management office of its registration city first, then book.` },
  'inspections.validity_unknown': { status: 422, 'zh-CN': '该机动车没有检验有效期记录，请到检验机构现场办理', en: 'No inspection validity date is recorded for this vehicle; please go to a station in person' },
  'inspections.too_early': { status: 422, 'zh-CN': '检验有效期止三个月内才能预约检验', en: 'Booking opens three months before the inspection validity ends',
    detail: (p, l) => l === 'zh-CN'
      ? `检验有效期至${p.validUntil}，可于${p.opensOn}起预约，届时再来办理即可。`
      : `The inspection is valid until ${p.validUntil}; you can book from ${p.opensOn}.` },
  'inspections.city_not_offering': { status: 422, 'zh-CN': '该地市暂未提供机动车安全技术检验网上预约', en: 'This city does not offer online inspection booking',
    next: { 'zh-CN': '请直接到该地市的检验机构现场办理检验。', en: 'Please go to a station in that city in person.' } },
  'inspections.station_not_found': { status: 404, 'zh-CN': '未找到该检验机构', en: 'Inspection station not found' },
  'inspections.station_not_accepting': { status: 422, 'zh-CN': '该检验机构已暂停或取消预约服务', en: 'This station has suspended or ended its booking service',
    next: { 'zh-CN': '请选择其他检验机构。', en: 'Please choose another station.' } },
  'inspections.station_cannot_test': { status: 422, 'zh-CN': '该检验机构不能检验此类机动车', en: 'This station cannot test this kind of vehicle',
    detail: (p, l) => {
      const zh = l === 'zh-CN';
      const what = p.limit === 'axle_load'
        ? (zh ? `轴重${p.value}千克超过该机构上限${p.max}千克` : `Axle load ${p.value} kg exceeds the station’s limit of ${p.max} kg`)
        : p.limit === 'brake_type'
          ? (zh ? `该机构不能检验此制动种类（${p.value}）` : `The station cannot test this brake type (${p.value})`)
          : (zh ? `该机构不能检验此车辆类型（${p.value}）` : `The station cannot test this vehicle type (${p.value})`);
      return zh ? `${what}，请选择其他检验机构。` : `${what}; please choose another station.`;
    } },
  'inspections.cross_city_not_allowed': { status: 422, 'zh-CN': '只能在登记地或省内异地检验计划公布的检验机构预约', en: 'You can book in the registration city, or at stations listed in the province’s published cross-city plan',
    next: { 'zh-CN': '可在本省公布的异地检验计划中查看可以预约的检验机构。', en: 'The province’s published cross-city plan lists the stations you can book.' } },
  'inspections.slot_not_found': { status: 404, 'zh-CN': '未找到该预约时段', en: 'Time slot not found' },
  'inspections.slot_closed': { status: 422, 'zh-CN': '该时段因特殊情况暂停检验', en: 'This time slot is closed because of an exceptional event',
    next: { 'zh-CN': '请选择其他时段。', en: 'Please choose another time slot.' } },
  'inspections.slot_in_past': { status: 422, 'zh-CN': '只能预约明天及以后的时段', en: 'You can book slots from tomorrow onwards' },
  'inspections.slot_full': { status: 409, 'zh-CN': '该时段已约满，请选择其他时段', en: 'This time slot is fully booked; please choose another' },
  'inspections.cross_city_quota_full': { status: 409, 'zh-CN': '该时段的异地检验名额已约满，请选择其他时段', en: 'This slot’s places for vehicles from other cities are taken; please choose another' },
  'inspections.vehicle_already_booked': { status: 409, 'zh-CN': '该机动车已有未完成的检验预约', en: 'This vehicle already has an active inspection booking',
    next: { 'zh-CN': '如需更改时间或检验机构，请改约原预约，或取消后重新预约。', en: 'To change the time or station, move the existing booking, or cancel it and book again.' } },
  'inspections.booking_not_found': { status: 404, 'zh-CN': '未找到该预约', en: 'Booking not found' },
  'inspections.booking_not_active': { status: 409, 'zh-CN': '该预约已取消、变更或完成', en: 'This booking was already cancelled, moved or completed',
    next: { 'zh-CN': '请刷新页面查看预约的最新状态；如仍需检验，请重新预约。', en: 'Reload the page to see the booking’s status; if you still need an inspection, book again.' } },
  'inspections.cancel_too_late': { status: 422, 'zh-CN': '检验当日及以后不能网上取消预约', en: 'A booking can no longer be cancelled online on or after the inspection day',
    detail: (p, l) => l === 'zh-CN'
      ? `检验日期为${p.day}，检验当日及以后不能网上取消。如不能按时检验，请直接联系检验机构。`
      : `The inspection is on ${p.day}; from that day it cannot be cancelled online. If you cannot come, contact the station directly.` },
  'inspections.move_too_late': { status: 422, 'zh-CN': '检验当日及以后不能网上改约', en: 'A booking can no longer be moved online on or after the inspection day',
    detail: (p, l) => l === 'zh-CN' ? `检验日期为${p.day}，检验当日及以后不能网上变更预约时间或检验机构。` : `The inspection is on ${p.day}; from that day its time or station cannot be changed online.`,
    next: { 'zh-CN': '请按原预约时间到检验机构检验；如不能按时前往，请直接联系检验机构。', en: 'Go to the station at the booked time; if you cannot, contact the station directly.' } },
  'inspections.move_same_slot': { status: 422, 'zh-CN': '请选择其他时段', en: 'Choose a different time slot' },
  // stations and authorities
  'inspections.no_station': { status: 403, 'zh-CN': '您的账号未关联检验机构', en: 'Your account is not linked to an inspection station' },
  'inspections.not_city_staff': { status: 403, 'zh-CN': '此操作需由地市公安机关交通管理部门办理', en: 'This is done by a city traffic-management authority' },
  'inspections.not_province_staff': { status: 403, 'zh-CN': '此操作需由省级公安机关交通管理部门办理', en: 'This is done by the provincial traffic-management authority' },
  'inspections.schedule_invalid': { status: 422, 'zh-CN': '时段设置有误：时间格式、先后顺序、重叠或容量不正确', en: 'The time slots are invalid: format, order, overlap or capacity' },
  'inspections.range_invalid': { status: 422, 'zh-CN': '日期范围有误，一次最多发布92天', en: 'The date range is invalid; publish at most 92 days at once',
    next: { 'zh-CN': '请检查开始和结束日期后重试。', en: 'Check the start and end dates and try again.' } },
  'inspections.capacity_below_booked': { status: 409, 'zh-CN': '新容量少于已预约数，请选择取消或改约多出的预约', en: 'The new capacity is below the number booked; choose to cancel or move the excess bookings',
    detail: (p, l) => l === 'zh-CN' ? `已预约${p.booked}个，新容量${p.capacity}个` : `${p.booked} booked, new capacity ${p.capacity}` },
  'inspections.move_target_invalid': { status: 422, 'zh-CN': '改约的目标时段须为本站明天及以后开放、且有足够余量的时段', en: 'The target slot must be an open slot of this station from tomorrow on, with enough free places' },
  'inspections.slot_not_open': { status: 409, 'zh-CN': '该时段已关闭', en: 'This time slot is already closed' },
  'inspections.station_status_conflict': { status: 409, 'zh-CN': '检验机构当前状态不允许此操作', en: 'The station’s current status does not allow this' },
  // the station's day roster and reopening a slot (issue 18)
  'inspections.mark_too_early': { status: 422, 'zh-CN': '检验日之前不能记录到场或检验结果', en: 'Arrival and results can be recorded from the inspection day on',
    detail: (p, l) => l === 'zh-CN'
      ? `该预约的检验日期为${p.day}，请在当日车辆到场后再记录。`
      : `This booking is for ${p.day}; record it on that day, once the vehicle has arrived.` },
  'inspections.mark_not_allowed': { status: 409, 'zh-CN': '该预约当前的状态不能作此标记', en: 'This booking’s status does not allow this mark',
    detail: (p, l) => {
      const zh = l === 'zh-CN';
      const names: Record<string, [string, string]> = {
        arrived: ['已到场', 'arrived'], completed: ['检验完成', 'done'], no_show: ['未到检', 'no-show'], cancelled: ['已取消', 'cancelled'], moved: ['已改约', 'moved'],
      };
      const name = names[String(p.status)] ?? [String(p.status), String(p.status)];
      return zh ? `该预约已是“${name[0]}”。` : `The booking is already “${name[1]}”.`;
    },
    next: { 'zh-CN': '请刷新名册查看最新状态；已改约的车辆请按新的预约号接待。', en: 'Reload the roster to see its current status; a moved booking is served under its new code.' } },
  'inspections.slot_not_closed': { status: 409, 'zh-CN': '该时段没有被关闭，无需重新开放', en: 'This time slot is not closed, so there is nothing to reopen',
    next: { 'zh-CN': '请刷新时段列表查看最新状态。', en: 'Reload the slot list to see its current status.' } },
  'inspections.slot_day_passed': { status: 422, 'zh-CN': '该时段的日期已过，不能重新开放', en: 'This time slot’s day has passed; it cannot be reopened',
    detail: (p, l) => l === 'zh-CN' ? `时段日期为${p.day}。` : `The slot was on ${p.day}.`,
    next: { 'zh-CN': '如需接待更多车辆，请发布新的时段。', en: 'To take more vehicles, publish new slots.' } },
  'inspections.city_not_found': { status: 404, 'zh-CN': '未找到该地市', en: 'City not found' },
  'inspections.plan_not_found': { status: 404, 'zh-CN': '未找到该异地检验计划', en: 'Cross-city plan not found' },
  'inspections.plan_not_draft': { status: 409, 'zh-CN': '该计划已报备，不能修改', en: 'This plan was already filed and cannot be changed' },
  'inspections.plan_draft_exists': { status: 409, 'zh-CN': '本地市已有一份未报备的计划草稿', en: 'Your city already has a draft plan that was not filed' },
  'inspections.plan_empty': { status: 422, 'zh-CN': '计划至少要列出一个检验机构', en: 'The plan must list at least one station' },
  'inspections.plan_station_invalid': { status: 422, 'zh-CN': '计划只能列出本地市的检验机构，且每个机构只列一次', en: 'A plan lists only stations of your city, each once' },
  'inspections.nothing_to_publish': { status: 422, 'zh-CN': '还没有地市报备异地检验计划', en: 'No city has filed a cross-city plan yet' },
});

/**
 * SMS texts of this module (zh-CN, as the authorities send them), keyed by
 * outbox template. platform/outbox.ts renders only its own templates today:
 * until these are merged into its table, /dev/inbox shows the template name
 * and payload (which carries the booking code).
 */
export const smsTemplates: Record<string, (p: Record<string, unknown>) => string> = {
  'inspections.booked': (p) =>
    `【交管12123】您已成功预约${p.plateNo}于${p.day} ${p.startsAt}-${p.endsAt}到${p.stationName}进行机动车安全技术检验，预约号${p.code}。如需取消，请在检验日前办理。`,
  'inspections.cancelled': (p) => `【交管12123】您的机动车安全技术检验预约（预约号${p.code}，${p.plateNo}，${p.day} ${p.startsAt}）已取消。`,
  'inspections.moved': (p) =>
    `【交管12123】您的检验预约已改为${p.day} ${p.startsAt}-${p.endsAt}，${p.stationName}，新预约号${p.code}（原预约号${p.previousCode}已作废）。`,
  'inspections.slot_closed': (p) =>
    `【交管12123】因${p.reasonText}，${p.stationName}${p.day} ${p.startsAt}的检验暂停，您的预约（预约号${p.code}，${p.plateNo}）需改约。请登录交管12123改约至其他时段，或取消预约。`,
  'inspections.station_suspended': (p) =>
    `【交管12123】${p.stationName}已${p.action}预约服务，您的检验预约（预约号${p.code}，${p.plateNo}，${p.day} ${p.startsAt}）需改约。登录交管12123可一键改约至就近有空余的检验机构。`,
  'inspections.slot_reopened': (p) =>
    `【交管12123】${p.stationName}${p.day} ${p.startsAt}的检验时段已恢复，您的检验预约（预约号${p.code}，${p.plateNo}）继续有效，请按时到检。`,
  'inspections.station_resumed': (p) =>
    `【交管12123】${p.stationName}已恢复预约服务，您的检验预约（预约号${p.code}，${p.plateNo}，${p.day} ${p.startsAt}）继续有效。`,
  'inspections.moved_by_station': (p) =>
    `【交管12123】因检验机构调整容量，您的检验预约（预约号${p.code}，${p.plateNo}）改为${p.day} ${p.startsAt}-${p.endsAt}，${p.stationName}。如不方便，可在检验日前取消。`,
  'inspections.cancelled_by_station': (p) =>
    `【交管12123】因检验机构调整，您在${p.stationName}${p.day} ${p.startsAt}的检验预约（预约号${p.code}，${p.plateNo}）已取消，请重新预约。`,
};

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof messages> {}
}
