// Who is signed in, and the ways to sign in: the system browser (Госуслуги) or, against
// the reference backend, a demo person.
import { ipc, IpcError, type DemoPerson, type PersonInfo, type UiErrorKind } from '../ipc';

export type Phase = 'loading' | 'signed_out' | 'signing_in' | 'signed_in' | 'no_shell';

/** A failure to show: the shell's kind, the code and values to word it with, and the
 * message (English, or the server's Russian) for the details. */
export interface Failure {
  kind: UiErrorKind;
  code: string | null;
  params: Record<string, string>;
  message: string;
}

export function toFailure(e: unknown): Failure {
  if (e instanceof IpcError) return { kind: e.kind, code: e.code, params: e.params, message: e.message };
  return { kind: 'internal', code: null, params: {}, message: e instanceof Error ? e.message : String(e) };
}

class Session {
  phase = $state<Phase>('loading');
  person = $state<PersonInfo | null>(null);
  demoPersons = $state<DemoPerson[]>([]);
  /** Which demo person is being signed in, for the button's busy state. */
  pending = $state<string | null>(null);
  error = $state<Failure | null>(null);

  /** Reads the cached session; a signed-in person sees their chats at once, even offline. */
  async init(): Promise<void> {
    try {
      const person = await ipc.sessionState();
      if (!performance.getEntriesByName('domkom:session').length) performance.mark('domkom:session');
      this.person = person;
      this.phase = person ? 'signed_in' : 'signed_out';
      // The shell's sync started before this page listened: ask for a run now, so its
      // events tell the current state (live or offline) instead of leaving it unknown.
      if (person) void ipc.syncNow().catch(() => {});
    } catch (e) {
      const f = toFailure(e);
      this.phase = f.kind === 'no_shell' ? 'no_shell' : 'signed_out';
      this.error = f;
    }
    if (this.phase === 'signed_out') void this.loadDemoPersons();
  }

  /** The reference backend's demo persons; an empty list when the backend offers none. */
  async loadDemoPersons(): Promise<void> {
    try {
      this.demoPersons = await ipc.demoPersons();
    } catch {
      this.demoPersons = [];
    }
  }

  async loginBrowser(): Promise<void> {
    await this.login('browser', () => ipc.loginBrowser());
  }

  async loginDemo(key: string): Promise<void> {
    await this.login(key, () => ipc.loginDemo(key));
  }

  private async login(what: string, run: () => Promise<PersonInfo>): Promise<void> {
    this.error = null;
    this.pending = what;
    this.phase = 'signing_in';
    try {
      this.person = await run();
      this.phase = 'signed_in';
    } catch (e) {
      this.error = toFailure(e);
      this.phase = 'signed_out';
    } finally {
      this.pending = null;
    }
  }

  async logout(): Promise<void> {
    try {
      await ipc.logout();
    } catch (e) {
      this.error = toFailure(e);
    }
    this.signedOut();
  }

  /** The session ended (logout, or the server revoked it): back to sign-in. */
  signedOut(): void {
    this.person = null;
    this.phase = 'signed_out';
    void this.loadDemoPersons();
  }
}

/** The app's one session state. */
export const session = new Session();
