import type { ReactNode } from 'react';
import { Icon } from './icons';

/** An inline message: an error the clerk must read, or a quiet note. */
export function Notice({
  tone,
  children,
  testId,
  action,
}: {
  tone: 'error' | 'info' | 'success' | 'warning';
  children: ReactNode;
  testId?: string;
  action?: ReactNode;
}) {
  return (
    <div className={`notice notice--${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {tone === 'error' || tone === 'warning' ? <Icon name="alert" /> : null}
      <div className="notice__body">{children}</div>
      {action}
    </div>
  );
}
