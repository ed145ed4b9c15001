import { describe, expect, it } from 'vitest';
import { pageNameKey, titleOf } from './page-names.ts';

describe('offline fallback names saved pages, not paths', () => {
  it('names the pages it knows, with or without an id in the path', () => {
    expect(pageNameKey('/')).toBe('nav.home');
    expect(pageNameKey('/account')).toBe('nav.account');
    expect(pageNameKey('/account/')).toBe('nav.account');
    expect(pageNameKey('/outbox')).toBe('nav.outbox');
    expect(pageNameKey('/plates/preselections/3f2a')).toBe('plates.title');
    expect(pageNameKey('/inspections/bookings/9c1d')).toBe('inspections.title');
    expect(pageNameKey('/somewhere-new')).toBeNull();
  });

  it('otherwise takes the title the page was saved with, without the site suffix', () => {
    expect(titleOf('<html><head><title>检验预约 JY123 - 交管在线服务</title></head></html>', ['交管在线服务'])).toBe('检验预约 JY123');
    expect(titleOf('<title>Plates &amp; numbers - Traffic services</title>', ['交管在线服务', 'Traffic services'])).toBe('Plates & numbers');
    expect(titleOf('<p>no title</p>', ['交管在线服务'])).toBeNull();
  });
});
