import { lazy, Suspense, type ComponentType, type ReactElement } from 'react';
import { Loading } from 'react-admin';

/**
 * A component whose code is a chunk of its own, fetched the first time it
 * renders (issue 18: the sign-in page carries none of the console's views).
 * Shows react-admin's loading indicator meanwhile.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- react-admin passes each view its own props
export function lazyView<P extends Record<string, any>>(load: () => Promise<ComponentType<P>>): (props: P) => ReactElement {
  const Lazy = lazy(() => load().then((Component) => ({ default: Component })));
  const View = (props: P) => (
    <Suspense fallback={<Loading loadingPrimary="" loadingSecondary="" />}>
      <Lazy {...props} />
    </Suspense>
  );
  return View;
}
