import { useSyncExternalStore } from 'react';

/**
 * Hash routes: they work the same under app:// (desktop) and http:// (browser mode), need no
 * server support, and give the clerk a working Back.
 */
export type Route =
  | { name: 'new' }
  | { name: 'dossier'; id: string }
  /** `q`: the search that led here, highlighted in the page text. */
  | { name: 'page'; id: number; q?: string }
  /** The supervisor's approval queue and the clerks' rejected scans. */
  | { name: 'approval' }
  /** Unit settings and the procedure catalog. */
  | { name: 'admin' }
  /** The 766 indicators and what is missing (supervisors). */
  | { name: 'reports' }
  /** Processor purges and citizens' requests about their data (privacy). */
  | { name: 'privacy' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/approval') return { name: 'approval' };
  if (path === '/admin') return { name: 'admin' };
  if (path === '/reports') return { name: 'reports' };
  if (path === '/privacy') return { name: 'privacy' };
  const dossier = /^\/dossiers\/([^/]+)$/.exec(path);
  if (dossier?.[1]) {
    try {
      return { name: 'dossier', id: decodeURIComponent(dossier[1]) };
    } catch {
      return { name: 'new' };
    }
  }
  const page = /^\/pages\/(\d{1,15})(?:\?q=([^&]*))?$/.exec(path);
  if (page?.[1]) {
    const id = Number(page[1]);
    if (page[2]) {
      try {
        return { name: 'page', id, q: decodeURIComponent(page[2]) };
      } catch {
        return { name: 'page', id };
      }
    }
    return { name: 'page', id };
  }
  return { name: 'new' };
}

export function routeHref(route: Route): string {
  switch (route.name) {
    case 'new':
      return '#/';
    case 'dossier':
      return `#/dossiers/${encodeURIComponent(route.id)}`;
    case 'page':
      return route.q ? `#/pages/${route.id}?q=${encodeURIComponent(route.q)}` : `#/pages/${route.id}`;
    case 'approval':
      return '#/approval';
    case 'admin':
      return '#/admin';
    case 'reports':
      return '#/reports';
    case 'privacy':
      return '#/privacy';
  }
}

export function navigate(route: Route): void {
  const href = routeHref(route);
  if (window.location.hash !== href) window.location.hash = href;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function getHash(): string {
  return window.location.hash;
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash);
  return parseRoute(hash);
}
