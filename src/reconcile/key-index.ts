/** A multimap from index key to the entries waiting under it, emptied as entries leave. @internal */
export class KeyIndex<T extends { done: boolean }> {
  private readonly map = new Map<string, T[]>();
  add(keys: readonly string[], entry: T): void {
    for (const key of keys) {
      const list = this.map.get(key);
      if (list) list.push(entry);
      else this.map.set(key, [entry]);
    }
  }
  find(keys: readonly string[]): T[] {
    const found = new Set<T>();
    for (const key of keys) for (const entry of this.map.get(key) ?? []) if (!entry.done) found.add(entry);
    return [...found];
  }
  remove(keys: readonly string[], entry: T): void {
    for (const key of keys) {
      const list = this.map.get(key);
      if (!list) continue;
      const kept = list.filter((e) => e !== entry && !e.done);
      if (kept.length === 0) this.map.delete(key);
      else this.map.set(key, kept);
    }
  }
}
