/**
 * Shapes of the counter's direct acts on an account (R-16.2, R-19.1, R-20.1,
 * R-21.2 (二)): cancellation and unbinding by 受理岗 at the holder's request,
 * with the identity document read at the counter.
 */
import { z } from '@hono/zod-openapi';
import { refineIdDocument, usccSchema } from '../../platform/check-digits.ts';
import { text } from '../../core/text.ts';
import { nameSchema } from './schemas.ts';

const ID_TYPES = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id'] as const;

/** The identity document read at the counter: the holder's, or a unit's agent's with the unit's code. */
export const CounterIdentity = z
  .strictObject({
    idType: z.enum(ID_TYPES),
    idNumber: z.string().trim().toUpperCase().min(5).max(30),
    name: nameSchema,
    /** a unit's account — the code on the unit's form and certificate */
    uscc: usccSchema().optional(),
  })
  .superRefine(refineIdDocument('idType', 'idNumber'))
  .openapi('CounterIdentity');

export const CounterCancelRequest = z
  .strictObject({
    identity: CounterIdentity,
    note: text({ max: 500, multiline: true }).optional(),
    /** The confirm dialog's consequence was read out to the holder. */
    confirm: z.literal(true),
  })
  .openapi('CounterCancelRequest');

export const CounterUnbindRequest = z
  .strictObject({
    vehicleId: z.string().uuid().optional(),
    licenceId: z.string().uuid().optional(),
    identity: CounterIdentity,
    note: text({ max: 500, multiline: true }).optional(),
    confirm: z.literal(true),
  })
  .superRefine((v, ctx) => {
    if ((v.vehicleId === undefined) === (v.licenceId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['vehicleId'], message: 'exactly one of vehicleId, licenceId', params: { code: 'validation.required' } });
    }
  })
  .openapi('CounterUnbindRequest');

export const CounterBindingsDto = z
  .object({
    vehicles: z.array(z.object({ id: z.string(), plateNo: z.string().nullable(), brandModel: z.string(), kind: z.enum(['own', 'non_own', 'organisation']), boundAt: z.string() })),
    licences: z.array(z.object({ id: z.string(), licenceNoMasked: z.string(), classes: z.string(), holderNameMasked: z.string(), kind: z.enum(['own', 'organisation']), boundAt: z.string() })),
  })
  .openapi('CounterAccountBindings');

export const CounterActionDto = z
  .object({
    reference: z.string(),
    kind: z.enum(['cancel', 'unbind_vehicle', 'unbind_licence']),
    userAccountId: z.string(),
    at: z.string(),
    plateNo: z.string().nullable(),
    licenceNoMasked: z.string().nullable(),
    accountStatus: z.enum(['active', 'suspended', 'cancelled']),
    unbound: z.number().int(),
  })
  .openapi('CounterAction');

export type CounterIdentityInput = z.infer<typeof CounterIdentity>;
