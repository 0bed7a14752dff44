/** Dark by default (it is read at 4 am); a person's choice of light is remembered in this browser. */
export type Theme = 'dark' | 'light';

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
}
