import { useCallback, useEffect, useState } from 'react';
import { useDataProvider } from 'react-admin';
import type { AdminDataProvider, CalendarStatus } from '../shared/data-provider.ts';

/**
 * GET /admin-api/calendar/status, with a reload for after a year was entered.
 * useDataProvider already signs the staff member out on a 401.
 */
export const useCalendarStatus = () => {
  const dataProvider = useDataProvider<AdminDataProvider>();
  const [status, setStatus] = useState<CalendarStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    dataProvider
      .getCalendarStatus()
      .then(({ data }) => {
        if (!live) return;
        // after a sign-out on 401 the proxy answers `{ data: {} }`
        setStatus(Array.isArray(data?.years) ? data : null);
        setError(null);
      })
      .catch((e: unknown) => {
        if (live) setError(e);
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [dataProvider, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { status, error, loading, reload };
};
