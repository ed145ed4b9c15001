import { PhotoList, PhotoShow } from './PhotoViews.tsx';

/** 证件照片审核 (certificate-photos): 管理岗 reviews online certificate photos within one working day. */
export default { list: PhotoList, show: PhotoShow, options: { label: 'accounts.resources.certificate-photos' } };
