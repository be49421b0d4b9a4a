/** The time commands are decided at; replaced in tests that need a fixed instant. */
export class Clock {
  constructor(private readonly source: () => Date = () => new Date()) {}

  now(): Date {
    return this.source();
  }
}
