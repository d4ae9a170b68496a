import { useEffect, useEffectEvent } from 'react';

/** A counter PC is shared: the app locks itself after this long without keyboard or mouse input. */
export const IDLE_LOCK_MS = 10 * 60_000;

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` once `ms` pass without input while `active`. Input only stamps the time; a single
 * timer re-arms itself for what is left, so a moving mouse does not churn timers.
 */
export function useIdleLock(active: boolean, onIdle: () => void, ms = IDLE_LOCK_MS): void {
  const fire = useEffectEvent(onIdle);
  useEffect(() => {
    if (!active) return;
    let last = Date.now();
    let timer: ReturnType<typeof setTimeout>;
    const stamp = () => {
      last = Date.now();
    };
    const check = () => {
      const left = last + ms - Date.now();
      if (left <= 0) fire();
      else timer = setTimeout(check, left);
    };
    timer = setTimeout(check, ms);
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, stamp, { capture: true, passive: true });
    return () => {
      clearTimeout(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, stamp, { capture: true });
    };
  }, [active, ms]);
}
