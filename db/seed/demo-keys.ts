// The demo staff accounts' authenticator keys: the seed stores them and e2e signs in with them.
/**
 * Every staff account has its second factor (issue 17, GB/T 22239 level 3):
 * a distinct TOTP key each (RFC 6238, SHA-1, 6 digits, 30 s), documented in
 * db/seed/README.md and the README's demo table so that e2e and a new user can
 * sign in. `admin` keeps the RFC 6238 test key, the 20 ASCII bytes
 * '12345678901234567890'. Demo keys: never use them outside the demo.
 */
export const STAFF_TOTP_KEYS: Record<string, string> = {
  'sz.intake': 'SZINTAKEJIAOGUANDEMOTOTPKEYSTAFF',
  'sz.review': 'SZREVIEWJIAOGUANDEMOTOTPKEYSTAFF',
  'sz.archive': 'SZARCHIVEJIAOGUANDEMOTOTPKEYSTAF',
  'gz.intake': 'GZINTAKEJIAOGUANDEMOTOTPKEYSTAFF',
  'gd.review': 'GDREVIEWJIAOGUANDEMOTOTPKEYSTAFF',
  'station.futian': 'STATIONFUTIANJIAOGUANDEMOTOTPKEY',
  'dealer.pengcheng': 'DEALERPENGCHENGJIAOGUANDEMOTOTPK',
  admin: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  'sz.audit': 'SZAUDITJIAOGUANDEMOTOTPKEYSTAFFA',
  'medical.binhai': 'MEDICALBINHAIJIAOGUANDEMOTOTPKEY',
  'medical.shekou': 'MEDICALSHEKOUJIAOGUANDEMOTOTPKEY',
  'exam.szks': 'EXAMSZKSJIAOGUANDEMOTOTPKEYSTAFF',
  'gz.archive': 'GZARCHIVEJIAOGUANDEMOTOTPKEYSTAG',
};
