/**
 * A value loaded on demand and kept: `get` answers from the kept copy while it is younger than the age asked for,
 * otherwise loads, and concurrent callers share one load. `keep` decides which results are worth keeping
 * (a failure is not: the next ask tries again). `clear` forgets the copy and detaches a load under way, so
 * a result for the previous account can never be kept or handed to a later caller.
 */
export class KeptValue<T> {
  private kept: { value: T; at: number } | undefined;
  private loading: Promise<T> | undefined;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly keep: (value: T) => boolean,
    private readonly now: () => number,
  ) {}

  get(maxAgeMs: number): Promise<T> {
    if (this.kept && this.now() - this.kept.at < maxAgeMs) return Promise.resolve(this.kept.value);
    if (this.loading) return this.loading;
    const generation = this.generation;
    const loading = this.load().then((value) => {
      if (generation === this.generation && this.keep(value)) this.kept = { value, at: this.now() };
      return value;
    }).finally(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    this.loading = loading;
    return loading;
  }

  clear(): void {
    this.generation += 1;
    this.kept = undefined;
    this.loading = undefined;
  }
}
