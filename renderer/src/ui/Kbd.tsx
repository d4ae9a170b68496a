/** A key or key combination, e.g. "Ctrl+K", drawn as keycaps. */
export function Kbd({ keys }: { keys: string }) {
  const parts = keys === '+' ? ['+'] : keys.split('+');
  return (
    <span className="kbd-combo">
      {parts.map((part, i) => (
        <kbd key={i} className="kbd">
          {part}
        </kbd>
      ))}
    </span>
  );
}
