/**
 * Values a node keeps for a while instead of reading them for every request (the network, channel policies: read
 * by every order, changed a few times a day): each key is read again once its copy is older than `ms`, a read that
 * fails is not kept, and `forget` drops every copy (after this node changed them).
 */
export function keptFor<K, V>(
  ms: number,
): { get(key: K, read: () => Promise<V>): Promise<V>; forget(): void } {
  const copies = new Map<K, { at: number; value: Promise<V> }>();
  return {
    get(key, read) {
      const now = Date.now();
      let copy = copies.get(key);
      if (!copy || now - copy.at > ms) {
        const value = read();
        copy = { at: now, value };
        copies.set(key, copy);
        const kept = copy;
        value.catch(() => {
          if (copies.get(key) === kept) copies.delete(key);
        });
      }
      return copy.value;
    },
    forget: () => copies.clear(),
  };
}
