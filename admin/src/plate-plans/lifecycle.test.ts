import { describe, expect, it } from 'vitest';
import { buildPercent, nextCommand, openButtonState, parseSerialList, planConfirmText, startAtOf, type PlanCommand } from './lifecycle.ts';
import { en } from '../i18n/en.ts';
import { zhCN as zh } from '../i18n/zh-CN.ts';

const lookup = (dict: unknown, key: string): unknown => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], dict);

describe('plate plan lifecycle helpers', () => {
  it.each([
    ['draft', 'submit'],
    ['submitted', 'approve'],
    ['approved', 'publish'],
    ['published', 'build-pool'],
    ['building', null],
    ['pool_built', 'open'],
    ['open', 'close'],
    ['closed', null],
    ['nonsense', null],
  ])('R-25 the next step after %s is %s', (status, command) => {
    expect(nextCommand(status)).toBe(command);
  });

  it('reads withheld numbers from lines, commas and blanks', () => {
    expect(parseSerialList('8aa88, 8BB88\n8aa88  8CC88，8DD88')).toEqual(['8AA88', '8BB88', '8CC88', '8DD88']);
    expect(parseSerialList('')).toEqual([]);
  });

  it('starts a segment at 00:00 Beijing time of its day', () => {
    expect(new Date(startAtOf('2026-12-01')).toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });

  it('shows build progress in whole percent', () => {
    expect(buildPercent({ cursor: 25_000, total: 57_600 })).toBe(43);
    expect(buildPercent({ cursor: 0, total: 0 })).toBe(0);
  });
});

describe('the open button follows the bff’s verdict (issue 18, R-24.3)', () => {
  it('R-24.3 a pool of 6,558 disables the button with the server’s reason, and asks for no confirmation', () => {
    const state = openButtonState({
      allowed: false, warning: false, code: 'plates.pool_below_minimum',
      title: '预选号码池可用号码不得低于五万个', detail: '开放本号段后，本部门该号牌种类的可用号码为 6558 个。请先建立更多号段的号码池。',
    });
    expect(state).toEqual({ enabled: false, code: 'plates.pool_below_minimum', reason: '预选号码池可用号码不得低于五万个 开放本号段后，本部门该号牌种类的可用号码为 6558 个。请先建立更多号段的号码池。' });
  });

  it('R-25.3 before the start the reason is the start, not the pool', () => {
    expect(openButtonState({ allowed: false, warning: false, code: 'plates.plan_not_started', title: 'The segment has not reached its start time yet', detail: null })).toMatchObject({
      enabled: false, code: 'plates.plan_not_started', reason: 'The segment has not reached its start time yet',
    });
  });

  it('R-24.3 close to the minimum the open asks for confirmation; with room it opens at once', () => {
    expect(openButtonState({ allowed: true, warning: true, code: null, title: null, detail: null })).toEqual({ enabled: true, confirm: true });
    expect(openButtonState({ allowed: true, warning: false, code: null, title: null, detail: null })).toEqual({ enabled: true, confirm: false });
  });

  it('a plan without a verdict is left to the server', () => {
    expect(openButtonState(undefined)).toEqual({ enabled: true, confirm: false });
  });

  describe('issue 18: every plan command confirms with its consequence', () => {
    const params = { available: '57,599', prefix: '粤B', day: '2026-12-01' };
    const commands: PlanCommand[] = ['submit', 'approve', 'publish', 'build-pool', 'open', 'close'];

    it.each(commands)('%s names its consequence in both locales', (cmd) => {
      const text = planConfirmText(cmd, { enabled: true, confirm: false }, params);
      for (const dict of [en, zh]) {
        for (const key of [text.title, text.consequence, text.confirm]) expect(typeof lookup(dict, key), `${key}`).toBe('string');
      }
      expect(text.tone).toBe(cmd === 'close' ? 'destructive' : 'primary');
    });

    it('R-24.3 opening close to the 50,000 minimum says so instead of the plain consequence', () => {
      expect(planConfirmText('open', { enabled: true, confirm: true }, params)).toMatchObject({ title: 'plates.command.open_confirm_title', consequence: 'plates.command.open_confirm' });
      expect(planConfirmText('open', { enabled: true, confirm: false }, params)).toMatchObject({ title: 'plates.confirm.open_title', consequence: 'plates.confirm.open' });
      expect(planConfirmText('publish', { enabled: true, confirm: true }, params).consequence).toBe('plates.confirm.publish');
    });
  });
});
