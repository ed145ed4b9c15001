/**
 * The fields of a form-encoded body (Alipay's protocol), one value each; any
 * other body has no fields. Not documented as a request body: the fields are
 * whatever the provider sends and signs (the signature is checked on all of them).
 */
export async function formFields(req: { header(name: string): string | undefined; text(): Promise<string> }): Promise<Record<string, string>> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.header('content-type') ?? '')) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(await req.text())) if (!(k in out) && k.length <= 64) out[k] = v.slice(0, 4000);
  return out;
}
