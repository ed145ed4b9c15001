import {
  Button,
  SaveButton,
  TextInput,
  maxLength,
  useGetList,
  useNotify,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import { useRefusal } from '../shared/use-refusal.ts';
import { inspectionsApi } from '../inspection-slots/api.ts';
import { useInspectionScope } from '../inspection-slots/use-scope.ts';
import { InstantField } from '../shared/fields.tsx';

type City = { id: string; name: string; bookingEnabled: boolean; note: string; updatedAt: string | null; stations: number };
type Publication = { id: string; version: number; notice: string; publishedAt: string; cityPlanIds: string[] };

/** whether the city offers online booking; its own 管理岗 switches it, the province sees all its cities. */
export const CityPanel = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const refresh = useRefresh();
  const scope = useInspectionScope();
  const { data } = useGetList<City>('inspection-cities', { pagination: { page: 1, perPage: 50 }, sort: { field: 'id', order: 'ASC' } });
  const mine = (c: City) => Boolean(scope?.canSwitchCity && c.id === scope.authorityId);
  const toggle = async (c: City, note: string) => {
    try {
      await inspectionsApi.setCityBooking(c.id, { enabled: !c.bookingEnabled, note });
      notify('inspections.city.saved', { type: 'success', messageArgs: { city: c.name, state: translate(c.bookingEnabled ? 'inspections.city.off' : 'inspections.city.on') } });
      refresh();
    } catch (error) {
      return refused(error);
    }
  };
  return (
    <section aria-labelledby="city-heading" className="station-panel">
      <h2 id="city-heading" className="section-heading">
        {translate('inspections.city.heading')}
      </h2>
      <table className="plain-table">
        <tbody>
          {(data ?? []).map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.name}</th>
              <td>
                <span className={`chip ${c.bookingEnabled ? 'chip-success' : 'chip-neutral'}`}>
                  {translate(c.bookingEnabled ? 'inspections.city.enabled' : 'inspections.city.disabled')}
                </span>
                {c.note ? <span className="muted"> {c.note}</span> : null}
              </td>
              <td>
                {mine(c) ? (
                  <Form defaultValues={{ note: '' }} onSubmit={(v: Record<string, unknown>) => toggle(c, String(v.note ?? ''))}>
                    <div className="inline-fields">
                      <TextInput source="note" label="inspections.city.note" validate={maxLength(500)} />
                      <SaveButton label={c.bookingEnabled ? 'inspections.city.switchOff' : 'inspections.city.switchOn'} icon={<span />} alwaysEnable />
                    </div>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
};

/** the province aggregates every city's latest filed plan and publishes it. */
export const ProvincePanel = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const refused = useRefusal();
  const refresh = useRefresh();
  const scope = useInspectionScope();
  const { data } = useGetList<Publication>('inspection-province-plans', { pagination: { page: 1, perPage: 10 }, sort: { field: 'version', order: 'DESC' } });
  const province = Boolean(scope?.canPublishProvincePlan);
  const publish = async (notice: string) => {
    try {
      const r = await inspectionsApi.publishProvincePlan(notice);
      notify('inspections.province.published', { type: 'success', messageArgs: { version: r.version } });
      refresh();
    } catch (error) {
      return refused(error);
    }
  };
  const latest = data?.[0];
  return (
    <section aria-labelledby="province-heading" className="station-panel">
      <h2 id="province-heading" className="section-heading">
        {translate('inspections.province.heading')}
      </h2>
      {latest ? (
        <p>
          <span className="chip chip-success">{translate('inspections.province.version', { version: latest.version })}</span>{' '}
          {translate('inspections.province.cities', { count: latest.cityPlanIds.length })} ·{' '}
          <InstantField source="publishedAt" record={latest} /> {latest.notice ? <span className="muted">— {latest.notice}</span> : null}
        </p>
      ) : (
        <p className="muted">{translate('inspections.province.empty')}</p>
      )}
      {province ? (
        <Form defaultValues={{ notice: '' }} onSubmit={(v: Record<string, unknown>) => publish(String(v.notice ?? ''))}>
          <TextInput source="notice" label="inspections.province.notice" multiline fullWidth validate={maxLength(2000)} />
          <SaveButton label="inspections.province.publish" icon={<span />} alwaysEnable />
        </Form>
      ) : null}
    </section>
  );
};

export const FileButton = ({ planId, onDone }: { planId: string; onDone?: () => void }) => {
  const notify = useNotify();
  const refused = useRefusal();
  const refresh = useRefresh();
  return (
    <Button
      variant="contained"
      label="inspections.plan.file"
      onClick={async () => {
        try {
          await inspectionsApi.filePlan(planId);
          notify('inspections.plan.filed', { type: 'success' });
          onDone?.();
          refresh();
        } catch (error) {
          refused(error, { inForm: false });
        }
      }}
    />
  );
};
