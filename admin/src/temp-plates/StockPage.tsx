import { useEffect, useState } from 'react';
import { Loading, Title, useTranslate } from 'react-admin';
import { getJson } from '../shared/http.ts';
import { problemText } from '../shared/problem.ts';
import { StockTable } from './Qualifications.tsx';

type StockAnswer = {
  qualificationId: string; status: string; validUntil: string | null; quota: number;
  counters: Record<string, number>; counted: Record<string, number>; balanced: boolean; matches: boolean; asOf: string;
};

/** 库存核对 (dealer): handed out = in stock + issued + damaged + returned + destroyed + recovered. */
export const StockPage = () => {
  const translate = useTranslate();
  const [data, setData] = useState<StockAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getJson('/temp-plate-stock')
      .then(({ json }) => setData(json as StockAnswer))
      .catch((e: unknown) => {
        setError(translate(problemText(e)));
      });
  }, [translate]);
  return (
    <div className="page">
      <Title title="tempPlates.stock.title" />
      <h1 className="page-heading">{translate('tempPlates.stock.title')}</h1>
      {error ? <p className="notice notice-error" role="alert">{error}</p> : null}
      {!data && !error ? <Loading /> : null}
      {data ? (
        <>
          <p>{translate('tempPlates.stock.summary', { status: translate(`tempPlates.status.${data.status}`), validUntil: data.validUntil ?? '—', quota: data.quota })}</p>
          <h2 className="section-heading">{translate('tempPlates.stock.counters')}</h2>
          <StockTable stock={data.counters} title="tempPlates.stock.counters" />
          <h2 className="section-heading">{translate('tempPlates.stock.counted')}</h2>
          <StockTable stock={data.counted} title="tempPlates.stock.counted" />
          <p role="status" className={data.balanced && data.matches ? 'notice notice-info' : 'notice notice-error'}>
            {translate(data.balanced && data.matches ? 'tempPlates.stock.reconciled' : 'tempPlates.stock.not_reconciled')}
          </p>
        </>
      ) : null}
    </div>
  );
};
