import type { Identifier } from 'react-admin';
import type { AdminDataProvider } from '../shared/data-provider.ts';
import { API_URL, getJson, httpClient, newIdempotencyKey, postJson } from '../shared/http.ts';
import { problemToHttpError } from '../shared/problem.ts';

/**
 * The named workflow steps of chapter 2 (style §6): one function per step,
 * each a POST to the bff's command route.
 */
export const approveApplication = (dp: AdminDataProvider, id: Identifier) => dp.command('account-applications', id, 'approve');
export const rejectApplication = (dp: AdminDataProvider, id: Identifier, reason: string) => dp.command('account-applications', id, 'reject', { reason });
export const returnApplication = (dp: AdminDataProvider, id: Identifier, note: string) => dp.command('account-applications', id, 'return', { note });
export const resubmitApplication = (dp: AdminDataProvider, id: Identifier, body: Record<string, unknown>) => dp.command('account-applications', id, 'resubmit', body);
export const archiveRecord = (dp: AdminDataProvider, id: Identifier, body: { checkedDocuments: string[]; fileLocation: string; note?: string }) =>
  dp.command('account-archives', id, 'archive', body);
export const forceCancel = (dp: AdminDataProvider, id: Identifier, body: { reason: string; note: string }) => dp.command('user-accounts', id, 'cancel', body);
/** Issue 18: 窗口注销 / 窗口解绑 by 受理岗 after reading the holder's identity document. */
export type CounterIdentity = { idType: string; idNumber: string; name: string; uscc?: string };
export type CounterAction = { reference: string; kind: 'cancel' | 'unbind_vehicle' | 'unbind_licence'; plateNo: string | null; licenceNoMasked: string | null; unbound: number };
export const counterCancel = async (dp: AdminDataProvider, id: Identifier, body: { identity: CounterIdentity; note?: string }) =>
  (await dp.command<CounterAction>('user-accounts', id, 'counter-cancel', { ...body, confirm: true })).data;
export const counterUnbind = async (dp: AdminDataProvider, id: Identifier, body: { vehicleId?: string; licenceId?: string; identity: CounterIdentity; note?: string }) =>
  (await dp.command<CounterAction>('user-accounts', id, 'counter-unbind', { ...body, confirm: true })).data;
export type CounterBindings = {
  vehicles: { id: string; plateNo: string | null; brandModel: string; kind: string; boundAt: string }[];
  licences: { id: string; licenceNoMasked: string; classes: string; holderNameMasked: string; kind: string; boundAt: string }[];
};
export const counterBindings = async (id: Identifier) => (await getJson(`/user-accounts/${encodeURIComponent(String(id))}/bindings`)).json as CounterBindings;
export const approvePhoto = (dp: AdminDataProvider, id: Identifier) => dp.command('certificate-photos', id, 'approve');
export const rejectPhoto = (dp: AdminDataProvider, id: Identifier, reason: string) => dp.command('certificate-photos', id, 'reject', { reason });
export const recordLicenceIssued = (dp: AdminDataProvider, id: Identifier) => dp.command('licence-applications', id, 'issue');

/** a vehicle event (POST /records-events/vehicle) or a licence cancellation (POST /records-events/licence). */
export const recordRecordsEvent = async (body: Record<string, unknown>) => {
  const target = body.kind === 'licence_cancellation' ? 'licence' : 'vehicle';
  const { json } = await postJson(`/records-events/${target}`, body, newIdempotencyKey());
  return json as { id: string; unbound: number };
};

/** The form a citizen filled in advance, by the code of their QR. */
export const loadPrefill = async (code: string) => {
  const { json } = await httpClient(`${API_URL}/account-prefills/${encodeURIComponent(code.trim().toUpperCase())}`);
  return json as { code: string; form: Record<string, unknown>; expiresAt: string };
};

export type UploadResult = { id: string; purpose: string; contentType: string; size: number; sha256: string };

/** A photo or scan, sent as its bytes (JPEG / PNG / PDF ≤ 5 MB; the bff reads the type from the bytes). */
export const uploadFile = async (purpose: string, file: Blob): Promise<UploadResult> => {
  const res = await fetch(`${API_URL}/uploads?purpose=${encodeURIComponent(purpose)}`, {
    method: 'POST',
    body: file,
    credentials: 'include',
    headers: { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json, application/problem+json' },
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw problemToHttpError(res.status, res.statusText, body);
  return body as UploadResult;
};

export const uploadUrl = (id: string) => `${API_URL}/uploads/${encodeURIComponent(id)}`;
