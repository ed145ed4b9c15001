import { createHash } from 'node:crypto';
import type {
  LicenceApplication, LicenceApplyRequest, LicenceDeferral, LicenceDeferralRequest, LicenceHealthReportRequest, LicenceHealthReportResult,
  LicenceOptions, MyLicenceApplications, MyLicenceDeferrals, ReplacementUpload, ReplacementUploadStart,
} from 'bff/client';
import type { Cookies } from '@sveltejs/kit';
import { bffFor } from '$lib/server/bff';
import { uploadType } from '$lib/server/replacements';

type Event = { request: Request; cookies: Cookies; url: URL; locals: App.Locals };
type CallOptions = { idempotencyKey?: string };
const e = encodeURIComponent;

/** The driving-licence calls of the bff (issue 19), for one request (cookie and language forwarded). */
export function licences(event: Event) {
  const { call } = bffFor(event);
  return {
    options: () => call<LicenceOptions>('GET', '/api/v1/licences/options'),
    mine: () => call<MyLicenceApplications>('GET', '/api/v1/licences/applications'),
    get: (id: string) => call<LicenceApplication>('GET', `/api/v1/licences/applications/${e(id)}`),
    apply: (b: LicenceApplyRequest, c?: CallOptions) => call<LicenceApplication>('POST', '/api/v1/licences/applications', b, c),
    cancel: (id: string) => call<LicenceApplication>('POST', `/api/v1/licences/applications/${e(id)}/cancel`),
    deferrals: () => call<MyLicenceDeferrals>('GET', '/api/v1/licences/deferrals'),
    deferral: (id: string) => call<LicenceDeferral>('GET', `/api/v1/licences/deferrals/${e(id)}`),
    defer: (b: LicenceDeferralRequest, c?: CallOptions) => call<LicenceDeferral>('POST', '/api/v1/licences/deferrals', b, c),
    report: (licenceId: string, b: LicenceHealthReportRequest) => call<LicenceHealthReportResult>('POST', `/api/v1/licences/${e(licenceId)}/health-reports`, b),
    restore: (licenceId: string) => call<{ restored: boolean }>('POST', `/api/v1/licences/${e(licenceId)}/restore`),
    startUpload: (b: ReplacementUploadStart) => call<ReplacementUpload>('POST', '/api/v1/licences/uploads', b),
    uploadChunk: (id: string, index: number, data: string) => call<ReplacementUpload>('PUT', `/api/v1/licences/uploads/${e(id)}/chunks/${index}`, { data }),
    completeUpload: (id: string) => call<ReplacementUpload>('POST', `/api/v1/licences/uploads/${e(id)}/complete`),
  };
}

/** the citizen's report to the one upload store, in the chunks the JSON API takes. */
export async function uploadHealthReport(event: Event, file: File): Promise<string> {
  const api = licences(event);
  const bytes = Buffer.from(await file.arrayBuffer());
  const { data: started } = await api.startUpload({
    fileName: file.name.slice(-200) || 'report',
    contentType: uploadType(file)!,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  });
  for (let i = 0; i * started.chunkBytes < bytes.length; i++) {
    await api.uploadChunk(started.id, i, bytes.subarray(i * started.chunkBytes, (i + 1) * started.chunkBytes).toString('base64'));
  }
  await api.completeUpload(started.id);
  return started.id;
}
