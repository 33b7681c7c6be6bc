/**
 * The one source of "now" for every object the emulator creates or changes. Part 2's test clocks
 * hang off this: a frozen clock per test_clock id, chosen through `clockFor`.
 */
export interface Clock {
  /** Unix seconds. */
  now(): number;
  /** Milliseconds, for timers. */
  nowMs(): number;
}

export class SystemClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the emulator's time forward (tests of expiry); webhook signatures keep real time. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
