import type { ReactElement } from 'react';

/** Line icons for page editing, drawn like ui/icons (decorative: buttons carry the words). */
const paths = {
  rotateLeft: 'M3 4v5h5M3.5 9A8.5 8.5 0 1 1 5 15.5',
  rotateRight: 'M21 4v5h-5M20.5 9A8.5 8.5 0 1 0 19 15.5',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  split: 'M6 3v18M18 3v18M10 12h4M3 12h2M19 12h2',
  merge: 'M8 4v6l4 4 4-4V4M12 14v6',
  grip: 'M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01',
  rescan: 'M4 7V4h3M20 7V4h-3M4 17v3h3M20 17v3h-3M4 12h16',
} as const;

export type EditIconName = keyof typeof paths;

export function EditIcon({ name, size = 15 }: { name: EditIconName; size?: number }): ReactElement {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
