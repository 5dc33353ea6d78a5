/** The scheduler was given settings EventBridge Scheduler would refuse (a programming or deployment error). */
export class SchedulerConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
