/**
 * The emulator's own clock: "now" for everything not on a test clock. An operation can run at a
 * simulated time instead (`op.setTime`, `op.automatic`): a test clock's frozen time, or the due
 * time of a renewal, so objects and events carry the customer's time.
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
