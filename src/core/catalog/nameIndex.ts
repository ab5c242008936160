const NONE: readonly string[] = [];

/** The name part of a relation key or dotted name, lower case: what a NameIndex of relations is keyed by. */
export const bare = (name: string): string => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name).toLowerCase();

/**
 * Name → values (files, relation keys), where nearly every name has one value: that value is stored as it is, and a
 * Set only once a second arrives (a Set per name was a good part of what building a catalog allocated).
 */
export class NameIndex {
  private readonly map = new Map<string, string | Set<string>>();

  add(name: string, value: string): void {
    const had = this.map.get(name);
    if (had === undefined) this.map.set(name, value);
    else if (typeof had === 'string') {
      if (had !== value) this.map.set(name, new Set([had, value]));
    } else had.add(value);
  }

  remove(name: string, value: string): void {
    const had = this.map.get(name);
    if (had === undefined) return;
    if (typeof had === 'string') {
      if (had === value) this.map.delete(name);
    } else if (had.delete(value) && had.size === 1) this.map.set(name, had.values().next().value!);
  }

  /** The values of `name` (none when absent). */
  get(name: string): Iterable<string> {
    const had = this.map.get(name);
    return had === undefined ? NONE : typeof had === 'string' ? [had] : had;
  }

  /** The value of `name` when it has exactly one. */
  only(name: string): string | undefined {
    const had = this.map.get(name);
    return typeof had === 'string' ? had : undefined;
  }

  delete(name: string): void {
    this.map.delete(name);
  }

  clear(): void {
    this.map.clear();
  }
}
