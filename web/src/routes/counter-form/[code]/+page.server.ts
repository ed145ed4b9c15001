import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { accounts, loadAccount } from '$lib/server/accounts';
import type { PageServerLoad } from './$types';

/** The pre-filled form with its QR code (the code only: the data stay on the server). */
export const load: PageServerLoad = async (event) => {
  const code = event.params.code.toUpperCase();
  if (!/^[A-HJ-NP-Z2-9]{10}$/.test(code)) error(404, 'Not found');
  const prefill = await loadAccount(event, () => accounts(event).prefill(code), { public: true });
  const qrSvg = await QRCode.toString(code, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { prefill, qrSvg };
};
