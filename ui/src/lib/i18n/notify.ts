// The words the shell tells the desktop with (notifications, the window title), in the
// person's language; `{n}`, `{to}` and `{count}` stay for the shell to fill in.
import type { NotifyWords } from '../ipc';
import { lookup, type Locale } from './i18n.svelte';

export function notifyWords(locale: Locale): NotifyWords {
  return {
    app: lookup(locale, 'notify.app'),
    overdue: lookup(locale, 'notify.overdue'),
    emergency: lookup(locale, 'notify.emergency'),
    meters_title: lookup(locale, 'notify.meters_title'),
    meters_body: lookup(locale, 'notify.meters_body'),
    pinned: lookup(locale, 'notify.pinned'),
  };
}
