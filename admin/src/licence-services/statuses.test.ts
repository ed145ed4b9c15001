import { describe, expect, it } from 'vitest';
import { licenceCommandRequest, licenceCommandsFor } from './statuses.ts';

describe('licence-services steps', () => {
  it('X-4.1.10 受理岗 gets the intake steps, 档案岗 the archive steps (as R-29.2), in lifecycle order', () => {
    const allowed = ['accept', 'reject', 'archive', 'withdraw'];
    expect(licenceCommandsFor(['intake'], allowed)).toEqual(['accept', 'reject']);
    expect(licenceCommandsFor(['archive'], allowed)).toEqual(['archive', 'withdraw']);
    expect(licenceCommandsFor(['review'], allowed)).toEqual([]);
    expect(licenceCommandRequest('deliver')).toEqual({ action: 'record-receipt', body: { outcome: 'delivered' } });
    expect(licenceCommandRequest('destroy_old_licence')).toEqual({ action: 'destroy-old-licence', body: {} });
  });
});
