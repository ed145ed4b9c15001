import { describe, expect, it } from 'vitest';
import { commandRequest, commandsFor, defaultQueue } from './statuses.ts';

describe('replacement steps offered to each post', () => {
  it('R-29.1 受理岗 sees the intake steps the lifecycle allows', () => {
    expect(commandsFor(['intake'], ['accept', 'reject'])).toEqual(['accept', 'reject']);
    expect(commandsFor(['intake'], ['archive', 'send'])).toEqual(['send']);
  });
  it('R-29.2 档案岗 sees only filing, destruction and closing', () => {
    expect(commandsFor(['archive'], ['accept', 'archive', 'withdraw'])).toEqual(['archive', 'withdraw']);
  });
  it('管理岗 only reads', () => {
    expect(commandsFor(['review'], ['accept', 'archive'])).toEqual([]);
  });
  it('receipts go to one named command with the outcome', () => {
    expect(commandRequest('refuse')).toEqual({ action: 'record-receipt', body: { outcome: 'refused' } });
    expect(commandRequest('pick_up')).toEqual({ action: 'record-receipt', body: { outcome: 'picked_up' } });
    expect(commandRequest('destroy_old_item')).toEqual({ action: 'destroy-old-item', body: {} });
    expect(commandRequest('restore_core_number')).toEqual({ action: 'restore-core-number', body: {} });
  });
  it('档案岗 opens its own queue first', () => {
    expect(defaultQueue(['archive'])).toBe('archive');
    expect(defaultQueue(['intake', 'archive'])).toBe('intake');
    expect(defaultQueue(['review'])).toBe('intake');
  });
});
