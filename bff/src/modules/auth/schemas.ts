import { z } from '@hono/zod-openapi';

export const phoneSchema = z
  .string()
  .trim()
  .refine((v) => /^1[3-9]\d{9}$/.test(v), { params: { code: 'validation.phone' } })
  .openapi({ example: '13800138000', description: '11-digit mainland China mobile number' });

export const smsCodeSchema = z
  .string()
  .trim()
  .refine((v) => /^\d{6}$/.test(v), { params: { code: 'validation.sms_code' } })
  .openapi({ example: '123456' });

export const passwordSchema = z
  .string()
  // The format only: 8 to 64 characters of any kind. Whether it is guessable is the service's rule (auth/rules.ts decideNewPassword).
  .refine((v) => [...v].length >= 8 && [...v].length <= 64, { params: { code: 'validation.password_weak' } })
  .openapi({ example: 'Demo#2026pass' });

export const SmsCodeRequest = z
  .strictObject({ phone: phoneSchema, purpose: z.enum(['sign_up', 'sign_in']) })
  .openapi('SmsCodeRequest');
export const SmsCodeResponse = z
  .object({ expiresAt: z.string(), resendAfterSeconds: z.number().int() })
  .openapi('SmsCodeResponse');

export const SignInRequest = z
  .strictObject({ phone: phoneSchema, password: z.string().min(1).max(200) })
  .openapi('SignInRequest');
export const SmsSignInRequest = z.strictObject({ phone: phoneSchema, smsCode: smsCodeSchema }).openapi('SmsSignInRequest');

export const StaffSignInRequest = z
  .strictObject({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(200),
    totp: z.string().trim().regex(/^\d{6}$/).optional(),
  })
  .openapi('StaffSignInRequest');

export const StaffDto = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(['intake', 'review', 'archive', 'station_operator', 'dealer', 'system_admin', 'auditor', 'medical_operator', 'exam_operator'])),
    authorityId: z.string(),
    authorityName: z.string(),
    totpEnabled: z.boolean(),
    /** no second factor yet: this is an enrolment session, which opens only the enrolment (issue 17) */
    totpEnrolmentRequired: z.boolean(),
  })
  .openapi('Staff');

/** Enrolling needs nothing more; replacing an enabled factor needs the current password and a current code. */
export const TotpSetupRequest = z
  .strictObject({
    password: z.string().min(1).max(200).optional(),
    code: z.string().trim().regex(/^\d{6}$/).optional(),
  })
  .openapi('TotpSetupRequest');
export const TotpSetupResponse = z.object({ secretBase32: z.string(), otpauthUri: z.string(), qrDataUrl: z.string() }).openapi('TotpSetup');
export const TotpConfirmRequest = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/) }).openapi('TotpConfirm');

/** Issue 18: a password-reset code to the phone (the same answer whether it has an account or not). */
export const PasswordResetCodeRequest = z.strictObject({ phone: phoneSchema }).openapi('PasswordResetCodeRequest');
/** Issue 18: the code and the new password (the sign-up policy). */
export const PasswordResetRequest = z
  .strictObject({ phone: phoneSchema, smsCode: smsCodeSchema, newPassword: passwordSchema })
  .openapi('PasswordResetRequest');
export const PasswordResetResponse = z
  .object({ resetAt: z.string(), sessionsEnded: z.number().int() })
  .openapi('PasswordResetResponse');
