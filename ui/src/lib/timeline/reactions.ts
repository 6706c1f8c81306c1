// The reactions a message can get, in the order they are offered and shown. The server's
// list is `domkom_domain::chat::REACTIONS`; it refuses any other.
export const REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;
