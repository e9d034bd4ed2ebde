// What a process opened, closed in the reverse order when it stops — or when starting it fails
// half way — from one list instead of a teardown written twice.

export class Closers {
  private readonly list: Array<{ name: string; close: () => unknown }> = [];

  /** Register something opened; it is closed before everything registered before it. */
  add(name: string, close: () => unknown): void {
    this.list.push({ name, close });
  }

  /**
   * Close everything, last registered first. Every closer runs even when one throws; the first
   * error is thrown once all have run.
   */
  async closeAll(): Promise<void> {
    let first: { error: unknown } | null = null;
    while (this.list.length > 0) {
      const { close } = this.list.pop()!;
      try {
        await close();
      } catch (error) {
        first ??= { error };
      }
    }
    if (first) throw first.error;
  }
}
