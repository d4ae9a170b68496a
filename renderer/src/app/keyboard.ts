import { useEffect, useEffectEvent } from 'react';

/** True when a key press belongs to what the clerk is typing, not to a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type);
  }
  return false;
}

/** True while a modal dialog is open: it owns Esc and the arrow keys. */
export function isModalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/** Ctrl on Windows/Linux, ⌘ on macOS. */
export function hasCommandKey(e: KeyboardEvent): boolean {
  return e.ctrlKey || e.metaKey;
}

/** Listens to key presses on the whole window while the component is mounted. */
export function useWindowKeydown(handler: (e: KeyboardEvent) => void): void {
  const onKey = useEffectEvent(handler);
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}

/** The keys shown in tooltips and in the shortcut panel. */
export const SHORTCUTS = {
  newDossier: 'Ctrl+N',
  newDossierAlt: 'Alt+N',
  addPages: 'Ctrl+O',
  search: 'Ctrl+K',
  searchAlt: '/',
  back: 'Esc',
  prevPage: '←',
  nextPage: '→',
  nextToReview: 'N',
  help: '?',
} as const;

export function withShortcut(label: string, ...keys: string[]): string {
  return `${label} (${keys.join(', ')})`;
}
