import { expect, it } from 'vitest';
import { formatAgo, formatDate, formatInstant } from './format.ts';

const now = new Date('2026-11-25T06:30:00Z'); // 14:30 in Beijing

it('shows instants in Beijing time, with the day when it is not today', () => {
  expect(formatInstant('2026-11-25T06:05:00Z', 'zh-CN', now)).toBe('14:05');
  expect(formatInstant('2026-11-25T06:05:00Z', 'en', now)).toBe('14:05');
  // 23:30 UTC on the 24th is already the 25th in Beijing.
  expect(formatInstant('2026-11-24T23:30:00Z', 'zh-CN', now)).toBe('07:30');
  expect(formatInstant('2026-11-24T06:05:00Z', 'zh-CN', now)).toBe('11月24日 14:05');
});

it('shows calendar dates as written', () => {
  expect(formatDate('2027-06-30')).toBe('2027-06-30');
  expect(formatDate('2027-06-29T16:00:00Z')).toBe('2027-06-30');
});

it('says how long ago', () => {
  expect(formatAgo('2026-11-25T06:25:00Z', 'zh-CN', now)).toBe('5分钟前');
  expect(formatAgo('2026-11-25T04:30:00Z', 'en', now)).toBe('2 hours ago');
});
