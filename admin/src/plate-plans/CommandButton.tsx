import type { ButtonHTMLAttributes } from 'react';
import { useTranslate } from 'react-admin';

/**
 * A named-command button whose label stays visible on a phone (react-admin's
 * Button turns into an icon-only button on small screens, and these steps have
 * no icon that would say what they do).
 */
export const CommandButton = ({ label, tone = 'primary', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { label: string; tone?: 'primary' | 'secondary' | 'destructive' }) => {
  const translate = useTranslate();
  const primary = tone === 'primary';
  // issue 18: a destructive command is red and outlined, never the filled blue one
  const colour = tone === 'destructive' ? '#c62828' : '#1565c0';
  return (
    <button
      type="button"
      {...rest}
      style={{
        font: 'inherit',
        fontWeight: 600,
        minHeight: 40,
        padding: '6px 16px',
        margin: '4px 8px 4px 0',
        borderRadius: 4,
        border: `1px solid ${colour}`,
        color: primary ? '#fff' : colour,
        background: primary ? colour : '#fff',
        cursor: rest.disabled ? 'not-allowed' : 'pointer',
        opacity: rest.disabled ? 0.6 : 1,
      }}
    >
      {translate(label)}
    </button>
  );
};
