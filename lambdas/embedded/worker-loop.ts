/**
 * Runs `step` again while it reports work done, else after `idleMs`; `stop()` lets the step in
 * progress finish and resolves when the loop has ended. `wake()` cuts an idle wait short.
 *
 * SQLite calls are synchronous, so a step can finish without ever leaving the microtask queue; the
 * loop yields to the event loop between steps so that timers (delivery reports), HTTP requests and
 * the other loops get their turn.
 */
export function workerLoop(step: () => Promise<boolean>, idleMs: number, onError: (error: unknown) => void) {
  let running = true;
  let wakeUp: (() => void) | undefined;
  const idle = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, idleMs);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const done = (async () => {
    while (running) {
      let worked = false;
      try {
        worked = await step();
      } catch (error) {
        onError(error);
      }
      if (!running) break;
      if (worked) await new Promise<void>((resolve) => setImmediate(resolve));
      else await idle();
    }
  })();
  return {
    wake: () => wakeUp?.(),
    stop: async () => {
      running = false;
      wakeUp?.();
      await done;
    },
  };
}
