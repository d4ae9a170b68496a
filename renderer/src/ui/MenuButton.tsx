import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Icon } from './icons';

export interface MenuItem {
  key: string;
  label: string;
  /** The longer explanation, as a tooltip. */
  title?: string;
  disabled?: boolean;
  testId?: string;
  onSelect: () => void;
}

/**
 * A button that opens a short list of actions below it (the WAI-ARIA menu button): for actions a
 * counter uses now and then, so the toolbar keeps one row on a 1366 px screen. Enter, Space or ↓
 * open it on the first item, ↑ on the last; ↑ ↓ Home End move; Enter picks; Esc closes it and
 * only it (the view's own Esc would leave the dossier); Tab or a click elsewhere closes it.
 */
export function MenuButton({
  label,
  items,
  title,
  disabled = false,
  testId,
}: {
  label: ReactNode;
  items: readonly MenuItem[];
  title?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const root = useRef<HTMLSpanElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const menuId = useId();

  useEffect(() => {
    if (open) itemRefs.current[focusIndex]?.focus();
  }, [open, focusIndex]);

  useEffect(() => {
    if (!open) return;
    const closeOutside = (e: PointerEvent) => {
      if (!(e.target instanceof Node) || !root.current?.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [open]);

  const enabled = items.map((item, i) => (item.disabled ? -1 : i)).filter((i) => i >= 0);

  function openAt(which: 'first' | 'last'): void {
    if (enabled.length === 0) return;
    setFocusIndex(which === 'first' ? enabled[0]! : enabled[enabled.length - 1]!);
    setOpen(true);
  }

  function close(refocus: boolean): void {
    setOpen(false);
    if (refocus) trigger.current?.focus();
  }

  function onTriggerKey(e: KeyboardEvent<HTMLButtonElement>): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      openAt(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  }

  function onMenuKey(e: KeyboardEvent<HTMLDivElement>): void {
    const at = enabled.indexOf(focusIndex);
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = enabled[(at + 1) % enabled.length] ?? null;
    else if (e.key === 'ArrowUp') next = enabled[(at - 1 + enabled.length) % enabled.length] ?? null;
    else if (e.key === 'Home') next = enabled[0] ?? null;
    else if (e.key === 'End') next = enabled[enabled.length - 1] ?? null;
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
      return;
    } else if (e.key === 'Tab') {
      close(false);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
    if (next !== null) setFocusIndex(next);
  }

  function pick(item: MenuItem): void {
    close(true);
    item.onSelect();
  }

  return (
    <span className="menu-button" ref={root}>
      <button
        type="button"
        ref={trigger}
        className="btn btn--small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        title={title}
        onClick={() => (open ? close(false) : openAt('first'))}
        onKeyDown={onTriggerKey}
        data-testid={testId}
      >
        {label}
        <Icon name="chevronDown" size={14} />
      </button>
      {open ? (
        <div className="menu-button__menu" role="menu" id={menuId} onKeyDown={onMenuKey}>
          {items.map((item, i) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              ref={(el) => {
                itemRefs.current[i] = el;
              }}
              className="menu-button__item"
              tabIndex={i === focusIndex ? 0 : -1}
              disabled={item.disabled}
              title={item.title}
              onClick={() => pick(item)}
              onMouseEnter={() => !item.disabled && setFocusIndex(i)}
              data-testid={item.testId}
            >
              {item.label}
            </button>
          ))}
        </div>
      ) : null}
    </span>
  );
}
