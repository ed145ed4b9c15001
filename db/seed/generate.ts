/**
 * Demo seed generator: one city (粤B 深圳) and its province (广东).
 *
 * Run from the bff folder (so that @node-rs/argon2 and zod resolve):
 *
 *   cd bff && npx tsx ../db/seed/generate.ts
 *
 * Writes db/seed/demo.sql: plain INSERT statements, no BEGIN/COMMIT (the loader
 * wraps the file in one transaction), for an empty database migrated with
 * db/migrations/0001_foundation.sql.
 *
 * Deterministic: a fixed PRNG seed, a fixed "today" (2026-11-25) and explicit
 * uuids, so that tests and docs can name rows. The one exception is password
 * hashes: argon2id salts are random, so the generator REUSES the hashes already
 * in db/seed/demo.sql when they verify against the demo passwords, and only
 * hashes anew (default @node-rs/argon2 parameters: argon2id, m=19456, t=2, p=1)
 * when no such file/hash exists. Re-running therefore gives a byte-identical
 * demo.sql as long as demo.sql is there.
 *
 * Every identity number, VIN and USCC is built with the platform's own
 * check-digit helpers and asserted with its validators before writing.
 */
import { STAFF_TOTP_KEYS } from './demo-keys.ts';
import { examsSeed } from './exams.ts';
import { archivesSeed } from './archives.ts';
import { violationsSeed } from './violations.ts';
import { medicalIds, medicalSeed } from './medical.ts';
import { licencesSeed } from './licences.ts';
import { paymentsSeed } from './payments.ts';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  idNumberCheckChar,
  vinCheckChar,
  usccCheckChar,
  organisationCodeCheckChar,
  validateIdNumber,
  validateVin,
  validateUscc,
} from '../../bff/src/platform/check-digits.ts';

// @node-rs/argon2 is a dependency of bff, not of db: resolve it from bff.
interface Argon2 {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}
const requireFromBff = createRequire(new URL('../../bff/package.json', import.meta.url));
const argon2 = requireFromBff('@node-rs/argon2') as Argon2;

const OUT = fileURLToPath(new URL('./demo.sql', import.meta.url));

/** The fixed "today" of the demo data (Asia/Shanghai calendar day). */
export const TODAY = '2026-11-25';
export const CITIZEN_PASSWORD = 'Demo#2026pass';
export const STAFF_PASSWORD = 'Staff#2026pass';

// ---------------------------------------------------------------------------
// Deterministic helpers
// ---------------------------------------------------------------------------

/** mulberry32, seeded once: the whole file depends on the order of draws. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261125);
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
function pick<T>(xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Explicit uuids: table prefix + running number, e.g. person 7 → 10000000-0000-4000-8000-000000000007. */
function uuid(prefix: number, n: number): string {
  return `${prefix}0000000-0000-4000-8000-${pad(n, 12)}`;
}
export const ids = {
  person: (n: number) => uuid(1, n),
  organisation: (n: number) => uuid(2, n),
  vehicle: (n: number) => uuid(3, n),
  licence: (n: number) => uuid(4, n),
  account: (n: number) => uuid(5, n),
  vehicleBinding: (n: number) => uuid(6, n),
  licenceBinding: (n: number) => uuid(7, n),
  station: (n: number) => uuid(8, n),
  staff: (n: number) => uuid(9, n),
};

// dates as 'YYYY-MM-DD' strings, computed in UTC (no clock involved)
function parseDay(d: string): Date {
  return new Date(`${d}T00:00:00Z`);
}
function fmtDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function lastDayOfMonth(y: number, m: number): string {
  return fmtDay(new Date(Date.UTC(y, m, 0)));
}
function addYears(d: string, n: number): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  // 29 Feb + n years → 28 Feb when the target year is not a leap year
  const last = new Date(Date.UTC(y + n, m, 0)).getUTCDate();
  return `${y + n}-${pad(m, 2)}-${pad(Math.min(day, last), 2)}`;
}
function addDays(d: string, n: number): string {
  const x = parseDay(d);
  x.setUTCDate(x.getUTCDate() + n);
  return fmtDay(x);
}
function daysBetween(a: string, b: string): number {
  return Math.round((parseDay(b).getTime() - parseDay(a).getTime()) / 86_400_000);
}
function randomDayIn(y: number, m: number, maxDay = 28): string {
  return `${y}-${pad(m, 2)}-${pad(int(1, maxDay), 2)}`;
}

// ---------------------------------------------------------------------------
// Code builders (GB 11643, ISO 3779, GB 32100 + GB 11714)
// ---------------------------------------------------------------------------

const usedIdNumbers = new Set<string>();
function makeIdNumber(region: string, birth: string, sex: 'M' | 'F', seq?: number): string {
  for (;;) {
    let s = seq ?? int(1, 999);
    if ((s % 2 === 1) !== (sex === 'M')) s = s === 999 ? 998 : s + 1; // odd = male
    const first17 = `${region}${birth.replaceAll('-', '')}${pad(s, 3)}`;
    const id = first17 + idNumberCheckChar(first17);
    if (!usedIdNumbers.has(id)) {
      usedIdNumbers.add(id);
      const r = validateIdNumber(id, TODAY);
      if (!r.ok || r.sex !== sex || r.birthDate !== birth) throw new Error(`bad id number ${id}`);
      return id;
    }
    seq = undefined;
  }
}

/** ISO 3779 model-year character for 2010–2030. */
function modelYearChar(year: number): string {
  const codes = 'ABCDEFGHJKLMNPRSTVWXY'; // 2010 = A … 2030 = Y
  const c = codes[year - 2010];
  if (!c) throw new Error(`no model-year code for ${year}`);
  return c;
}
const usedVins = new Set<string>();
function makeVin(wmi: string, vds: string, year: number, plant: string): string {
  for (;;) {
    const draft = `${wmi}${vds}0${modelYearChar(year)}${plant}${pad(int(0, 999999), 6)}`;
    const vin = draft.slice(0, 8) + vinCheckChar(draft) + draft.slice(9);
    if (usedVins.has(vin)) continue;
    if (!validateVin(vin).ok) throw new Error(`bad VIN ${vin}`);
    usedVins.add(vin);
    return vin;
  }
}

/**
 * 统一社会信用代码: registration-authority + kind code (91 enterprise, 12 public
 * institution, 11 state organ), 6-digit region, 9-char 组织机构代码 (8 + GB 11714
 * check), GB 32100 check.
 */
function makeUscc(prefix2: string, region: string, orgBody8: string): string {
  const orgCode = orgBody8 + organisationCodeCheckChar(orgBody8);
  const first17 = `${prefix2}${region}${orgCode}`;
  const uscc = first17 + usccCheckChar(first17);
  if (!validateUscc(uscc, { organisationCode: true }).ok) throw new Error(`bad USCC ${uscc}`);
  return uscc;
}

// ---------------------------------------------------------------------------
// Phones and plates
// ---------------------------------------------------------------------------

const usedPhones = new Set<string>();
const PHONE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139',
  '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '180', '181', '182', '183', '185', '186', '187', '188', '189',
  '191', '193', '195', '198', '199',
];
function reservePhone(p: string): string {
  if (!/^1[3589][0-9]{9}$/.test(p)) throw new Error(`bad phone ${p}`);
  if (usedPhones.has(p)) throw new Error(`duplicate phone ${p}`);
  usedPhones.add(p);
  return p;
}
function randomPhone(): string {
  for (;;) {
    const p = pick(PHONE_PREFIXES) + pad(int(0, 99999999), 8);
    if (!usedPhones.has(p)) return reservePhone(p);
  }
}

/** GA 36 serial letters: never I or O. */
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const usedPlates = new Set<string>();
function reservePlate(p: string): string {
  if (usedPlates.has(p)) throw new Error(`duplicate plate ${p}`);
  if (/[IO]/.test(p.slice(2))) throw new Error(`plate with I/O ${p}`);
  usedPlates.add(p);
  return p;
}
/** Ordinary (blue/yellow) plate: prefix + 5 characters, at most 2 letters. */
function ordinaryPlate(prefix: string): string {
  const patterns = ['DDDDD', 'LDDDD', 'LDDDD', 'DLDLD', 'DDDDL', 'LLDDD', 'DDLDD'];
  for (;;) {
    const pattern = pick(patterns);
    let serial = '';
    for (const c of pattern) serial += c === 'D' ? String(int(0, 9)) : pick([...PLATE_LETTERS]);
    // a leading D/F reads like a new-energy serial: keep those for green plates
    if (/^[DF]/.test(serial)) continue;
    const p = prefix + serial;
    if (!usedPlates.has(p)) return reservePlate(p);
  }
}
/** Small new-energy plate: prefix + D (battery electric) or F (other) + 5 digits. */
function newEnergyPlate(prefix: string, energy: 'bev' | 'phev'): string {
  for (;;) {
    const p = `${prefix}${energy === 'bev' ? 'D' : 'F'}${pad(int(0, 99999), 5)}`;
    if (!usedPlates.has(p)) return reservePlate(p);
  }
}

// ---------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------

interface Authority {
  id: string;
  name: string;
  level: 'province' | 'city';
  parent: string | null;
  prefix: string | null;
}
const authorities: Authority[] = [
  { id: '440000', name: '广东省', level: 'province', parent: null, prefix: null },
  { id: '440300', name: '深圳市', level: 'city', parent: '440000', prefix: '粤B' },
  { id: '440100', name: '广州市', level: 'city', parent: '440000', prefix: '粤A' },
  { id: '440600', name: '佛山市', level: 'city', parent: '440000', prefix: '粤E' },
];

/** Shenzhen districts (region code → district, streets, postcode). */
const SZ_DISTRICTS: Record<string, { name: string; streets: string[]; postcode: string }> = {
  '440303': { name: '罗湖区', streets: ['深南东路', '人民南路', '东门中路', '宝安南路', '翠竹路', '笋岗东路'], postcode: '518001' },
  '440304': { name: '福田区', streets: ['福华三路', '深南中路', '彩田路', '景田北路', '香蜜湖路', '莲花路', '益田路'], postcode: '518048' },
  '440305': { name: '南山区', streets: ['南海大道', '科技南十二路', '桃园路', '南山大道', '蛇口工业八路', '后海大道'], postcode: '518052' },
  '440306': { name: '宝安区', streets: ['新安六路', '宝民一路', '创业二路', '西乡大道', '福永大道', '沙井路'], postcode: '518101' },
  '440307': { name: '龙岗区', streets: ['龙城大道', '龙岗大道', '布吉路', '坂田五和大道', '横岗大道'], postcode: '518172' },
  '440309': { name: '龙华区', streets: ['人民路', '梅龙大道', '民治大道', '观澜大道', '东环二路'], postcode: '518109' },
};
const COMMUNITIES = ['花园', '家园', '新村', '雅苑', '名苑', '大厦', '公寓', '城'];
const COMMUNITY_NAMES = ['阳光', '海景', '锦绣', '翠林', '金色', '碧海', '万科', '华侨', '鹏程', '丽晶', '水榭', '书香'];

function shenzhenAddress(district: string): string {
  const d = SZ_DISTRICTS[district] ?? SZ_DISTRICTS['440304']!;
  return `广东省深圳市${d.name}${pick(d.streets)}${int(1, 399)}号${pick(COMMUNITY_NAMES)}${pick(COMMUNITIES)}${int(1, 12)}栋${int(1, 32)}${pad(int(1, 8), 2)}`;
}

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

type PersonKey = string;
interface PersonSpec {
  key: PersonKey; // short handle used below
  name: string;
  sex: 'M' | 'F';
  region: string; // 6-digit 户籍 region of the ID number
  birth: string;
  phone?: string;
  address?: string;
  deceased?: boolean;
  hasPhoto?: boolean;
  note?: string;
}
const personSpecs: PersonSpec[] = [
  { key: 'zhangwei', name: '张伟', sex: 'M', region: '440304', birth: '1985-03-12', phone: '13800138000', address: '广东省深圳市福田区福华三路88号鹏程花园3栋1202', note: 'demo citizen (counter-registered)' },
  { key: 'wangfang', name: '王芳', sex: 'F', region: '440305', birth: '1990-07-21', phone: '13700137000', address: '广东省深圳市南山区科技南十二路28号海景雅苑2栋805', note: 'demo citizen (online-registered)' },
  { key: 'lina', name: '李娜', sex: 'F', region: '440303', birth: '1988-11-05', phone: '13900139000', address: '广东省深圳市罗湖区人民南路166号翠竹新村5栋701', note: 'sign-up: 2 vehicles + C1, no account' },
  { key: 'zhaolei', name: '赵磊', sex: 'M', region: '440306', birth: '1979-02-14', phone: '13500135000', address: '广东省深圳市宝安区新安六路52号锦绣家园8栋1503', note: 'sign-up: 1 vehicle, no account' },
  { key: 'chenjing', name: '陈静', sex: 'F', region: '440307', birth: '1995-09-30', phone: '15800158000', address: '广东省深圳市龙岗区龙城大道99号碧海名苑1栋2106', note: 'sign-up: licence only, no account' },
  { key: 'sunqiang', name: '孙强', sex: 'M', region: '440306', birth: '1983-06-18', phone: '13600136000', note: 'agent of the logistics company' },
  { key: 'liuli', name: '刘丽', sex: 'F', region: '440304', birth: '1987-04-09', address: '广东省深圳市福田区福华三路88号鹏程花园3栋1202', note: "owner of 张伟's non-own vehicle" },
  { key: 'zhoujianguo', name: '周建国', sex: 'M', region: '440303', birth: '1950-08-15', deceased: true, note: 'deceased' },
  { key: 'wuzhiqiang', name: '吴志强', sex: 'M', region: '440307', birth: '1972-12-01', note: 'disqualified: hit-and-run crime' },
  { key: 'xuyong', name: '徐勇', sex: 'M', region: '440309', birth: '1981-10-22', note: 'disqualified: DUI serious accident crime' },
  { key: 'huangting', name: '黄婷', sex: 'F', region: '440305', birth: '1993-05-17' },
  { key: 'linzhiming', name: '林志明', sex: 'M', region: '440303', birth: '1968-01-26' },
  { key: 'hexuemei', name: '何雪梅', sex: 'F', region: '440309', birth: '1976-03-08' },
  { key: 'machao', name: '马超', sex: 'M', region: '430102', birth: '1989-08-03', note: '湖南长沙' },
  { key: 'luomin', name: '罗敏', sex: 'F', region: '510104', birth: '1992-12-19', note: '四川成都' },
  { key: 'lianggd', name: '梁国栋', sex: 'M', region: '440306', birth: '1965-07-07' },
  { key: 'xieyulan', name: '谢玉兰', sex: 'F', region: '440307', birth: '1958-10-11' },
  { key: 'songjia', name: '宋佳', sex: 'F', region: '420106', birth: '1997-04-28', note: '湖北武汉' },
  { key: 'tangjun', name: '唐俊', sex: 'M', region: '440304', birth: '1991-02-02' },
  { key: 'xuxd', name: '许晓东', sex: 'M', region: '440305', birth: '1984-09-15' },
  { key: 'hanmei', name: '韩梅', sex: 'F', region: '440303', birth: '1980-06-24' },
  { key: 'fengtao', name: '冯涛', sex: 'M', region: '440309', birth: '1975-11-30' },
  { key: 'denglh', name: '邓丽华', sex: 'F', region: '440306', birth: '1969-02-20' },
  { key: 'caoyang', name: '曹阳', sex: 'M', region: '450103', birth: '1994-01-13', note: '广西南宁' },
  { key: 'pengxy', name: '彭小燕', sex: 'F', region: '440307', birth: '2001-08-09' },
  { key: 'zengdm', name: '曾德明', sex: 'M', region: '440304', birth: '1962-05-05' },
  { key: 'xiaoyq', name: '萧雅琪', sex: 'F', region: '440305', birth: '2004-03-21' },
  { key: 'tianye', name: '田野', sex: 'M', region: '360102', birth: '1986-12-06', note: '江西南昌' },
  { key: 'dongxiao', name: '董晓', sex: 'F', region: '440309', birth: '1999-07-14' },
  { key: 'yuanhao', name: '袁浩', sex: 'M', region: '440306', birth: '2006-02-11' },
  { key: 'panml', name: '潘美玲', sex: 'F', region: '440303', birth: '1973-09-02' },
  { key: 'caiwen', name: '蔡文', sex: 'M', region: '440307', birth: '1978-04-16', note: 'ride-hailing driver (operating vehicle)' },
  { key: 'dupeng', name: '杜鹏', sex: 'M', region: '440305', birth: '1982-10-27', note: 'truck driver of the logistics company' },
  { key: 'suhai', name: '苏海', sex: 'M', region: '411302', birth: '1977-06-01', note: '河南南阳; truck driver of the logistics company' },
  { key: 'luxy', name: '卢秀英', sex: 'F', region: '440304', birth: '1955-12-25' },
  { key: 'jiangzg', name: '蒋志刚', sex: 'M', region: '440106', birth: '1983-03-29', address: '广东省广州市天河区天河路385号太古汇公寓2栋1608', note: 'Guangzhou (粤A)' },
  { key: 'yexl', name: '叶晓琳', sex: 'F', region: '440104', birth: '1990-11-11', address: '广东省广州市越秀区中山五路219号越秀新村4栋302', note: 'Guangzhou (粤A)' },
  { key: 'chengjian', name: '程建', sex: 'M', region: '440604', birth: '1986-05-18', address: '广东省佛山市禅城区季华五路33号岭南天地6栋901', note: 'Foshan' },
  { key: 'fangwei', name: '方伟', sex: 'M', region: '440305', birth: '1970-08-22', note: 'ride-hailing driver (operating vehicle)' },
  { key: 'renjy', name: '任静怡', sex: 'F', region: '440309', birth: '1998-01-05' },
  { key: 'liaozm', name: '廖志明', sex: 'M', region: '440307', birth: '1960-09-09', note: 'new car, still to register' },
  { key: 'zhongxue', name: '钟雪', sex: 'F', region: '440306', birth: '2000-12-31', note: 'new car, still to register' },
  { key: 'liujh', name: '刘建华', sex: 'M', region: '440304', birth: '1966-04-03', note: 'legal representative of the logistics company' },
];

interface Person extends PersonSpec {
  n: number;
  id: string;
  idNumber: string;
  phone: string;
  address: string;
}
// reserve the fixed phones first so random ones never collide
for (const p of personSpecs) if (p.phone) reservePhone(p.phone);
const persons: Person[] = personSpecs.map((p, i) => {
  const district = SZ_DISTRICTS[p.region] ? p.region : pick(Object.keys(SZ_DISTRICTS));
  return {
    ...p,
    n: i + 1,
    id: ids.person(i + 1),
    idNumber: makeIdNumber(p.region, p.birth, p.sex),
    phone: p.phone ?? randomPhone(),
    address: p.address ?? shenzhenAddress(district),
  };
});
const P = (key: PersonKey): Person => {
  const p = persons.find((x) => x.key === key);
  if (!p) throw new Error(`no person ${key}`);
  return p;
};

const disqualifications = [
  { person: P('wuzhiqiang'), kind: 'hit_and_run_crime', since: '2023-05-10', until: null },
  { person: P('xuyong'), kind: 'dui_serious_accident_crime', since: '2024-03-08', until: null },
];

// ---------------------------------------------------------------------------
// Organisations
// ---------------------------------------------------------------------------

interface Organisation {
  key: string;
  n: number;
  id: string;
  uscc: string;
  name: string;
  kind: 'state_organ' | 'enterprise' | 'public_institution' | 'social_group' | 'other';
  isCarDealer: boolean;
  isMedical: boolean;
  address: string;
  postcode: string;
  legalRepName: string;
  legalRepPhone: string;
  /** phone on the vehicle records of this organisation (R-11.2) */
  contactPhone: string;
}
const orgSpecs: Omit<Organisation, 'n' | 'id'>[] = [
  {
    key: 'dealer',
    uscc: makeUscc('91', '440300', '19228' + pad(int(100, 999), 3)),
    name: '深圳市鹏城汽车销售有限公司',
    kind: 'enterprise',
    isCarDealer: true,
    isMedical: false,
    address: '广东省深圳市福田区皇岗路5008号鹏城汽车城A座',
    postcode: '518033',
    legalRepName: '黄志伟',
    legalRepPhone: '',
    contactPhone: '',
  },
  {
    key: 'logistics',
    uscc: makeUscc('91', '440300', 'MA5F' + pad(int(1000, 9999), 4)),
    name: '深圳市顺达通物流有限公司',
    kind: 'enterprise',
    isCarDealer: false,
    isMedical: false,
    address: '广东省深圳市宝安区福永街道福永大道168号顺达物流园',
    postcode: '518103',
    legalRepName: P('liujh').name,
    legalRepPhone: P('liujh').phone,
    contactPhone: P('sunqiang').phone, // the agent is the registered contact
  },
  {
    key: 'hospital',
    uscc: makeUscc('12', '440300', '4557' + pad(int(1000, 9999), 4)),
    name: '深圳市滨海人民医院',
    kind: 'public_institution',
    isCarDealer: false,
    isMedical: true,
    address: '广东省深圳市南山区后海大道2108号',
    postcode: '518057',
    legalRepName: '郭志远',
    legalRepPhone: '',
    contactPhone: '',
  },
  {
    key: 'organ',
    uscc: makeUscc('11', '440304', '0075' + pad(int(1000, 9999), 4)),
    name: '深圳市福田区城市管理和综合执法局',
    kind: 'state_organ',
    isCarDealer: false,
    isMedical: false,
    address: '广东省深圳市福田区福中三路1019号',
    postcode: '518035',
    legalRepName: '钱建民',
    legalRepPhone: '',
    contactPhone: '',
  },
];
const organisations: Organisation[] = orgSpecs.map((o, i) => {
  const legalRepPhone = o.legalRepPhone || randomPhone();
  return { ...o, n: i + 1, id: ids.organisation(i + 1), legalRepPhone, contactPhone: o.contactPhone || legalRepPhone };
});
const O = (key: string): Organisation => {
  const o = organisations.find((x) => x.key === key);
  if (!o) throw new Error(`no organisation ${key}`);
  return o;
};

// ---------------------------------------------------------------------------
// Vehicles
// ---------------------------------------------------------------------------

type Energy = 'ice' | 'bev' | 'phev';
interface Model {
  key: string;
  wmi: string;
  vds: string; // positions 4–8
  plants: string; // candidate plant characters (position 11)
  brandModel: string;
  type: string; // GA 802 vehicle type
  energy: Energy;
  years: [number, number];
  axle: [number, number]; // heaviest axle load, kg
}
const MODELS: Model[] = [
  { key: 'lavida', wmi: 'LSV', vds: 'AM418', plants: 'CS', brandModel: '大众朗逸', type: 'K33', energy: 'ice', years: [2013, 2025], axle: [820, 900] },
  { key: 'passat', wmi: 'LSV', vds: 'CA6A2', plants: 'CN', brandModel: '大众帕萨特', type: 'K33', energy: 'ice', years: [2012, 2025], axle: [950, 1050] },
  { key: 'tiguan', wmi: 'LSV', vds: 'UC6B2', plants: 'N', brandModel: '大众途观L', type: 'K31', energy: 'ice', years: [2017, 2025], axle: [1050, 1150] },
  { key: 'santana', wmi: 'LSV', vds: 'AB2L1', plants: 'S', brandModel: '大众桑塔纳', type: 'K33', energy: 'ice', years: [2010, 2016], axle: [780, 850] },
  { key: 'sagitar', wmi: 'LFV', vds: 'A24F1', plants: 'CF', brandModel: '大众速腾', type: 'K33', energy: 'ice', years: [2012, 2025], axle: [830, 920] },
  { key: 'magotan', wmi: 'LFV', vds: 'A43F7', plants: 'C', brandModel: '大众迈腾', type: 'K33', energy: 'ice', years: [2013, 2025], axle: [950, 1030] },
  { key: 'jetta', wmi: 'LFV', vds: 'A11G6', plants: 'C', brandModel: '大众捷达', type: 'K33', energy: 'ice', years: [2010, 2019], axle: [760, 830] },
  { key: 'tayron', wmi: 'LFV', vds: 'BJ6C2', plants: 'F', brandModel: '大众探岳', type: 'K31', energy: 'ice', years: [2019, 2025], axle: [1020, 1120] },
  { key: 'sylphy', wmi: 'LGB', vds: 'H12E0', plants: 'GX', brandModel: '日产轩逸', type: 'K33', energy: 'ice', years: [2012, 2025], axle: [780, 860] },
  { key: 'xtrail', wmi: 'LGB', vds: 'G2AE0', plants: 'G', brandModel: '日产奇骏', type: 'K31', energy: 'ice', years: [2014, 2025], axle: [950, 1050] },
  { key: 'model3', wmi: 'LRW', vds: '3E7EA', plants: 'C', brandModel: '特斯拉Model 3', type: 'K33', energy: 'bev', years: [2020, 2025], axle: [950, 1020] },
  { key: 'modely', wmi: 'LRW', vds: 'YEEKB', plants: 'C', brandModel: '特斯拉Model Y', type: 'K31', energy: 'bev', years: [2021, 2025], axle: [1050, 1130] },
  { key: 'han', wmi: 'LGX', vds: 'C76C4', plants: 'S', brandModel: '比亚迪汉EV', type: 'K33', energy: 'bev', years: [2020, 2025], axle: [1100, 1180] },
  { key: 'qinev', wmi: 'LGX', vds: 'CH6B4', plants: 'SX', brandModel: '比亚迪秦PLUS EV', type: 'K33', energy: 'bev', years: [2021, 2025], axle: [930, 1000] },
  { key: 'qindmi', wmi: 'LGX', vds: 'CG6B1', plants: 'SX', brandModel: '比亚迪秦PLUS DM-i', type: 'K33', energy: 'phev', years: [2021, 2025], axle: [900, 980] },
  { key: 'songdmi', wmi: 'LGX', vds: 'CF4B1', plants: 'S', brandModel: '比亚迪宋PLUS DM-i', type: 'K31', energy: 'phev', years: [2021, 2025], axle: [1020, 1100] },
  { key: 'focus', wmi: 'LVS', vds: 'HCAMB', plants: 'CE', brandModel: '福特福克斯', type: 'K33', energy: 'ice', years: [2012, 2021], axle: [820, 880] },
  { key: 'escape', wmi: 'LVS', vds: 'HJCAL', plants: 'C', brandModel: '福特锐际', type: 'K31', energy: 'ice', years: [2019, 2024], axle: [930, 1010] },
  { key: 'excelle', wmi: 'LSG', vds: 'GS58L', plants: 'SN', brandModel: '别克英朗', type: 'K33', energy: 'ice', years: [2015, 2025], axle: [800, 870] },
  { key: 'gl8', wmi: 'LSG', vds: 'UA5A1', plants: 'S', brandModel: '别克GL8', type: 'K31', energy: 'ice', years: [2014, 2025], axle: [1150, 1250] },
  { key: 'cruze', wmi: 'LSG', vds: 'PB54E', plants: 'S', brandModel: '雪佛兰科鲁泽', type: 'K33', energy: 'ice', years: [2016, 2023], axle: [820, 890] },
  { key: 'howo', wmi: 'LZZ', vds: '5BLSF', plants: 'J', brandModel: '中国重汽豪沃TX', type: 'H11', energy: 'ice', years: [2018, 2024], axle: [11000, 11500] },
  { key: 'tianlong', wmi: 'LGA', vds: 'G3DX4', plants: 'F', brandModel: '东风天龙KL', type: 'H11', energy: 'ice', years: [2018, 2024], axle: [10000, 11500] },
];
const M = (key: string): Model => {
  const m = MODELS.find((x) => x.key === key);
  if (!m) throw new Error(`no model ${key}`);
  return m;
};

interface VehicleSpec {
  owner: Person | Organisation;
  model: string;
  /** explicit plate; null = not yet registered; undefined = generated */
  plate?: string | null;
  authority?: '440300' | '440100';
  /** 'YYYY-MM' of inspection_valid_until (last day of that month); undefined = random */
  inspection?: string;
  regYear?: number;
  states?: string[];
  operating?: boolean;
  noPhoto?: boolean;
  note?: string;
}
const isOrg = (o: Person | Organisation): o is Organisation => 'uscc' in o;

/**
 * Inspection months spread over 2026-10 .. 2028-12 around TODAY = 2026-11-25:
 * overdue (2026-10), due within 3 months (2026-11 .. 2027-02), about 5 months
 * out (2027-04), later.
 */
const INSPECTION_POOL = [
  '2026-10', '2026-12', '2027-01', '2027-02', '2026-11', '2027-04', '2027-04',
  '2027-03', '2027-05', '2027-06', '2027-07', '2027-08', '2027-09', '2027-10',
  '2027-11', '2027-12', '2028-01', '2028-02', '2028-03', '2028-05', '2028-06',
  '2028-08', '2028-09', '2028-10', '2028-11', '2028-12', '2027-06', '2027-09',
];

const vehicleSpecs: VehicleSpec[] = [
  // 张伟: two own vehicles, plus his wife's car bound as non-own
  { owner: P('zhangwei'), model: 'lavida', plate: '粤BA1234', regYear: 2019, inspection: '2027-01', note: '张伟 own; inspection due within 3 months' },
  { owner: P('zhangwei'), model: 'han', plate: '粤BD12345', regYear: 2022, inspection: '2028-06', note: '张伟 own (new-energy)' },
  { owner: P('liuli'), model: 'xtrail', plate: '粤B8K2M9', regYear: 2018, inspection: '2027-04', note: '刘丽; bound by 张伟 as non-own' },
  // 王芳
  { owner: P('wangfang'), model: 'songdmi', plate: '粤BF12345', regYear: 2023, inspection: '2027-12', note: '王芳 own (plug-in hybrid)' },
  // sign-up persons without an account
  { owner: P('lina'), model: 'sagitar', plate: '粤B12345', regYear: 2016, inspection: '2026-12', note: '李娜; inspection due within 3 months' },
  { owner: P('lina'), model: 'model3', plate: '粤BD23456', regYear: 2024, inspection: '2028-03', note: '李娜' },
  { owner: P('zhaolei'), model: 'excelle', plate: '粤BC5678', regYear: 2020, inspection: '2027-04', note: '赵磊; inspection about 5 months out' },
  // logistics company: trucks (operating) and a shuttle
  { owner: O('logistics'), model: 'howo', plate: '粤BH3256', regYear: 2021, inspection: '2027-03', operating: true, note: '顺达通 truck' },
  { owner: O('logistics'), model: 'howo', plate: '粤BK7719', regYear: 2022, inspection: '2027-08', operating: true, note: '顺达通 truck' },
  { owner: O('logistics'), model: 'tianlong', plate: '粤BM6082', regYear: 2020, inspection: '2026-12', operating: true, note: '顺达通 truck; inspection due within 3 months' },
  { owner: O('logistics'), model: 'gl8', regYear: 2021, inspection: '2027-05', note: '顺达通 staff shuttle' },
  // other organisations
  { owner: O('dealer'), model: 'passat', regYear: 2025, inspection: '2027-07', note: '鹏城 test-drive car' },
  { owner: O('hospital'), model: 'gl8', regYear: 2019, inspection: '2027-02', note: 'hospital' },
  { owner: O('organ'), model: 'magotan', regYear: 2018, inspection: '2027-10', note: 'state organ' },
  // special cases
  { owner: P('zhoujianguo'), model: 'jetta', regYear: 2012, inspection: '2026-10', note: 'owner deceased; inspection overdue' },
  { owner: P('wuzhiqiang'), model: 'focus', regYear: 2017, inspection: '2027-06', states: ['hit_and_run'], note: 'hit and run' },
  { owner: P('xuyong'), model: 'magotan', regYear: 2016, inspection: '2027-03', states: ['locked'], note: 'locked' },
  { owner: P('caiwen'), model: 'qinev', regYear: 2023, inspection: '2027-05', operating: true, note: 'ride-hailing (operating)' },
  { owner: P('fangwei'), model: 'han', regYear: 2022, inspection: '2026-11', operating: true, note: 'ride-hailing (operating); inspection due within 3 months' },
  { owner: P('jiangzg'), model: 'tiguan', authority: '440100', regYear: 2020, note: '粤A (Guangzhou)' },
  { owner: P('yexl'), model: 'qindmi', authority: '440100', regYear: 2023, note: '粤A (Guangzhou)' },
  { owner: P('chengjian'), model: 'sylphy', authority: '440100', regYear: 2017, note: '粤A (Guangzhou)' },
  { owner: P('liaozm'), model: 'tayron', plate: null, regYear: 2026, note: 'new car, plate_no NULL' },
  { owner: P('zhongxue'), model: 'modely', plate: null, regYear: 2026, note: 'new car, plate_no NULL' },
  // every other vehicle state at least once
  { owner: P('lianggd'), model: 'passat', regYear: 2015, states: ['transferred_out'], note: 'transferred out' },
  { owner: P('linzhiming'), model: 'xtrail', regYear: 2019, states: ['stolen_robbed'], note: 'stolen' },
  { owner: P('xieyulan'), model: 'santana', regYear: 2014, states: ['out_of_service'], note: 'out of service' },
  { owner: P('luxy'), model: 'jetta', regYear: 2011, states: ['deregistered'], inspection: '2026-10', note: 'deregistered' },
  { owner: P('machao'), model: 'cruze', regYear: 2018, states: ['suspect'], note: 'suspect' },
  { owner: P('fengtao'), model: 'escape', regYear: 2020, states: ['withheld'], note: 'withheld (扣留)' },
  { owner: P('tangjun'), model: 'focus', regYear: 2019, states: ['detained'], note: 'detained (暂扣)' },
  { owner: P('zengdm'), model: 'santana', regYear: 2010, states: ['forcibly_deregistered'], inspection: '2026-10', note: 'forcibly deregistered' },
  { owner: P('hanmei'), model: 'sylphy', regYear: 2021, noPhoto: true, note: 'no certificate photo' },
  // ordinary private cars
  { owner: P('huangting'), model: 'model3' },
  { owner: P('hexuemei'), model: 'lavida' },
  { owner: P('luomin'), model: 'excelle' },
  { owner: P('songjia'), model: 'qindmi' },
  { owner: P('xuxd'), model: 'modely' },
  { owner: P('denglh'), model: 'sagitar' },
  { owner: P('caoyang'), model: 'cruze' },
  { owner: P('pengxy'), model: 'qinev' },
  { owner: P('xiaoyq'), model: 'lavida', regYear: 2023 },
  { owner: P('tianye'), model: 'escape' },
  { owner: P('dongxiao'), model: 'songdmi' },
  { owner: P('panml'), model: 'sylphy' },
  { owner: P('dupeng'), model: 'tayron' },
  { owner: P('suhai'), model: 'excelle' },
  { owner: P('renjy'), model: 'han' },
  { owner: P('yuanhao'), model: 'qindmi' },
  { owner: P('sunqiang'), model: 'passat' },
];

interface Vehicle {
  n: number;
  id: string;
  vin: string;
  plate: string | null;
  plateKind: string;
  type: string;
  brandModel: string;
  useNature: 'operating' | 'non_operating';
  ownerPersonId: string | null;
  ownerOrgId: string | null;
  ownerPhone: string;
  authority: string;
  registeredOn: string | null;
  inspectionValidUntil: string | null;
  axleLoadKg: number;
  brakeType: 'hydraulic' | 'pneumatic';
  states: string[];
  hasPhoto: boolean;
  note: string;
  owner: Person | Organisation;
}

const vehicles: Vehicle[] = vehicleSpecs.map((s, i) => {
  const model = M(s.model);
  const authority = s.authority ?? '440300';
  const prefix = authorities.find((a) => a.id === authority)!.prefix!;
  const truck = model.type.startsWith('H');
  const plateKind = truck ? 'large_yellow' : model.energy === 'ice' ? 'small_blue' : 'small_new_energy';
  let plate: string | null;
  if (s.plate === null) plate = null;
  else if (s.plate !== undefined) plate = reservePlate(s.plate);
  else plate = model.energy === 'ice' ? ordinaryPlate(prefix) : newEnergyPlate(prefix, model.energy);

  // registration month = inspection month (valid-until is the last day of the registration month)
  let registeredOn: string | null = null;
  let inspection: string | null = null;
  let year = s.regYear ?? int(Math.max(model.years[0], 2012), Math.min(model.years[1], 2025));
  if (plate !== null) {
    const ym = s.inspection ?? pick(INSPECTION_POOL);
    const [iy, im] = ym.split('-').map(Number) as [number, number];
    if (year >= iy) year = iy - 1;
    registeredOn = randomDayIn(year, im);
    inspection = lastDayOfMonth(iy, im);
  } else {
    year = 2026;
  }
  const vin = makeVin(model.wmi, model.vds, Math.max(year, model.years[0]), pick([...model.plants]));
  const owner = s.owner;
  return {
    n: i + 1,
    id: ids.vehicle(i + 1),
    vin,
    plate,
    plateKind,
    type: model.type,
    brandModel: model.brandModel,
    useNature: s.operating ? 'operating' : 'non_operating',
    ownerPersonId: isOrg(owner) ? null : owner.id,
    ownerOrgId: isOrg(owner) ? owner.id : null,
    ownerPhone: isOrg(owner) ? owner.contactPhone : owner.phone,
    authority,
    registeredOn,
    inspectionValidUntil: inspection,
    axleLoadKg: int(model.axle[0] / 10, model.axle[1] / 10) * 10,
    brakeType: truck ? 'pneumatic' : 'hydraulic',
    states: s.states ?? ['normal'],
    hasPhoto: !s.noPhoto,
    note: s.note ?? `${owner.name}`,
    owner,
  };
});
const vehiclesOf = (owner: Person | Organisation): Vehicle[] => vehicles.filter((v) => v.owner === owner);

// ---------------------------------------------------------------------------
// Driving licences
// ---------------------------------------------------------------------------

interface LicenceSpec {
  person: Person;
  classes: string;
  firstIssued?: string; // undefined = random
  status?: string;
  points?: number;
  noPhoto?: boolean;
  note?: string;
}
const licenceSpecs: LicenceSpec[] = [
  { person: P('zhangwei'), classes: 'C1', firstIssued: '2008-06-20', points: 3, note: 'bound by 张伟' },
  { person: P('wangfang'), classes: 'C1', firstIssued: '2021-01-20', note: 'expires 2027-01-20: renewal window' },
  { person: P('lina'), classes: 'C1', firstIssued: '2012-09-14' },
  { person: P('chenjing'), classes: 'C2', firstIssued: '2018-07-03' },
  { person: P('sunqiang'), classes: 'C1', firstIssued: '2005-04-11' },
  { person: P('liuli'), classes: 'C1', firstIssued: '2010-12-01' },
  { person: P('zhoujianguo'), classes: 'C1', firstIssued: '1995-03-18', status: 'cancelled', note: 'holder deceased' },
  { person: P('wuzhiqiang'), classes: 'C1', firstIssued: '2001-08-30', status: 'revoked', note: 'hit-and-run crime' },
  { person: P('xuyong'), classes: 'B2', firstIssued: '2006-02-17', status: 'revoked', note: 'DUI serious accident' },
  { person: P('dupeng'), classes: 'A2', firstIssued: '2009-05-06', note: 'truck driver' },
  { person: P('suhai'), classes: 'B2', firstIssued: '2004-10-19', note: 'truck driver' },
  { person: P('caiwen'), classes: 'C1', note: 'ride-hailing' },
  { person: P('fangwei'), classes: 'C1', note: 'ride-hailing' },
  { person: P('huangting'), classes: 'C2' },
  { person: P('linzhiming'), classes: 'A1', firstIssued: '1996-11-02', note: 'bus driver' },
  { person: P('hexuemei'), classes: 'C1' },
  { person: P('machao'), classes: 'C1', status: 'full_points', points: 12 },
  { person: P('luomin'), classes: 'C2' },
  { person: P('lianggd'), classes: 'C1' },
  { person: P('songjia'), classes: 'C1', firstIssued: '2021-02-08', note: 'expires 2027-02-08' },
  { person: P('tangjun'), classes: 'C1D', status: 'detained', points: 6 },
  { person: P('xuxd'), classes: 'C1' },
  { person: P('hanmei'), classes: 'C2', noPhoto: true },
  { person: P('fengtao'), classes: 'B2', firstIssued: '2003-09-25' },
  { person: P('caoyang'), classes: 'D', note: 'motorcycle only' },
  { person: P('tianye'), classes: 'C1', firstIssued: '2010-08-10', status: 'overdue_renewal', note: 'expired 2026-08-10' },
  { person: P('dongxiao'), classes: 'C2', firstIssued: '2019-03-22' },
  { person: P('yuanhao'), classes: 'C1', firstIssued: '2024-06-15', note: 'novice (first year passed)' },
  { person: P('jiangzg'), classes: 'C1', note: 'Guangzhou' },
  { person: P('chengjian'), classes: 'C1', note: 'Foshan' },
];

const LARGE_CLASSES = /A1|A2|A3|B1|B2/;
const licences = licenceSpecs.map((s, i) => {
  const p = s.person;
  const adult = addYears(p.birth, 18);
  const base = adult > '2011-01-01' ? adult : '2011-01-01';
  const firstIssued = s.firstIssued ?? addDays(base, int(30, Math.min(2500, daysBetween(base, TODAY) - 30)));
  if (firstIssued < adult || firstIssued > TODAY) throw new Error(`bad first issue for ${p.name}`);
  // 6-year first period, then 10-year periods. (After 6 + 10 years the real card
  // becomes 长期 "long term"; valid_until is NOT NULL, so the demo models that
  // as further 10-year periods.) An overdue_renewal licence keeps its expired period.
  let validFrom = firstIssued;
  let validUntil = addYears(firstIssued, 6);
  while (validUntil <= TODAY) {
    // overdue_renewal: stay on the last period, which ended before TODAY
    if (s.status === 'overdue_renewal' && addYears(validUntil, 10) > TODAY) break;
    validFrom = validUntil;
    validUntil = addYears(validFrom, 10);
  }
  if (s.status === 'overdue_renewal' && validUntil > TODAY) throw new Error('overdue_renewal must be expired');
  // large-vehicle classes are reviewed every year: next anniversary of the first issue
  let review: string | null = null;
  if (LARGE_CLASSES.test(s.classes)) {
    review = `${TODAY.slice(0, 4)}${firstIssued.slice(4)}`;
    if (review <= TODAY) review = addYears(review, 1);
  }
  const status = s.status ?? 'valid';
  const points = s.points ?? (status === 'valid' ? pick([0, 0, 0, 0, 1, 2, 3, 6]) : 0);
  const authority = p.region.startsWith('4401') ? '440100' : p.region.startsWith('4406') ? '440600' : '440300';
  return {
    n: i + 1,
    id: ids.licence(i + 1),
    licenceNo: p.idNumber,
    person: p,
    classes: s.classes,
    firstIssued,
    validFrom,
    validUntil,
    review,
    status,
    points,
    phone: p.phone,
    authority,
    hasPhoto: !s.noPhoto,
    note: s.note ?? p.name,
  };
});
const licenceOf = (p: Person) => {
  const l = licences.find((x) => x.person === p);
  if (!l) throw new Error(`no licence for ${p.name}`);
  return l;
};

// ---------------------------------------------------------------------------
// Stations and staff
// ---------------------------------------------------------------------------

const stations = [
  {
    key: 'futian',
    id: ids.station(1),
    name: '深圳市福田机动车检测站',
    authority: '440300',
    address: '广东省深圳市福田区泰然九路18号',
    latitude: '22.533406',
    longitude: '114.024528',
    phone: '0755-83921122',
    vehicleTypes: ['K33', 'K31', 'K32'],
    maxAxleLoadKg: 2000,
    brakeTypes: ['hydraulic'],
  },
  {
    key: 'baoan',
    id: ids.station(2),
    name: '深圳市宝安机动车检测站',
    authority: '440300',
    address: '广东省深圳市宝安区西乡街道宝源路1065号',
    latitude: '22.574137',
    longitude: '113.872605',
    phone: '0755-27781234',
    vehicleTypes: ['K33', 'K31', 'K32', 'H11', 'H21', 'H31'],
    maxAxleLoadKg: 13000,
    brakeTypes: ['hydraulic', 'pneumatic', 'mixed'],
  },
  {
    key: 'tianhe',
    id: ids.station(3),
    name: '广州市天河机动车检测站',
    authority: '440100',
    address: '广东省广州市天河区中山大道西89号',
    latitude: '23.127215',
    longitude: '113.342719',
    phone: '020-85561234',
    vehicleTypes: ['K33', 'K31', 'K32'],
    maxAxleLoadKg: 2000,
    brakeTypes: ['hydraulic'],
  },
];


/** RFC 4648 base32 (no padding) → bytes, for the keys above. */
function base32Bytes(b32: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of b32) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${b32}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (b32.length % 8 !== 0) throw new Error(`a demo TOTP key is 32 base32 characters (20 bytes): ${b32}`);
  return Buffer.from(out);
}
if (base32Bytes(STAFF_TOTP_KEYS.admin!).toString('ascii') !== '12345678901234567890') throw new Error('admin TOTP key is not the RFC 6238 test key');
if (new Set(Object.values(STAFF_TOTP_KEYS)).size !== Object.keys(STAFF_TOTP_KEYS).length) throw new Error('demo TOTP keys must be distinct');

const staff = [
  { username: 'sz.intake', displayName: '深圳受理员 林晓', roles: ['intake'], authority: '440300' },
  { username: 'sz.review', displayName: '深圳审核员 陈国华', roles: ['review'], authority: '440300' },
  { username: 'sz.archive', displayName: '深圳档案员 何丽', roles: ['archive'], authority: '440300' },
  { username: 'gz.intake', displayName: '广州受理员 罗嘉欣', roles: ['intake'], authority: '440100' },
  { username: 'gd.review', displayName: '广东省审核员 郑永刚', roles: ['review'], authority: '440000' },
  { username: 'station.futian', displayName: '福田检测站 操作员 王磊', roles: ['station_operator'], authority: '440300', station: 'futian' },
  { username: 'dealer.pengcheng', displayName: '鹏城汽车 经办人 黄小明', roles: ['dealer'], authority: '440300', organisation: 'dealer' },
  { username: 'admin', displayName: '系统管理员', roles: ['system_admin'], authority: '440300' },
  // 审计员: reads the audit log, holds no business post (issue 17, ADR-024)
  { username: 'sz.audit', displayName: '深圳审计员 周敏', roles: ['auditor'], authority: '440300' },
  // 医疗机构操作员: an entrusted hospital's operator (X-4.3.1, PD-12)
  { username: 'medical.binhai', displayName: '滨海人民医院 体检科 操作员 罗敏', roles: ['medical_operator'], authority: '440300', organisation: 'hospital' },
  // 考试场操作员: the exam centre's operator (X-4.4.7); the exam module binds the account to its exam station
  { username: 'exam.szks', displayName: '深圳市机动车驾驶人考试中心 操作员 袁博', roles: ['exam_operator'], authority: '440300' },
].map((s, i) => ({ ...s, id: ids.staff(i + 1), totpKey: base32Bytes(STAFF_TOTP_KEYS[s.username]!) }));

// ---------------------------------------------------------------------------
// Accounts and bindings
// ---------------------------------------------------------------------------

const accounts = [
  {
    key: 'zhangwei',
    id: ids.account(1),
    kind: 'personal',
    personalType: 'owner_driver',
    channel: 'counter',
    person: P('zhangwei'),
    organisation: null as Organisation | null,
    phone: P('zhangwei').phone,
    email: 'zhangwei@example.com',
    postalAddress: P('zhangwei').address,
    postcode: '518048',
    authority: '440300' as string | null,
    createdAt: '2024-03-15 10:12:00+08',
  },
  {
    key: 'wangfang',
    id: ids.account(2),
    kind: 'personal',
    personalType: 'owner_driver',
    channel: 'online',
    person: P('wangfang'),
    organisation: null,
    phone: P('wangfang').phone,
    email: null as string | null,
    postalAddress: P('wangfang').address,
    postcode: '518057',
    authority: null,
    createdAt: '2025-06-02 21:40:00+08',
  },
  {
    key: 'logistics',
    id: ids.account(3),
    kind: 'organisation',
    personalType: null as string | null,
    channel: 'counter',
    person: P('sunqiang'),
    organisation: O('logistics'),
    phone: P('sunqiang').phone,
    email: 'fleet@shundatong.example.com',
    postalAddress: O('logistics').address,
    postcode: O('logistics').postcode,
    authority: '440300',
    createdAt: '2025-02-18 09:30:00+08',
  },
];
const A = (key: string) => accounts.find((a) => a.key === key)!;

const zw = vehiclesOf(P('zhangwei'));
const vehicleBindings = [
  { account: A('zhangwei'), vehicle: zw[0]!, kind: 'own', at: '2024-03-15 10:20:00+08' },
  { account: A('zhangwei'), vehicle: zw[1]!, kind: 'own', at: '2024-03-15 10:21:00+08' },
  { account: A('zhangwei'), vehicle: vehiclesOf(P('liuli'))[0]!, kind: 'non_own', at: '2024-05-04 19:05:00+08' },
  { account: A('wangfang'), vehicle: vehiclesOf(P('wangfang'))[0]!, kind: 'own', at: '2025-06-02 21:45:00+08' },
  ...vehiclesOf(O('logistics')).map((v, i) => ({
    account: A('logistics'),
    vehicle: v,
    kind: 'organisation',
    at: `2025-02-18 09:${pad(40 + i, 2)}:00+08`,
  })),
].map((b, i) => ({ ...b, id: ids.vehicleBinding(i + 1) }));

const licenceBindings = [
  { account: A('zhangwei'), licence: licenceOf(P('zhangwei')), kind: 'own', at: '2024-03-15 10:22:00+08' },
  { account: A('wangfang'), licence: licenceOf(P('wangfang')), kind: 'own', at: '2025-06-02 21:46:00+08' },
  // R-9.1.4: the company's drivers' licences bound to the organisation account
  { account: A('logistics'), licence: licenceOf(P('dupeng')), kind: 'organisation', at: '2025-02-18 10:05:00+08' },
  { account: A('logistics'), licence: licenceOf(P('suhai')), kind: 'organisation', at: '2025-02-18 10:06:00+08' },
].map((b, i) => ({ ...b, id: ids.licenceBinding(i + 1) }));

// ---------------------------------------------------------------------------
// Consistency checks
// ---------------------------------------------------------------------------

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`seed consistency: ${msg}`);
}
const accountPersons = new Set(accounts.map((a) => a.person));
for (const key of ['lina', 'zhaolei', 'chenjing']) assert(!accountPersons.has(P(key)), `${key} must have no account`);
assert(vehiclesOf(P('lina')).length === 2, '李娜 owns 2 vehicles');
assert(licenceOf(P('lina')).classes === 'C1', '李娜 has a C1 licence');
assert(vehiclesOf(P('zhaolei')).length === 1, '赵磊 owns 1 vehicle');
assert(vehiclesOf(P('chenjing')).length === 0, '陈静 owns no vehicle');
for (const st of ['transferred_out', 'stolen_robbed', 'out_of_service', 'deregistered', 'suspect', 'withheld', 'detained', 'forcibly_deregistered', 'hit_and_run', 'locked']) {
  assert(vehicles.some((v) => v.states.includes(st)), `a vehicle in state ${st}`);
}
for (const v of vehicles) {
  if (v.plate !== null) {
    const prefix = authorities.find((a) => a.id === v.authority)!.prefix!;
    const serial = v.plate.slice(prefix.length);
    assert(v.plate.startsWith(prefix), `plate prefix ${v.plate}`);
    if (v.plateKind === 'small_new_energy') assert(/^[DF][0-9]{5}$/.test(serial), `NEV plate ${v.plate}`);
    else {
      assert(/^[0-9A-HJ-NP-Z]{5}$/.test(serial), `plate ${v.plate}`);
      assert(serial.replace(/[0-9]/g, '').length <= 2, `plate ${v.plate} has at most 2 letters`);
    }
    assert(v.registeredOn! <= TODAY, `registered_on ${v.registeredOn} in the past`);
  }
  if (!isOrg(v.owner)) assert(v.ownerPhone === v.owner.phone, 'owner_phone = person phone');
}
const soon = vehicles.filter((v) => v.inspectionValidUntil && v.inspectionValidUntil > TODAY && v.inspectionValidUntil <= '2027-02-25');
assert(soon.length >= 3, 'some inspections due within 3 months');
assert(vehicles.some((v) => v.inspectionValidUntil?.startsWith('2027-04')), 'some inspections 5 months out');

// ---------------------------------------------------------------------------
// SQL output
// ---------------------------------------------------------------------------

type SqlValue = string | number | boolean | null | { raw: string };
function lit(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'object') return v.raw;
  return `'${v.replaceAll("'", "''")}'`;
}
const arr = (xs: string[]): SqlValue => `{${xs.join(',')}}`;

function insert(table: string, columns: string[], rows: { values: SqlValue[]; comment?: string }[]): string {
  const lines = rows.map((r, i) => {
    if (r.values.length !== columns.length) throw new Error(`${table}: column count`);
    const sep = i === rows.length - 1 ? ';' : ',';
    const comment = r.comment ? `  -- ${r.comment.replaceAll('\n', ' ')}` : '';
    return `  (${r.values.map(lit).join(', ')})${sep}${comment}`;
  });
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES\n${lines.join('\n')}\n`;
}

async function passwordHashes(): Promise<Record<string, string>> {
  const existing = existsSync(OUT) ? [...readFileSync(OUT, 'utf8').matchAll(/\$argon2id\$[^']+/g)].map((m) => m[0]) : [];
  const candidates = [...new Set(existing)];
  const out: Record<string, string> = {};
  for (const pw of [CITIZEN_PASSWORD, STAFF_PASSWORD]) {
    let found: string | undefined;
    for (const h of candidates) {
      if (await argon2.verify(h, pw)) {
        found = h;
        break;
      }
    }
    out[pw] = found ?? (await argon2.hash(pw));
  }
  return out;
}

async function main(): Promise<void> {
  const hashes = await passwordHashes();
  const parts: string[] = [];
  parts.push(`-- Demo seed data: 深圳 (粤B) and 广东省. GENERATED by db/seed/generate.ts — do not edit by hand.
-- Regenerate: cd bff && npx tsx ../db/seed/generate.ts
-- Fixed "today": ${TODAY}. Loads on an empty database migrated with 0001_foundation.sql;
-- the loader wraps this file in one transaction.
-- Demo passwords: citizens ${CITIZEN_PASSWORD}, staff ${STAFF_PASSWORD} (see db/seed/README.md).
`);

  parts.push('-- 公安机关交通管理部门');
  parts.push(
    insert(
      'authority',
      ['id', 'name', 'level', 'parent_id', 'plate_prefix'],
      authorities.map((a) => ({ values: [a.id, a.name, a.level, a.parent, a.prefix] })),
    ),
  );

  parts.push('-- 人口信息库: population registry');
  parts.push(
    insert(
      'person',
      ['id', 'id_type', 'id_number', 'name', 'sex', 'birth_date', 'address', 'phone', 'deceased', 'has_photo'],
      persons.map((p) => ({
        values: [p.id, 'resident_id', p.idNumber, p.name, p.sex, p.birth, p.address, p.phone, !!p.deceased, p.hasPhoto ?? true],
        comment: p.note,
      })),
    ),
  );

  parts.push(
    insert(
      'person_disqualification',
      ['person_id', 'kind', 'since', 'until'],
      disqualifications.map((d) => ({ values: [d.person.id, d.kind, d.since, d.until], comment: d.person.name })),
    ),
  );

  parts.push('-- 单位');
  parts.push(
    insert(
      'organisation',
      ['id', 'uscc', 'name', 'kind', 'is_car_dealer', 'is_medical_institution', 'address', 'postcode', 'legal_rep_name', 'legal_rep_phone', 'authority_id'],
      organisations.map((o) => ({
        values: [o.id, o.uscc, o.name, o.kind, o.isCarDealer, o.isMedical, o.address, o.postcode, o.legalRepName, o.legalRepPhone, '440300'],
      })),
    ),
  );

  parts.push('-- 机动车');
  parts.push(
    insert(
      'vehicle',
      [
        'id', 'vin', 'plate_no', 'plate_kind', 'vehicle_type', 'brand_model', 'use_nature',
        'owner_person_id', 'owner_organisation_id', 'owner_phone', 'registration_authority_id',
        'registered_on', 'inspection_valid_until', 'axle_load_kg', 'brake_type', 'states', 'has_certificate_photo',
      ],
      vehicles.map((v) => ({
        values: [
          v.id, v.vin, v.plate, v.plateKind, v.type, v.brandModel, v.useNature,
          v.ownerPersonId, v.ownerOrgId, v.ownerPhone, v.authority,
          v.registeredOn, v.inspectionValidUntil, v.axleLoadKg, v.brakeType, arr(v.states), v.hasPhoto,
        ],
        comment: v.note,
      })),
    ),
  );

  parts.push('-- 驾驶证');
  parts.push(
    insert(
      'driving_licence',
      [
        'id', 'licence_no', 'person_id', 'classes', 'first_issued_on', 'valid_from', 'valid_until',
        'review_valid_until', 'status', 'points', 'phone', 'issuing_authority_id', 'has_certificate_photo',
      ],
      licences.map((l) => ({
        values: [
          l.id, l.licenceNo, l.person.id, l.classes, l.firstIssued, l.validFrom, l.validUntil,
          l.review, l.status, l.points, l.phone, l.authority, l.hasPhoto,
        ],
        comment: l.note,
      })),
    ),
  );

  parts.push('-- 检验机构');
  parts.push(
    insert(
      'inspection_station',
      ['id', 'name', 'authority_id', 'address', 'latitude', 'longitude', 'phone', 'vehicle_types', 'max_axle_load_kg', 'brake_types'],
      stations.map((s) => ({
        values: [
          s.id, s.name, s.authority, s.address, { raw: s.latitude }, { raw: s.longitude }, s.phone,
          arr(s.vehicleTypes), s.maxAxleLoadKg, arr(s.brakeTypes),
        ],
      })),
    ),
  );

  parts.push('-- 互联网用户');
  parts.push(
    insert(
      'user_account',
      [
        'id', 'kind', 'personal_type', 'registration_channel', 'person_id', 'organisation_id', 'phone', 'email',
        'postal_address', 'postcode', 'password_hash', 'status', 'authority_id', 'created_at',
      ],
      accounts.map((a) => ({
        values: [
          a.id, a.kind, a.personalType, a.channel, a.person.id, a.organisation?.id ?? null, a.phone, a.email,
          a.postalAddress, a.postcode, hashes[CITIZEN_PASSWORD]!, 'active', a.authority, a.createdAt,
        ],
        comment: a.organisation ? `${a.organisation.name} (agent ${a.person.name})` : a.person.name,
      })),
    ),
  );

  parts.push(
    insert(
      'vehicle_binding',
      ['id', 'user_account_id', 'vehicle_id', 'kind', 'bound_at'],
      vehicleBindings.map((b) => ({
        values: [b.id, b.account.id, b.vehicle.id, b.kind, b.at],
        comment: `${b.account.key} → ${b.vehicle.plate ?? b.vehicle.vin}`,
      })),
    ),
  );
  parts.push(
    insert(
      'licence_binding',
      ['id', 'user_account_id', 'licence_id', 'kind', 'bound_at'],
      licenceBindings.map((b) => ({
        values: [b.id, b.account.id, b.licence.id, b.kind, b.at],
        comment: `${b.account.key} → ${b.licence.person.name}`,
      })),
    ),
  );

  parts.push('-- 工作人员 (posts: intake 受理岗, review 管理岗, archive 档案岗, …)');
  parts.push(
    insert(
      'staff_member',
      ['id', 'username', 'display_name', 'password_hash', 'roles', 'authority_id', 'station_id', 'organisation_id', 'totp_key', 'totp_enabled'],
      staff.map((s) => ({
        values: [
          s.id, s.username, s.displayName, hashes[STAFF_PASSWORD]!, arr(s.roles), s.authority,
          s.station ? stations.find((x) => x.key === s.station)!.id : null,
          s.organisation ? O(s.organisation).id : null,
          { raw: `'\\x${s.totpKey.toString('hex')}'::bytea` },
          true,
        ],
      })),
    ),
  );

  writeFileSync(OUT, parts.join('\n'));
  console.log(
    `wrote ${OUT}: ${persons.length} persons, ${organisations.length} organisations, ${vehicles.length} vehicles, ` +
      `${licences.length} licences, ${accounts.length} accounts, ${stations.length} stations, ${staff.length} staff`,
  );
}

await main();

// ===========================================================================
// Issue 6 — safety-inspection appointments (第三章第四节, R-34 .. R-36).
// Appended block: everything above is unchanged and writes the same bytes;
// this block appends its own statements to demo.sql (tables of
// db/migrations/0004_inspections.sql). Demo data only.
//   - R-36.1 city switch: 深圳 and 广州 offer booking, 佛山 does not.
//   - Schedules (Mon–Sat, four slots a day) for the three stations; slots
//     2026-11-26 .. 2026-12-31 for 宝安 and 天河 only — 福田's operator
//     publishes its own (the e2e story does).
//   - 黄婷 (already a person above, phone 18656166424) gets an online account
//     (her Model 3 and C2 licence bound) and two more own vehicles: 粤BS6601,
//     inspection valid until 2027-04-30 (about five months out: R-35.3 refuses
//     it), and 粤AK6602, registered in 广州 (粤A), valid until 2027-01-31: a
//     cross-city booking in Shenzhen needs a published plan (R-35.4).
//     No new person row: seed-codes.test.ts reads persons from one statement.
// ===========================================================================
{
  const { appendFileSync } = await import('node:fs');
  const blockHashes = await passwordHashes(); // demo.sql exists now: the same hashes as above
  const INSPECTIONS_AT = '2026-11-20 09:00:00+08';

  const cityRows = [
    { authority: '440300', enabled: true, note: '深圳市提供机动车安全技术检验网上预约' },
    { authority: '440100', enabled: true, note: '广州市提供机动车安全技术检验网上预约' },
    { authority: '440600', enabled: false, note: '佛山市暂未开通网上预约' },
  ];
  const scheduleTimes = [
    ['09:00', '10:30'],
    ['10:30', '12:00'],
    ['14:00', '15:30'],
    ['15:30', '17:00'],
  ] as const;
  const stationKeysWithSlots = ['baoan', 'tianhe'];

  const owner = P('huangting');
  const blockVehicles = [
    { n: 601, plate: reservePlate('粤BS6601'), model: M('excelle'), authority: '440300', registeredOn: '2021-04-16', valid: '2027-04-30', note: '黄婷 own; inspection valid until 2027-04-30 (five months out)' },
    { n: 602, plate: reservePlate('粤AK6602'), model: M('lavida'), authority: '440100', registeredOn: '2020-01-09', valid: '2027-01-31', note: '黄婷 own; registered in 广州 (粤A), inspection due' },
  ].map((v) => ({ ...v, id: ids.vehicle(v.n), vin: makeVin(v.model.wmi, v.model.vds, Number(v.registeredOn.slice(0, 4)), v.model.plants[0]!) }));
  const blockAccount = { id: ids.account(601), createdAt: '2026-09-03 20:15:00+08' };

  assert(!accounts.some((a) => a.person === owner), '黄婷 had no account');
  for (const v of blockVehicles) assert(!vehicles.some((x) => x.vin === v.vin || x.plate === v.plate), `new vehicle ${v.plate} unique`);

  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 6: safety-inspection appointments (needs db/migrations/0004_inspections.sql)',
    '-- ---------------------------------------------------------------------------', ''];
  out.push('-- R-36.1: which cities offer online inspection booking');
  out.push(insert('inspection_city_setting', ['authority_id', 'booking_enabled', 'note', 'updated_at'],
    cityRows.map((c) => ({ values: [c.authority, c.enabled, c.note, INSPECTIONS_AT] }))));
  out.push('-- R-36.2.1: station schedules (ISO weekdays 1..6 = Mon..Sat) and time slots');
  out.push(insert('inspection_schedule', ['station_id', 'opening_days', 'updated_at'],
    stations.map((s) => ({ values: [s.id, '{1,2,3,4,5,6}', INSPECTIONS_AT], comment: s.name }))));
  out.push(insert('inspection_schedule_time', ['station_id', 'starts_at', 'ends_at', 'capacity'],
    stations.flatMap((s) => scheduleTimes.map(([from, to]) => ({ values: [s.id, from, to, s.key === 'baoan' ? 16 : 12] })))));
  const slotStations = stations.filter((s) => stationKeysWithSlots.includes(s.key));
  out.push(`-- published slots of ${slotStations.map((s) => s.name).join('、')}: every opening day 2026-11-26 .. 2026-12-31`);
  out.push(`INSERT INTO inspection_slot (station_id, day, starts_at, ends_at, capacity, created_at, updated_at)
SELECT t.station_id, d::date, t.starts_at, t.ends_at, t.capacity, '${INSPECTIONS_AT}'::timestamptz, '${INSPECTIONS_AT}'::timestamptz
FROM inspection_schedule s
JOIN inspection_schedule_time t ON t.station_id = s.station_id
CROSS JOIN generate_series('2026-11-26'::date, '2026-12-31'::date, interval '1 day') AS d
WHERE s.station_id IN (${slotStations.map((s) => lit(s.id)).join(', ')})
  AND extract(isodow FROM d)::smallint = ANY (s.opening_days)
ORDER BY 1, 2, 3;
`);
  out.push('-- 黄婷: an online account, and two more own vehicles (five months out; 粤A)');
  out.push(insert('vehicle', [
    'id', 'vin', 'plate_no', 'plate_kind', 'vehicle_type', 'brand_model', 'use_nature',
    'owner_person_id', 'owner_organisation_id', 'owner_phone', 'registration_authority_id',
    'registered_on', 'inspection_valid_until', 'axle_load_kg', 'brake_type', 'states', 'has_certificate_photo',
  ], blockVehicles.map((v) => ({
    values: [v.id, v.vin, v.plate, 'small_blue', v.model.type, v.model.brandModel, 'non_operating', owner.id, null, owner.phone, v.authority,
      v.registeredOn, v.valid, 860, 'hydraulic', '{normal}', true],
    comment: v.note,
  }))));
  out.push(insert('user_account', [
    'id', 'kind', 'personal_type', 'registration_channel', 'person_id', 'organisation_id', 'phone', 'email',
    'postal_address', 'postcode', 'password_hash', 'status', 'authority_id', 'created_at',
  ], [{ values: [blockAccount.id, 'personal', 'owner_driver', 'online', owner.id, null, owner.phone, null, owner.address, '518052',
    blockHashes[CITIZEN_PASSWORD]!, 'active', null, blockAccount.createdAt], comment: owner.name }]));
  out.push(insert('vehicle_binding', ['id', 'user_account_id', 'vehicle_id', 'kind', 'bound_at'],
    [...vehiclesOf(owner), ...blockVehicles].map((v, i) => ({ values: [ids.vehicleBinding(601 + i), blockAccount.id, v.id, 'own', '2026-09-03 20:16:00+08'], comment: `huangting → ${v.plate}` }))));
  out.push(insert('licence_binding', ['id', 'user_account_id', 'licence_id', 'kind', 'bound_at'],
    [{ values: [ids.licenceBinding(601), blockAccount.id, licenceOf(owner).id, 'own', '2026-09-03 20:16:00+08'], comment: `huangting → ${owner.name}` }]));
  appendFileSync(OUT, out.join('\n'));
  console.log('appended the inspections block (issue 6): 3 city settings, 3 schedules, slots for 2 stations, an account for 黄婷 with 2 more vehicles');
}

// ===========================================================================
// Issue 5 — replacements (第三章第二节, R-26 .. R-29) and dealer-issued
// temporary plates (第三章第三节, R-30 .. R-33).
// Appended block: everything above is unchanged and writes the same bytes;
// this block appends its own statements to demo.sql (tables of
// db/migrations/0005_replacements.sql). Demo data only.
//   - R-28.1: the plate kinds each city replaces online: 深圳 small and large
//     (blue, yellow, new-energy), 广州 small ones only, 佛山 none.
//   - R-32.1: 深圳 and 广州 entrust car dealers with temporary plates, 佛山 does not.
//   - 冯涛 (already a person above) gets a counter-registered account with his
//     own 粤B59D69 bound: the vehicle is 扣留 (withheld), so R-27.2 refuses
//     every replacement for it. No new person row.
// ===========================================================================
{
  const { appendFileSync } = await import('node:fs');
  const blockHashes = await passwordHashes(); // demo.sql exists now: the same hashes as above
  const SETTINGS_AT = '2026-11-20 09:30:00+08';
  const owner = P('fengtao');
  const withheld = vehiclesOf(owner).find((v) => v.states.includes('withheld'));
  assert(withheld, '冯涛 owns the withheld vehicle');
  assert(!accounts.some((a) => a.person === owner), '冯涛 had no account');
  const blockAccount = { id: ids.account(701), createdAt: '2025-08-12 10:40:00+08' };

  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 5: replacements and dealer temporary plates (needs db/migrations/0005_replacements.sql)',
    '-- ---------------------------------------------------------------------------', ''];
  out.push('-- R-28.1: plate kinds replaced online, per city');
  out.push(insert('replacement_city_setting', ['authority_id', 'online_plate_kinds', 'note', 'updated_at'], [
    { values: ['440300', arr(['large_new_energy', 'large_yellow', 'small_blue', 'small_new_energy']), '深圳市可网上补换领大型、小型汽车号牌（含新能源）', SETTINGS_AT] },
    { values: ['440100', arr(['small_blue', 'small_new_energy']), '广州市可网上补换领小型汽车号牌（含新能源）', SETTINGS_AT] },
    { values: ['440600', arr([]), '佛山市暂未开通号牌网上补换领', SETTINGS_AT] },
  ]));
  out.push('-- R-32.1: whether each city entrusts car dealers with temporary plates');
  out.push(insert('temp_plate_city_setting', ['authority_id', 'dealers_enabled', 'note', 'updated_at'], [
    { values: ['440300', true, '深圳市委托汽车销售商核发临时号牌', SETTINGS_AT] },
    { values: ['440100', true, '广州市委托汽车销售商核发临时号牌', SETTINGS_AT] },
    { values: ['440600', false, '佛山市暂不委托汽车销售商核发临时号牌', SETTINGS_AT] },
  ]));
  out.push('-- 冯涛: a counter-registered account with his withheld (扣留) 粤B59D69');
  out.push(insert('user_account', [
    'id', 'kind', 'personal_type', 'registration_channel', 'person_id', 'organisation_id', 'phone', 'email',
    'postal_address', 'postcode', 'password_hash', 'status', 'authority_id', 'created_at',
  ], [{ values: [blockAccount.id, 'personal', 'owner_driver', 'counter', owner.id, null, owner.phone, null, owner.address, '518131',
    blockHashes[CITIZEN_PASSWORD]!, 'active', '440300', blockAccount.createdAt], comment: owner.name }]));
  out.push(insert('vehicle_binding', ['id', 'user_account_id', 'vehicle_id', 'kind', 'bound_at'],
    [{ values: [ids.vehicleBinding(701), blockAccount.id, withheld.id, 'own', '2025-08-12 10:41:00+08'], comment: `fengtao → ${withheld.plate}` }]));
  appendFileSync(OUT, out.join('\n'));
  console.log(`appended the replacements block (issue 5): city settings for R-28.1 and R-32.1, a counter account for 冯涛 (${owner.phone}) with his withheld ${withheld.plate}`);
}

// ===========================================================================
// Issue 3 — accounts (第二章, R-7 .. R-21).
// Appended block: everything above is unchanged and writes the same bytes;
// this block appends its own statements to demo.sql (tables of
// db/migrations/0002_accounts.sql). Demo data only.
//   - 刘建华 (already a person above; no vehicle, no licence, no account) has
//     an accepted first-licence application (初次申领, C1) at 深圳: he may
//     register online as 学员 (R-7.1, R-9.2) with the phone of that
//     application (R-11.2), and 受理岗 can record the licence issued, which
//     turns the account into a driver's (R-9.2.2). No new person row.
//   - 廖志明 and 钟雪 already own a new car without a plate: they may
//     register as 新车车主 (R-9.3) — nothing to add for them.
// ===========================================================================
{
  const { appendFileSync } = await import('node:fs');
  const learner = P('liujh');
  assert(!accounts.some((a) => a.person === learner), '刘建华 had no account');
  assert(vehiclesOf(learner).length === 0, '刘建华 owns no vehicle');
  assert(!licences.some((l) => l.person === learner), '刘建华 holds no licence');
  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 3: accounts (needs db/migrations/0002_accounts.sql)',
    '-- ---------------------------------------------------------------------------', ''];
  out.push('-- R-7.1 / R-9.2: an accepted first-licence application (学员 may register online)');
  out.push(insert('licence_application', ['id', 'person_id', 'kind', 'classes', 'phone', 'status', 'authority_id', 'accepted_at'], [
    { values: ['a0000000-0000-4000-8000-000000000801', learner.id, 'first_licence', 'C1', learner.phone, 'accepted', '440300', '2026-11-10 10:20:00+08'], comment: learner.name },
  ]));
  appendFileSync(OUT, out.join('\n'));
  console.log(`appended the accounts block (issue 3): an accepted first-licence application for 刘建华 (${learner.phone})`);
}

// ===========================================================================
// Issue 18 — plate preselection open after `npm start` (第三章第一节, R-24, R-25).
// Appended block: everything above is unchanged and writes the same bytes;
// this block appends its own statements to demo.sql (tables of
// db/migrations/0003_plates.sql). Demo data only.
//   - 深圳 has one OPEN small new-energy segment 粤BD + 5 digits without the
//     digit 4 (D#####, excluded digit 4): 9^5 = 59,049 numbers, so a new user
//     can preselect (self-composed or random) at once. Its plan went through
//     the whole lifecycle (R-25.1 – R-25.4) in October 2026 and opened on
//     2026-11-02. The pool rows are written by generate_series in the order
//     and with the chained digest the build job (plates/service.ts
//     buildPoolChunk, chunks of 50,000 candidates) would give;
//     plates/fairness.test.ts re-derives both from the database.
//   - The numbers of the demo's own new-energy cars are left out as the build
//     leaves out numbers already issued (粤BD07628, 粤BD25388, 粤BD59776,
//     粤BD98578; those with a 4 are not candidates anyway): 59,045 rows.
// ===========================================================================
{
  const { appendFileSync } = await import('node:fs');
  const { createHash } = await import('node:crypto');
  const rules = await import('../../bff/src/modules/plates/rules.ts');
  const PLAN_ID = 'b0000000-0000-4000-8000-000000000901';
  const REVIEW = ids.staff(2); // sz.review, 深圳审核员 陈国华
  const BUILD_CHUNK = 50_000; // plates/service.ts BUILD_CHUNK
  const parsed = rules.parsePattern('small_new_energy', 'D#####');
  assert(parsed.ok, 'demo pattern parses');
  const pattern = parsed.value;
  const exclude = '4';
  const total = rules.candidateCount(pattern);
  // what the build job keeps, in candidate order, chunk by chunk
  const chunks: string[][] = [];
  let excludedDigits = 0;
  const taken: string[] = [];
  for (let from = 0; from < total; from += BUILD_CHUNK) {
    const rows: string[] = [];
    for (let i = from; i < Math.min(total, from + BUILD_CHUNK); i++) {
      const serial = rules.candidateAt(pattern, i);
      if (rules.serialProblems('small_new_energy', serial).length > 0) continue;
      if (rules.hasExcludedDigit(serial, exclude)) {
        excludedDigits++;
        continue;
      }
      if (usedPlates.has(`粤B${serial}`)) {
        taken.push(`粤B${serial}`); // issued in the vehicle records: not in the pool
        continue;
      }
      rows.push(`粤B${serial}`);
    }
    chunks.push(rows);
  }
  const pool = chunks.flat();
  const usable = rules.usableSegmentSize(pattern, exclude, []).usable;
  assert(usable === 59_049 && pool.length + taken.length === usable, `demo segment holds 9^5 numbers (${pool.length} + ${taken.length} taken, counted ${usable})`);
  // the SQL below writes candidate i → 粤BD + i in base 9 with the digits 0 1 2 3 5 6 7 8 9, without the taken ones, idx dense
  const base9 = (i: number) => [6561, 729, 81, 9, 1].map((w) => '012356789'[Math.floor(i / w) % 9]).join('');
  const takenSet = new Set(taken);
  const expected = Array.from({ length: usable }, (_, i) => `粤BD${base9(i)}`).filter((p) => !takenSet.has(p));
  assert(expected.length === pool.length && expected.every((p, i) => p === pool[i]), 'the SQL writes the pool the build would');
  let digest = '';
  for (const rows of chunks) digest = createHash('sha256').update(`${digest}\n${rows.join('\n')}`).digest('hex');

  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 18: an open plate segment (needs db/migrations/0003_plates.sql)',
    '-- ---------------------------------------------------------------------------', ''];
  out.push('-- R-25: 深圳 small new-energy segment 粤BD##### without the digit 4, open since 2026-11-02');
  out.push(insert('plate_segment_plan', [
    'id', 'authority_id', 'prefix', 'plate_kind', 'pattern', 'size', 'exclude_digits', 'withheld_serials', 'start_at', 'note', 'status',
    'created_by', 'created_at', 'submitted_by', 'submitted_at',
    'approval_kind', 'approval_authority_id', 'approval_ref', 'approval_recorded_by', 'approval_recorded_at',
    'published_by', 'published_at', 'build_started_by', 'build_started_at', 'build_finished_at',
    'build_total', 'build_cursor', 'build_excluded_taken', 'build_excluded_digits', 'pool_size', 'pool_version', 'pool_digest',
    'opened_by', 'opened_at', 'updated_at',
  ], [{ values: [
    PLAN_ID, '440300', '粤B', 'small_new_energy', 'D#####', usable, exclude, arr([]), '2026-11-02 00:00:00+08', '小型新能源汽车号段（不含数字4），演示数据', 'open',
    REVIEW, '2026-10-12 09:00:00+08', REVIEW, '2026-10-12 09:30:00+08',
    'filed', '440000', '粤公交管〔2026〕61号', REVIEW, '2026-10-19 10:00:00+08',
    REVIEW, '2026-10-20 09:00:00+08', REVIEW, '2026-10-26 09:00:00+08', '2026-10-26 09:05:00+08',
    total, total, taken.length, excludedDigits, pool.length, 1, digest,
    REVIEW, '2026-11-02 08:30:00+08', '2026-11-02 08:30:00+08',
  ], comment: '粤BD##### 不含4' }]));
  out.push(`-- R-25.4: the pool, ${pool.length} rows, idx 0 … ${pool.length - 1} in plate order (粤BD00000 … 粤BD99999 without a 4, without ${taken.join(' ')})`);
  out.push(`INSERT INTO plate_number (plan_id, idx, plate_no, status, updated_at)
SELECT '${PLAN_ID}', (row_number() OVER (ORDER BY c.i) - 1)::int, c.plate_no, 'free', '2026-10-26 09:05:00+08'
FROM (SELECT i, '粤BD' || translate(((i / 6561) % 9)::text || ((i / 729) % 9)::text || ((i / 81) % 9)::text || ((i / 9) % 9)::text || (i % 9)::text, '45678', '56789') AS plate_no
      FROM generate_series(0, ${usable - 1}) AS i) AS c
WHERE c.plate_no NOT IN (${taken.map((t) => `'${t}'`).join(', ')});
`);
  appendFileSync(OUT, out.join('\n'));
  console.log(`appended the plates block (issue 18): an open small new-energy segment 粤BD##### without 4 (${pool.length} numbers, digest ${digest.slice(0, 12)}…)`);
}

// Issue 20 — driving-test booking by rank (X-4.4, PD-13): the block lives in db/seed/exams.ts.
(await import('node:fs')).appendFileSync(OUT, examsSeed({
  insert, citizenPasswordHash: (await passwordHashes())[CITIZEN_PASSWORD]!, makeIdNumber, reservePhone,
  personId: ids.person, accountId: ids.account, examOperatorId: staff.find((s) => s.username === 'exam.szks')!.id,
}));

// Issue 19 — entrusted medical institutions and health certificates (X-4.3.1, X-4.3.4, PD-12): the block lives in db/seed/medical.ts.
(await import('node:fs')).appendFileSync(OUT, await medicalSeed({
  insert, staffPasswordHash: (await passwordHashes())[STAFF_PASSWORD]!, makeIdNumber, makeUscc, reservePhone,
  personId: ids.person, licenceId: ids.licence, organisationId: ids.organisation, staffId: ids.staff,
  hospitalId: O('hospital').id, binhaiOperatorId: staff.find((s) => s.username === 'medical.binhai')!.id, reviewerId: staff.find((s) => s.username === 'sz.review')!.id,
  totpKeyHex: (username) => base32Bytes(STAFF_TOTP_KEYS[username]!).toString('hex'),
}));

// Issue 19 — driving-licence services (X-4.1, X-4.2, X-4.3.2/X-4.3.3): the block lives in db/seed/licences.ts (after the medical block: 滨海's qualification).
(await import('node:fs')).appendFileSync(OUT, licencesSeed({
  insert, citizenPasswordHash: (await passwordHashes())[CITIZEN_PASSWORD]!, makeIdNumber, reservePhone,
  personId: ids.person, licenceId: ids.licence, accountId: ids.account, licenceBindingId: ids.licenceBinding,
  hospitalId: O('hospital').id, hospitalQualificationId: medicalIds.qualification(1), hospitalOperatorId: staff.find((s) => s.username === 'medical.binhai')!.id,
}));

// Issue 21 — violations, penalty decisions and points (X-5, PD-10): the block lives in db/seed/violations.ts.
(await import('node:fs')).appendFileSync(OUT, violationsSeed({ insert, citizenPasswordHash: (await passwordHashes())[CITIZEN_PASSWORD]!, reservePhone, reservePlate }));

// Issue 21 — payments (ADR-035): the payment story's citizen; the block lives in db/seed/payments.ts.
(await import('node:fs')).appendFileSync(OUT, paymentsSeed({ insert, citizenPasswordHash: (await passwordHashes())[CITIZEN_PASSWORD]!, makeIdNumber, reservePhone, personId: ids.person, accountId: ids.account }));

// Issue 22 — archives (X-6, ADR-036, ADR-037): gz.archive and the e2e story's owner; the block lives in db/seed/archives.ts.
(await import('node:fs')).appendFileSync(OUT, archivesSeed({
  insert, staffPasswordHash: (await passwordHashes())[STAFF_PASSWORD]!, makeIdNumber, makeVin, reservePhone, reservePlate,
  totpKeyHex: (username) => base32Bytes(STAFF_TOTP_KEYS[username]!).toString('hex'),
}));
