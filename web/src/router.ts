/**
 * Hash routes (`#/incidents/42`): they work behind any static file server and proxy, with no
 * fallback rules needed for deep links.
 */
import { useSyncExternalStore } from 'react';

export type Route = { page: 'incidents' } | { page: 'incident'; id: string } | { page: 'flows' } | { page: 'flow'; id: string } | { page: 'playbooks'; id?: string } | { page: 'channel'; id: string };

/** Reads a route from a location hash; anything unknown lands on the incidents list. */
export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('?')[0]!
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
  const [first, second] = parts;
  if (first === 'incidents' && second) return { page: 'incident', id: second };
  if (first === 'flows' && second) return { page: 'flow', id: second };
  if (first === 'flows') return { page: 'flows' };
  if (first === 'channels' && second) return { page: 'channel', id: second };
  if (first === 'playbooks') return { page: 'playbooks', id: second };
  return { page: 'incidents' };
}

/** The hash for a route, for `href`s. */
export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'incidents':
      return '#/incidents';
    case 'incident':
      return `#/incidents/${encodeURIComponent(route.id)}`;
    case 'flows':
      return '#/flows';
    case 'flow':
      return `#/flows/${encodeURIComponent(route.id)}`;
    case 'playbooks':
      return route.id ? `#/playbooks/${encodeURIComponent(route.id)}` : '#/playbooks';
    case 'channel':
      return `#/channels/${encodeURIComponent(route.id)}`;
  }
}

/** Goes to a route (adds a history entry). */
export function navigate(route: Route) {
  window.location.hash = hrefOf(route);
}

function subscribe(callback: () => void) {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

/** The current route, re-rendering on navigation. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
