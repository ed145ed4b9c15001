import { defineMessages } from '../../core/catalog.ts';
import type { CodesOf } from '../../core/errors.ts';

/**
 * Error texts of the upload store (ADR-021), the same for every module that
 * takes files. Statuses: what was sent is not a file we take (415) or too big
 * (413); a file addressed by the URL is not there (404); a file named in a
 * form cannot be used there (422).
 */
export const uploadMessages = defineMessages({
  'uploads.empty': { status: 400, 'zh-CN': '文件为空', en: 'The file is empty' },
  'uploads.too_large': { status: 413, 'zh-CN': '文件不能超过5MB', en: 'The file must not be larger than 5 MB',
    next: { 'zh-CN': '请压缩文件或换用较小的文件后重新上传。', en: 'Compress the file or use a smaller one, then upload again.' } },
  'uploads.type': {
    status: 415, 'zh-CN': '只能上传 JPEG、PNG 图片或 PDF 文件', en: 'Only JPEG or PNG images and PDF files can be uploaded',
    detail: (p, locale) => (p.accepted ? (locale === 'zh-CN' ? `此处只能上传 ${p.accepted}。` : `Here only ${p.accepted} can be uploaded.`) : undefined),
    next: { 'zh-CN': '请重新选择文件上传。', en: 'Choose the file again and upload it.' },
  },
  'uploads.not_found': { status: 404, 'zh-CN': '上传的文件不存在', en: 'Upload not found' },
  'uploads.not_usable': { status: 422, 'zh-CN': '影像资料不存在或不属于本人', en: 'The uploaded file does not exist or is not yours',
    next: { 'zh-CN': '请重新上传后再提交。', en: 'Upload the file again, then submit.' } },
  'uploads.chunk_order': { status: 409, 'zh-CN': '文件分段顺序不正确，请重新上传', en: 'The file parts arrived out of order; upload again' },
  'uploads.size_mismatch': { status: 422, 'zh-CN': '文件比开始上传时声明的大，请重新上传', en: 'The file is larger than declared when the upload started; upload it again' },
  'uploads.incomplete': { status: 422, 'zh-CN': '文件尚未上传完整', en: 'The file has not been uploaded completely',
    next: { 'zh-CN': '请重新上传该文件。', en: 'Upload the file again.' } },
  'uploads.corrupt': { status: 422, 'zh-CN': '文件内容与校验值不符，请重新上传', en: 'The file does not match its checksum; upload it again' },
  'uploads.type_mismatch': { status: 422, 'zh-CN': '文件内容与声明的类型不符，只能上传 JPG、PNG 图片或 PDF 文件', en: 'The file is not of the type declared; upload a JPG or PNG image or a PDF file' },
});

declare module '../../core/errors.ts' {
  interface ErrorCodes extends CodesOf<typeof uploadMessages> {}
}
