// The person's chats (one entry per house chat; a house may show more than once for
// several flats), the offers to join, and which chat is open.
import { ipc, type ChatOffer, type ChatSummary, type House } from '../ipc';
import { toFailure, type Failure } from '../signin/session.svelte';

class Chats {
  list = $state<ChatSummary[]>([]);
  offers = $state<ChatOffer[]>([]);
  /** The person's small houses without a chat, which they may open. */
  openable = $state<House[]>([]);
  opening = $state<number | null>(null);
  selectedId = $state<number | null>(null);
  loaded = $state(false);
  joining = $state<number | null>(null);
  error = $state<Failure | null>(null);
  /** A chat just joined, to open when it shows up in the list. */
  private wanted: number | null = null;

  selected = $derived(this.list.find((c) => c.community_id === this.selectedId) ?? null);
  totalUnread = $derived(this.list.reduce((n, c) => n + Number(c.unread), 0));

  /** Re-reads the list from the cache (works offline). */
  async load(): Promise<void> {
    try {
      this.list = await ipc.chatList();
      if (!performance.getEntriesByName('domkom:chats').length) performance.mark('domkom:chats');
      this.loaded = true;
      this.error = null;
      if (this.wanted !== null && this.list.some((c) => c.community_id === this.wanted)) {
        this.select(this.wanted);
        this.wanted = null;
      } else if (this.selectedId === null && this.list.length > 0) {
        this.select(this.list[0].community_id);
      }
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  /** Asks the server for chats the person may join; quietly none when offline. */
  async loadOffers(): Promise<void> {
    try {
      this.openable = await ipc.openableHouses();
      this.offers = await ipc.offers();
    } catch {
      // offline or refused: keep what we had
    }
  }

  /** Opens the unofficial chat of a small house; it opens once in the list. */
  async openChat(houseId: number): Promise<void> {
    this.opening = houseId;
    try {
      const id = await ipc.openHouseChat(houseId);
      this.openable = this.openable.filter((h) => Number(h.id) !== houseId);
      this.wanted = Number(id);
      await this.load();
    } catch (e) {
      this.error = toFailure(e);
    } finally {
      this.opening = null;
    }
  }

  async join(communityId: number): Promise<void> {
    this.joining = communityId;
    try {
      await ipc.join(communityId);
      this.offers = this.offers.filter((o) => o.community_id !== communityId);
      // The chat opens once it is in the list (right away, or after the next sync).
      this.wanted = communityId;
      await this.load();
    } catch (e) {
      this.error = toFailure(e);
    } finally {
      this.joining = null;
    }
  }

  select(communityId: number | null): void {
    this.selectedId = communityId;
    void ipc.setChatInView(communityId).catch(() => {});
  }

  /** Alt+Up / Alt+Down: the previous or next chat in the list. */
  selectNext(delta: number): void {
    if (this.list.length === 0) return;
    const i = this.list.findIndex((c) => c.community_id === this.selectedId);
    const next = i < 0 ? 0 : (i + delta + this.list.length) % this.list.length;
    this.select(this.list[next].community_id);
  }

  async setMuted(communityId: number, muted: boolean): Promise<void> {
    try {
      await ipc.setMuted(communityId, muted);
      await this.load();
    } catch (e) {
      this.error = toFailure(e);
    }
  }

  reset(): void {
    this.list = [];
    this.offers = [];
    this.openable = [];
    this.selectedId = null;
    this.loaded = false;
  }
}

/** The app's one chat list state. */
export const chats = new Chats();
