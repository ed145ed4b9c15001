import { useRecordContext } from 'react-admin';
import { formatFen } from './money.ts';

/** An amount in integer fen, shown in yuan to the fen. */
export const FenField = ({ source }: { source: string; label?: string }) => {
  const record = useRecordContext();
  return <span className="mono">{formatFen(record?.[source])}</span>;
};
