import { useEffect, useState } from 'react';
import { fetchScope, type InspectionScope } from './api.ts';

/** The staff member's inspection scope, fetched once per screen. */
export const useInspectionScope = (): InspectionScope | null => {
  const [scope, setScope] = useState<InspectionScope | null>(null);
  useEffect(() => {
    let live = true;
    fetchScope().then(
      (s) => live && setScope(s),
      () => live && setScope(null),
    );
    return () => {
      live = false;
    };
  }, []);
  return scope;
};
