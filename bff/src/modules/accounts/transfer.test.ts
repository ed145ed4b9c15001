/**
 * R-17 after a transfer (过户): the buyer who had the vehicle bound as
 * someone else's keeps the binding, and it is now the binding of an own
 * vehicle — the services of own vehicles (inspection booking, R-35.1) accept it.
 */
import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { FUTIAN, makeSlot, ZW_NON_OWN } from '../inspections/testing.ts';
import { auditActions, staffCookie, userCookie, ZHANG_WEI } from './testing.ts';

describe('R-17 a transfer to the holder of a non-own binding', async () => {
  const env = await testEnv();

  it('R-17 the new owner’s binding becomes own, audited, and inspection booking takes the car (no vehicle_not_own)', async () => {
    // 粤B8K2M9 of 刘丽, bound by 张伟 as non-own (seed); its inspection falls due soon so booking is open.
    await env.sql`UPDATE vehicle SET inspection_valid_until = '2026-12-31' WHERE id = ${ZW_NON_OWN}`;
    const zw = await userCookie(env, ZHANG_WEI.userId);
    const before = await (await env.call('GET', '/api/v1/inspections/vehicles', { cookie: zw })).json();
    expect(before.vehicles.find((v: { id: string }) => v.id === ZW_NON_OWN)).toMatchObject({ binding: 'non_own', reason: { code: 'inspections.vehicle_not_own' } });

    const intake = await staffCookie(env, 'sz.intake');
    const res = await env.call('POST', '/admin-api/records-events/vehicle', {
      cookie: intake, body: { plateNo: '粤B8K2M9', kind: 'vehicle_transfer', newOwnerIdNumber: ZHANG_WEI.idNumber, newOwnerName: ZHANG_WEI.name, newOwnerPhone: ZHANG_WEI.phone },
    });
    expect(res.status).toBe(201);
    expect((await res.json()).unbound).toBe(0);

    const me = await (await env.call('GET', '/api/v1/me', { cookie: zw })).json();
    expect(me.vehicles.find((v: { id: string }) => v.id === ZW_NON_OWN)).toMatchObject({ binding: 'own' });
    const bindings = await (await env.call('GET', '/api/v1/me/bindings', { cookie: zw })).json();
    expect(bindings.nonOwnCount).toBe(0);
    expect(await auditActions(env, 'user_account', ZHANG_WEI.userId)).toContain('accounts.vehicle_binding_now_own');

    const after = await (await env.call('GET', '/api/v1/inspections/vehicles', { cookie: zw })).json();
    expect(after.vehicles.find((v: { id: string }) => v.id === ZW_NON_OWN)).toMatchObject({ binding: 'own', eligible: true, reason: null });
    const slot = await makeSlot(env.sql, FUTIAN, '2026-12-03', '09:00', 5, env.clock.now());
    const booked = await env.call('POST', '/api/v1/inspections/bookings', { cookie: zw, body: { vehicleId: ZW_NON_OWN, slotId: slot } });
    expect(booked.status, JSON.stringify(await booked.clone().json())).toBe(201);
  });
});
