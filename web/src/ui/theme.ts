/** Dark by default (it is read at 4 am); a person's choice of light is remembered in this browser. */
import { useSyncExternalStore } from 'react';

export type Theme = 'dark' | 'light';

const listeners = new Set<() => void>();

/** The theme stored for this browser. */
export function readTheme(): Theme {
  try {
    return localStorage.getItem('sidekick.theme') === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

/** Applies and remembers a theme. */
export function applyTheme(theme: Theme) {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem('sidekick.theme', theme);
  } catch {
    // private mode: the choice lasts for this page only
  }
  for (const listener of listeners) listener();
}

/** The theme in force, re-rendering when it changes (the canvas draws its own colours). */
export function useTheme(): Theme {
  return useSyncExternalStore(
    (callback) => {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    () => (document.documentElement.dataset.theme === 'light' ? 'light' : 'dark'),
  );
}
