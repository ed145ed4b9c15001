/**
 * The replacement application as a sequence of one-question pages (GOV.UK
 * "one thing per page"), carried from page to page in hidden fields so it
 * works before JavaScript loads. Pure: shared by the form actions and tests.
 */
export type Item = 'plate' | 'vehicle_licence' | 'inspection_sticker';
export type Step = 'choose' | 'reason' | 'delivery' | 'insurance' | 'check';

export type Answers = {
  vehicleId: string;
  item: string;
  kind: string;
  reasonNote: string;
  delivery: string;
  recipientName: string;
  recipientPhone: string;
  postalAddress: string;
  postcode: string;
  tempPlate: string;
  insuranceUploadId: string;
  insuranceFileName: string;
};

export const ANSWER_KEYS: readonly (keyof Answers)[] = [
  'vehicleId', 'item', 'kind', 'reasonNote', 'delivery', 'recipientName', 'recipientPhone', 'postalAddress', 'postcode', 'tempPlate', 'insuranceUploadId', 'insuranceFileName',
];

export const emptyAnswers = (): Answers => Object.fromEntries(ANSWER_KEYS.map((k) => [k, ''])) as Answers;

export function answersOf(get: (name: string) => string): Answers {
  const a = emptyAnswers();
  for (const k of ANSWER_KEYS) a[k] = get(k);
  return a;
}

/** The pages of an application: the certificate page only for a sticker. */
export function stepsFor(item: string): Step[] {
  return item === 'inspection_sticker' ? ['choose', 'reason', 'delivery', 'insurance', 'check'] : ['choose', 'reason', 'delivery', 'check'];
}

export function nextStep(current: Step, item: string): Step {
  const steps = stepsFor(item);
  return steps[Math.min(steps.indexOf(current) + 1, steps.length - 1)] ?? 'check';
}

export function previousStep(current: Step, item: string): Step {
  const steps = stepsFor(item);
  return steps[Math.max(steps.indexOf(current) - 1, 0)] ?? 'choose';
}

export function isStep(s: string): s is Step {
  return s === 'choose' || s === 'reason' || s === 'delivery' || s === 'insurance' || s === 'check';
}

/** a damaged plate or 行驶证 being exchanged is handed over at delivery or pickup. */
export function handOverRequired(item: string, kind: string): boolean {
  return kind === 'exchange' && (item === 'plate' || item === 'vehicle_licence');
}

export type StepProblem =
  | 'chooseItem' | 'chooseKind' | 'chooseDelivery' | 'postNotAllowed' | 'recipientName' | 'recipientPhone' | 'postalAddress' | 'postcode' | 'insuranceFile';

/**
 * What is missing or wrong on one page; field → problem. `postAllowed` is
 * the bff's answer for the chosen item.
 */
export function checkStep(step: Step, a: Answers, ctx: { postAllowed: boolean }): Record<string, StepProblem> {
  const p: Record<string, StepProblem> = {};
  if (step === 'choose' && (!a.vehicleId || !a.item)) p.choice = 'chooseItem';
  if (step === 'reason' && a.kind !== 'replacement' && a.kind !== 'exchange') p.kind = 'chooseKind';
  if (step === 'delivery') {
    if (a.delivery !== 'post' && a.delivery !== 'pickup') p.delivery = 'chooseDelivery';
    else if (a.delivery === 'post') {
      if (!ctx.postAllowed) p.delivery = 'postNotAllowed';
      if (a.recipientName.trim().length < 2) p.recipientName = 'recipientName';
      if (!/^1[3-9]\d{9}$/.test(a.recipientPhone)) p.recipientPhone = 'recipientPhone';
      if (a.postalAddress.trim().length < 5) p.postalAddress = 'postalAddress';
      if (!/^\d{6}$/.test(a.postcode)) p.postcode = 'postcode';
    }
  }
  if (step === 'insurance' && !a.insuranceUploadId) p.insuranceFile = 'insuranceFile';
  return p;
}

/** The bff request for the answers (also what the offline outbox replays). */
export function requestOf(a: Answers) {
  const post = a.delivery === 'post';
  return {
    vehicleId: a.vehicleId,
    item: a.item as Item,
    kind: a.kind as 'replacement' | 'exchange',
    ...(a.reasonNote.trim() ? { reasonNote: a.reasonNote.trim() } : {}),
    delivery: a.delivery as 'post' | 'pickup',
    ...(post ? { recipientName: a.recipientName.trim(), recipientPhone: a.recipientPhone.trim(), postalAddress: a.postalAddress.trim(), postcode: a.postcode.trim() } : {}),
    ...(a.item === 'plate' && a.tempPlate === 'yes' ? { tempPlate: true } : {}),
    ...(a.item === 'inspection_sticker' && a.insuranceUploadId ? { insuranceUploadId: a.insuranceUploadId } : {}),
  };
}
