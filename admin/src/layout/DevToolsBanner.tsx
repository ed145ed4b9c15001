import { useEffect, useState } from 'react';

/**
 * "Development tools are on": shown on every screen, the sign-in page
 * included, when the bff's /dev tools are enabled (DEV_TOOLS=1, never in
 * production: ADR-023). It sits over a corner and lets clicks through, so it
 * never hides or blocks a control.
 */
const style = {
  position: 'fixed',
  left: 8,
  bottom: 8,
  zIndex: 2000,
  pointerEvents: 'none',
  padding: '2px 10px',
  borderRadius: 4,
  background: '#5c2d91',
  color: '#fff',
  font: '700 0.8125rem/1.6 system-ui, sans-serif',
  opacity: 0.92,
} as const;

export const DevToolsBanner = () => {
  const [on, setOn] = useState(false);
  useEffect(() => {
    let live = true;
    fetch('/api/v1/public/platform', { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : null))
      .then((j: { devTools?: boolean } | null) => live && setOn(j?.devTools === true))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);
  if (!on) return null;
  return (
    <div role="note" data-testid="dev-tools-banner" style={style}>
      <span lang="zh-CN">开发工具已开启</span> / <span lang="en">development tools are on</span>
    </div>
  );
};
