// Light and dark themes: by default the system's (prefers-color-scheme, handled in CSS);
// a person may pin one. The choice sets `data-theme` on <html>, the CSS variables follow.
export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEMES)[number];
const STORAGE_KEY = 'domkom.theme';

function initial(): ThemeChoice {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved && (THEMES as readonly string[]).includes(saved)) return saved as ThemeChoice;
  } catch {
    // storage unavailable
  }
  return 'system';
}

class Theme {
  choice = $state<ThemeChoice>(initial());

  set(choice: string): void {
    if (!(THEMES as readonly string[]).includes(choice)) return;
    this.choice = choice as ThemeChoice;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, choice);
    } catch {
      // not remembered; still applied
    }
    this.apply();
  }

  apply(): void {
    if (typeof document === 'undefined') return;
    const root = document.documentElement;
    if (this.choice === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', this.choice);
  }
}

/** The app's one theme state. */
export const theme = new Theme();
