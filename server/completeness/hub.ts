import type { CompletenessPush } from './schemas.ts';

export interface Subscriber {
  push(message: CompletenessPush): void;
  close(): void;
}

/**
 * Fans changed completeness counters out to the live stream's subscribers, at most once per interval:
 * the first change after a quiet spell goes out at once, later ones are coalesced into the next push.
 */
export class CompletenessHub {
  private readonly subscribers = new Set<Subscriber>();
  private dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastPush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly read: (dayEventKeys: Set<string>) => CompletenessPush,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  changed(dayEventKeys: Iterable<string>): void {
    if (this.subscribers.size === 0) return;
    for (const k of dayEventKeys) this.dirty.add(k);
    if (this.timer) return;
    const wait = Math.max(0, this.lastPush + this.intervalMs - this.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    const keys = this.dirty;
    this.dirty = new Set();
    if (keys.size === 0 || this.subscribers.size === 0) return;
    this.lastPush = this.now();
    const message = this.read(keys);
    for (const s of this.subscribers) s.push(message);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const s of this.subscribers) s.close();
    this.subscribers.clear();
  }
}
